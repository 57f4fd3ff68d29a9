"""Building the book in the documentation's language: which catalogue Sphinx's ``language``
picks, and the real ``versus`` (the one the wheel installed next to this Python, as in a
docs build) building the shipped book in it."""

import tempfile
import unittest
from pathlib import Path

from versus.sphinx import book as books

REPO = Path(__file__).resolve().parents[2]
LOGGER = "sphinx.versus.sphinx.book"


class Catalogue(unittest.TestCase):
    def test_sphinx_languages_map_to_a_shipped_catalogue_as_versus_resolves_tags(self):
        shipped = ("en", "fr")
        for language, expected in [
            (None, None),
            ("", None),
            ("en", "en"),
            ("fr", "fr"),
            ("fr_FR", "fr"),
            ("fr-CA", "fr"),
            ("FR", "fr"),
            ("pt_BR", None),
            ("ja", None),
            ("french", None),
        ]:
            self.assertEqual(books.catalogue_for(language, shipped), expected, language)

    def test_a_shipped_regional_catalogue_wins_over_its_language(self):
        self.assertEqual(books.catalogue_for("pt_BR", ("en", "pt", "pt-BR")), "pt-BR")
        self.assertEqual(books.catalogue_for("pt_PT", ("en", "pt", "pt-BR")), "pt")

    def test_the_languages_come_from_versus_itself(self):
        binary = books.find_binary(None)
        self.assertIsNotNone(binary, "the wheel's versus is installed next to this Python")
        shipped = books.shipped_languages(binary)
        self.assertIn("en", shipped)
        self.assertIn("fr", shipped)
        self.assertEqual(books.shipped_languages(Path("/nonexistent/versus")), ())

    def test_the_language_is_part_of_the_hash(self):
        binary = books.find_binary(None)
        hashes = {books.inputs_hash(REPO, binary, language) for language in (None, "en", "fr")}
        self.assertEqual(len(hashes), 3)


class Build(unittest.TestCase):
    def test_the_book_is_built_in_a_shipped_language_and_else_in_its_own_without_a_warning(self):
        with tempfile.TemporaryDirectory() as doctrees:
            french = books.prepare(REPO, Path(doctrees), None, "fr_FR")
            self.assertIsNotNone(french)
            matrix = french.fragment("matrix")
            self.assertIn("<summary>Filtres</summary>", matrix)
            self.assertIn('"guide-start-again":"Recommencer"', french.fragment("guide"))
            stamp = french.stamp.read_text(encoding="utf-8")
            with self.assertNoLogs(LOGGER, level="WARNING"):
                japanese = books.prepare(REPO, Path(doctrees), None, "ja")
            self.assertNotEqual(japanese.stamp.read_text(encoding="utf-8"), stamp, "built again")
            self.assertIn("<summary>Filters</summary>", japanese.fragment("matrix"))
            # The book's strings, the messages' ids, are the same in both.
            self.assertEqual(
                {k: v for k, v in french.data.items() if k != "language"},
                {k: v for k, v in japanese.data.items() if k != "language"},
            )


if __name__ == "__main__":
    unittest.main()

"""The extension's string handling, on the shipped book's own data (scripts/test.sh runs this
with the Sphinx environment's Python, where the wheel is installed).

VERSUS_DATA names a built embed/data.json; without it the tests fail rather than skip."""

import json
import os
import re
import unittest
from pathlib import Path

from versus.sphinx import content, fragment
from versus.sphinx.messages import Message, html_to_rst, to_html


def book_strings() -> list[str]:
    data = json.loads(Path(os.environ["VERSUS_DATA"]).read_text(encoding="utf-8"))
    strings = list(data["notes"])
    strings += [v["html"] for m in data["models"] for v in m["values"] if "html" in v]
    for answer in content.answers(data["guide"]):
        strings += [answer["html"], answer.get("why", "")]
    return [s for s in strings if s]


class RoundTrip(unittest.TestCase):
    def test_every_inline_string_of_the_book_survives_rest_and_back(self):
        strings = book_strings()
        self.assertGreater(len(strings), 40)
        for html in strings:
            # reST cannot nest markup: inside a link only its text remains.
            flat = re.sub(r"(<a [^>]*>)(.*?)(</a>)", lambda m: m[1] + re.sub(r"<[^>]+>", "", m[2]) + m[3], html)
            expected = flat.replace("&quot;", '"').replace("&#x27;", "'")
            self.assertEqual(to_html(html_to_rst(html)), expected, html)

    def test_markup_next_to_words_gets_escaped_spaces(self):
        self.assertEqual(html_to_rst("a<code>x_y</code>b *c* d_e"), "a\\ ``x_y``\\ b \\*c\\* d\\_e")
        self.assertEqual(to_html("a\\ ``x_y``\\ b \\*c\\*"), "a<code>x_y</code>b *c*")


class Fragment(unittest.TestCase):
    FRAGMENT = (
        '<th data-key="k">Speed</th><td data-levels="fast|slow"> fast, slow <sup class="vs-note-ref">'
        '<a href="#vs-note-1" id="vs-ref-1">1</a></sup></td>'
        '<li id="vs-note-1">see <code>x()</code> and <a href="https://x.org/">docs</a> <a class="vs-note-back" href="#vs-ref-1">↩</a></li>'
        '<button class="vs-preset" data-why="Because &lt;fast&gt;.">Fast</button><script>const s = "Speed";</script>'
        '<tr data-model="a" data-search="alpha fast see x() and docs breakfast">'
    )

    def test_translated_runs_are_replaced_and_the_rest_is_kept(self):
        messages = [
            Message.from_text("Speed"),
            Message.from_text("fast"),
            Message.from_text("slow"),
            Message.from_html('see <code>x()</code> and <a href="https://x.org/">docs</a>'),
            Message.from_html("Because &lt;fast&gt;."),
        ]
        french = {
            "Speed": "Vitesse",
            "fast": "rapide",
            "slow": "lent",
            "see ``x()`` and `docs <https://x.org/>`__": "voir ``x()`` et `la doc <https://x.org/>`__",
            "Because <fast>.": "Parce que <rapide>.",
        }
        self.assertEqual(
            fragment.translate(self.FRAGMENT, messages, french),
            '<th data-key="k">Vitesse</th><td data-levels="fast|slow"> rapide, lent <sup class="vs-note-ref">'
            '<a href="#vs-note-1" id="vs-ref-1">1</a></sup></td>'
            '<li id="vs-note-1">voir <code>x()</code> et <a href="https://x.org/">la doc</a> <a class="vs-note-back" href="#vs-ref-1">↩</a></li>'
            '<button class="vs-preset" data-why="Parce que &lt;rapide&gt;.">Fast</button><script>const s = "Speed";</script>'
            '<tr data-model="a" data-search="alpha fast see x() and docs breakfast rapide voir x() et la doc">',
        )

    def test_without_translations_the_fragment_is_unchanged(self):
        self.assertIs(fragment.translate(self.FRAGMENT, [Message.from_text("Speed")], {}), self.FRAGMENT)


if __name__ == "__main__":
    unittest.main()

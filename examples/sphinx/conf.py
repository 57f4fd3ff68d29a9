# A minimal Sphinx project that shows the survey the way the CPython docs could: with the
# versus wheel installed (`pip install versus`), the extension builds the book and inserts it.
project = "Concurrency (versus embedding example)"
author = "The versus authors"
html_theme = "python_docs_theme"
templates_path = ["_templates"]
extensions = ["versus.sphinx"]
# The book's folder (where book.toml is), relative to this file: the survey at the repository root.
versus_book = "../.."
# Translations: locales/<language>/LC_MESSAGES/index.po; Sphinx compiles the .mo files itself.
locale_dirs = ["locales"]
exclude_patterns = ["_build", "README.md", "requirements.txt", "locales"]

# A minimal Sphinx project that includes versus's fragments the way the CPython docs could.
project = "Concurrency (versus embedding example)"
author = "The versus authors"
html_theme = "python_docs_theme"
templates_path = ["_templates"]
# The fragments are copied here from a versus build's public/embed/ (see README.md).
exclude_patterns = ["_build", "_embed", "README.md", "requirements.txt"]

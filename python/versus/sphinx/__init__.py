"""A Sphinx extension that puts a versus book into a Sphinx project.

In ``conf.py``::

    extensions = ["versus.sphinx"]
    versus_book = "../concurrency"   # the book's folder (where book.toml is), from conf.py

Then, in any document::

    .. versus-matrix::
    .. versus-guide::
    .. versus-model:: threads
    .. versus-dimension:: startup

Each takes ``:book: path`` to use another book (relative to the document). HTML builders
get versus's interactive fragments for the matrix and the guide; every other builder, and
the model and dimension directives everywhere, get docutils tables and lists. Every string
of the book is a gettext message of the document (see :mod:`versus.sphinx.messages`).
README.md, "Inclusion in other docs", has the whole story.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import book as books
from . import content, fragment
from .messages import to_nodes

logger = logging.getLogger(__name__)

# Built books of this process, by (doctree folder, book folder): versus runs once per build.
_built: dict[tuple[Path, Path], books.Book | None] = {}


def get_book(doctreedir: Path, root: Path, config: Any) -> books.Book | None:
    """The book at ``root``, built with conf.py's binary and in its ``language`` (which one
    build of Sphinx never changes)."""
    key = (Path(doctreedir), root.resolve())
    if key not in _built:
        _built[key] = books.prepare(root, Path(doctreedir), config.versus_binary, config.language)
    return _built[key]


class versus_content(nodes.General, nodes.Element, addnodes.translatable):  # noqa: N801 (docutils naming)
    """Where a directive's content goes once the builder is known; until then it holds the
    messages, which Sphinx's i18n transform translates and the gettext builder extracts."""

    def preserve_original_messages(self) -> None:
        """The original messages are ``self['messages']``, which translation never changes."""

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        self["translations"][original_message] = translated_message

    def extract_original_messages(self) -> list[str]:
        return self["messages"]


class VersusDirective(SphinxDirective):
    kind = "matrix"
    option_spec = {"book": directives.path}

    def run(self) -> list[nodes.Node]:
        root = self.book_root()
        if root is None:
            logger.warning(
                "versus: which book? Set versus_book in conf.py, or give the directive :book: path",
                location=self.get_location(),
                type="versus",
            )
            return []
        built = get_book(self.env.doctreedir, root, self.config)
        self.env.note_dependency(str(books.stamp_of(Path(self.env.doctreedir), root)))
        if built is None:
            return []  # versus already said why, at the book's own path:line
        target = self.arguments[0] if self.arguments else ""
        if content.find(built.data, self.kind, target) is None:
            what = f"{self.kind} {target}".strip()
            logger.warning("versus: the book at %s has no %s", root, what, location=self.get_location(), type="versus")
            return []
        node = versus_content(
            kind=self.kind,
            target=target,
            book=str(root),
            messages=[m.id for m in content.messages(built.data, self.kind, target) if m.id],
            translations={},
        )
        self.set_source_info(node)
        return [node]

    def book_root(self) -> Path | None:
        if "book" in self.options:
            return Path(self.env.relfn2path(self.options["book"], self.env.docname)[1])
        if self.config.versus_book:
            return Path(self.config.versus_book)  # made absolute when the configuration was read
        return None


def directive(kind: str, with_target: bool) -> type[VersusDirective]:
    return type(
        f"Versus{kind.title()}Directive",
        (VersusDirective,),
        {"kind": kind, "required_arguments": int(with_target)},
    )


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turns each directive's node into the interactive fragment or into docutils nodes."""
    if isinstance(app.builder, MessageCatalogBuilder):
        return  # the gettext builder reads the messages off the nodes as they are
    for node in list(doctree.findall(versus_content)):
        built = get_book(app.doctreedir, Path(node["book"]), app.config)
        if built is None:
            node.replace_self([])
            continue
        node.replace_self(render(app, built, node))


def render(app: Sphinx, built: books.Book, node: versus_content) -> list[nodes.Node]:
    kind, target, translations = node["kind"], node["target"], node["translations"]
    interactive = app.builder.format == "html" and not app.builder.name.startswith("epub")
    if interactive and kind in ("matrix", "guide"):
        messages = content.messages(built.data, kind, target)
        html = fragment.translate(built.fragment(kind), messages, translations)
        return [nodes.raw("", html, format="html")]
    return content.render(built.data, kind, target, lambda m: to_nodes(translations.get(m.id, m.id)))


def config_inited(app: Sphinx, config: Any) -> None:
    """``versus_book`` is relative to conf.py's folder, as Sphinx's own paths are."""
    if config.versus_book:
        config.versus_book = str(Path(app.confdir, config.versus_book).resolve())


def builder_inited(app: Sphinx) -> None:
    """Builds the book of conf.py before reading starts, so that a changed book makes the
    documents that use it outdated (they depend on its stamp) and so parallel readers
    find it built."""
    _built.clear()
    if app.config.versus_book:
        get_book(app.doctreedir, Path(app.config.versus_book), app.config)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("versus_book", "", "env", types=frozenset({str}))
    app.add_config_value("versus_binary", None, "env", types=frozenset({str, type(None)}))
    app.add_node(versus_content)
    for kind in content.KINDS:
        app.add_directive(f"versus-{kind}", directive(kind, kind in ("model", "dimension")))
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", builder_inited)
    app.connect("doctree-resolved", resolve)
    try:
        release = version("versus")
    except PackageNotFoundError:
        release = "unknown"
    return {"version": release, "parallel_read_safe": True, "parallel_write_safe": True}

"""The book's strings as gettext messages, and translated messages back to nodes and HTML.

A message's id is reStructuredText, as for the rest of a Sphinx project: inline markup
(``code``, *emphasis*, **strong**, `links <url>`__) survives into the catalogue, so a
translator keeps or moves it. versus gives inline text as HTML (``embed/data.json``); the
message id is converted from it, and a translated message is parsed as reST into docutils
nodes (for the tables) and written out as HTML again (for the interactive fragment).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document


@dataclass(frozen=True)
class Message:
    """One string of the book: its gettext id and the HTML the fragment shows for it."""

    id: str
    html: str

    @classmethod
    def from_html(cls, text: str) -> Message:
        return cls(html_to_rst(text), text)

    @classmethod
    def from_text(cls, text: str) -> Message:
        return cls(escape_rst(text), html.escape(text, quote=False))


def escape_rst(text: str) -> str:
    """Escapes the characters that start reST inline markup."""
    return "".join("\\" + c if c in "\\*`|_" else c for c in text)


class _HtmlToRst(HTMLParser):
    """The inline HTML versus renders from Markdown (text, code, em, strong, links) as reST.
    reST cannot nest markup, so inside a link or a literal only text remains."""

    MARKS = {"code": "``", "em": "*", "strong": "**"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.link: tuple[str, list[str]] | None = None
        self.literal = False
        self.closed = False  # markup just closed: a following word needs an escaped space

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and self.link is None:
            self.open_markup()
            self.link = (dict(attrs).get("href") or "", [])
        elif tag in self.MARKS and self.link is None and not self.literal:
            self.open_markup()
            self.out.append(self.MARKS[tag])
            self.literal = tag == "code"

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link is not None:
            href, text = self.link
            self.link = None
            label = "".join(text).strip().replace("`", "\\`").replace("<", "\\<")
            self.out.append(f"`{label} <{href}>`__")
            self.closed = True
        elif tag in self.MARKS and self.link is None and (tag == "code") == self.literal:
            self.out.append(self.MARKS[tag])
            self.literal = False
            self.closed = True

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link[1].append(data)
            return
        if self.closed and data[:1].isalnum():
            self.out.append("\\ ")
        self.closed = False
        self.out.append(data if self.literal else escape_rst(data))

    def open_markup(self) -> None:
        """Markup must start after a space or punctuation: after a letter, an escaped space."""
        tail = "".join(self.out)[-1:]
        if tail.isalnum():
            self.out.append("\\ ")
        self.closed = False


def html_to_rst(text: str) -> str:
    parser = _HtmlToRst()
    parser.feed(text)
    parser.close()
    return "".join(parser.out).strip()


@cache
def _settings():
    settings = get_default_settings(Parser)
    settings.report_level = 5  # a translation that is not valid reST shows as written
    settings.halt_level = 5
    return settings


def to_nodes(message: str) -> list[nodes.Node]:
    """A message's reST as inline nodes (text as written if it is not a single paragraph)."""
    document = new_document("<versus message>", _settings())
    Parser().parse(message, document)
    if len(document.children) == 1 and isinstance(document[0], nodes.paragraph):
        return list(document[0].children)
    return [nodes.Text(message)]


def to_html(message: str) -> str:
    """A message's reST as the inline HTML the fragments use."""
    return "".join(_html(node) for node in to_nodes(message))


def to_text(message: str) -> str:
    return "".join(node.astext() for node in to_nodes(message))


def _html(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return html.escape(node.astext(), quote=False)
    inner = "".join(_html(child) for child in node.children)
    if isinstance(node, nodes.literal):
        return f"<code>{inner}</code>"
    if isinstance(node, nodes.emphasis):
        return f"<em>{inner}</em>"
    if isinstance(node, nodes.strong):
        return f"<strong>{inner}</strong>"
    if isinstance(node, nodes.reference) and node.get("refuri"):
        return f'<a href="{html.escape(node["refuri"])}">{inner}</a>'
    return inner

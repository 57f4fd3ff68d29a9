"""Translating versus's interactive HTML fragments (``embed/matrix.html``, ``guide.html``).

The fragment is versus's own output, so its markup is known: the book's strings sit in it
as the same inline HTML ``data.json`` gives (a cell, a note, a question), or as one text
node (a label, a level, a title). This replaces each such run of text and inline markup
whose whole content is a translated message, and the ``data-why`` attribute the workload
presets show. Everything else is kept byte for byte: the scripts and styles, the
fragment's own controls (``vs-`` classes and ids), and the attribute values the scripts
filter and sort on (level names, keys), so filters and URLs stay the same in every language.
"""

from __future__ import annotations

import html
import re

from .messages import Message, html_to_rst, to_html, to_text

# Scripts and styles whole, then any tag; text lies between.
TOKENS = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S)
# The inline markup versus renders from Markdown; an <a> of the fragment's own has a class or id.
INLINE = re.compile(r"^</?(?:em|strong|code|del|a)(?:\s(?![^>]*\b(?:class|id)=)[^>]*)?>$")
WHY = re.compile(r'data-why="([^"]*)"')
SEARCH = re.compile(r'data-search="([^"]*)"')


def translate(fragment: str, messages: list[Message], translations: dict[str, str]) -> str:
    """The fragment with every translated message replaced."""
    shown = {
        _key(m.html): to_html(translations[m.id]) for m in messages if translations.get(m.id, m.id) != m.id
    }
    if not shown:
        return fragment
    why = {_key(html_to_text(m.html)): to_text(translations[m.id]) for m in messages if _key(m.html) in shown}
    search = {text.lower(): translated.lower() for text, translated in why.items() if text}
    out: list[str] = []
    run: list[str] = []
    for token in TOKENS.split(fragment):
        if not token:
            continue
        if token.startswith("<") and not INLINE.match(token):
            out.append(_run(run, shown))
            run = []
            out.append(token if token.startswith(("<script", "<style")) else _attributes(token, why, search))
        else:
            run.append(token)
    out.append(_run(run, shown))
    return "".join(out)


def html_to_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def _key(markup: str) -> str:
    return html.unescape(markup).strip()


def _around(original: str, replacement: str) -> str:
    """``replacement`` with the whitespace that surrounded ``original``."""
    start = original[: len(original) - len(original.lstrip())]
    end = original[len(original.rstrip()) :]
    return f"{start}{replacement}{end}"


def _run(tokens: list[str], shown: dict[str, str]) -> str:
    """A run of text and inline markup: whole if it is one message, else text by text."""
    whole = "".join(tokens)
    if _key(whole) in shown:
        return _around(whole, shown[_key(whole)])
    return "".join(token if token.startswith("<") else _text(token, shown) for token in tokens)


def _text(token: str, shown: dict[str, str]) -> str:
    key = _key(token)
    if key in shown:
        return _around(token, shown[key])
    parts = key.split(", ")
    if len(parts) > 1 and all(part in shown for part in parts):
        return _around(token, ", ".join(shown[part] for part in parts))  # a tags cell
    return token


def _attributes(tag: str, why: dict[str, str], search: dict[str, str]) -> str:
    """A preset's reason, translated; a row's search text, with the translations of the
    strings it contains added, so the free-text filter finds words of either language."""

    def swap(match: re.Match[str]) -> str:
        text = why.get(_key(match[1]))
        return f'data-why="{html.escape(text)}"' if text else match[0]

    def extend(match: re.Match[str]) -> str:
        text = html.unescape(match[1])
        found = [t for o, t in search.items() if re.search(rf"(?<!\w){re.escape(o)}(?!\w)", text)]
        return f'data-search="{html.escape(" ".join([text, *found]))}"' if found else match[0]

    return SEARCH.sub(extend, WHY.sub(swap, tag))

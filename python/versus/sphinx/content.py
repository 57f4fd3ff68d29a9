"""What each directive shows, from ``embed/data.json``: its messages, and its docutils nodes.

Both come from the same walk over the data, so every string a table shows is a message the
gettext builder extracts. ``say`` turns a message into inline nodes, translated or not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from docutils import nodes

from .messages import Message

Say = Callable[[Message], list[nodes.Node]]

# The extension's own words in the tables, translated like the book's.
NOT_APPLICABLE = Message.from_text("n/a")
DIMENSION = Message.from_text("Dimension")
MODEL = Message.from_text("Model")
KINDS = ("matrix", "guide", "model", "dimension")


def find(data: dict, kind: str, target: str) -> dict | None:
    """What a directive shows (the model, the dimension, the guide), or None."""
    if kind == "guide":
        return data.get("guide")
    if kind == "model":
        return next((m for m in data["models"] if m["slug"] == target), None)
    if kind == "dimension":
        return next((d for d in data["dimensions"] if d["key"] == target), None)
    return data


def messages(data: dict, kind: str, target: str) -> list[Message]:
    """Every message the directive's content shows, once each, in reading order."""
    seen: dict[str, Message] = {}
    recorded: list[Message] = []

    def say(message: Message) -> list[nodes.Node]:
        if message.id not in seen:
            seen[message.id] = message
            recorded.append(message)
        return [nodes.Text(message.id)]

    render(data, kind, target, say)
    if kind == "matrix" and data.get("guide"):
        for answer in answers(data["guide"]):
            if "preset" in answer:  # only the interactive matrix shows workload presets
                say(Message.from_text(answer["preset"]))
                if answer.get("why"):
                    say(Message.from_html(answer["why"]))
    return recorded


def answers(question: dict) -> Iterator[dict]:
    """Every answer of the guide, depth first."""
    for answer in question["answers"]:
        yield answer
        if "question" in answer:
            yield from answers(answer["question"])


def render(data: dict, kind: str, target: str, say: Say) -> list[nodes.Node]:
    if kind == "matrix":
        return matrix(data, say)
    if kind == "guide":
        return guide(data, say)
    if kind == "model":
        return model(data, find(data, kind, target), say)
    return dimension(data, find(data, kind, target), say)


def matrix(data: dict, say: Say) -> list[nodes.Node]:
    """A row per dimension and a column per model (fits narrow text and paper), then the
    notes and what each dimension means."""
    models = data["models"]
    header = [paragraph(say(DIMENSION))] + [paragraph(title(model, say)) for model in models]
    rows = []
    for index, dim in enumerate(data["dimensions"]):
        cells = [paragraph(value(dim, model["values"][index], say)) for model in models]
        rows.append([paragraph(say(Message.from_text(dim["label"])))] + cells)
    numbers = sorted(n for model in models for n in note_numbers(model))
    return [table(header, rows, "versus-matrix"), *notes(data, numbers, say), dimensions_help(data, say)]


def model(data: dict, chosen: dict, say: Say) -> list[nodes.Node]:
    """One model's values: a row per dimension."""
    header = [paragraph(say(DIMENSION)), paragraph(title(chosen, say))]
    rows = [
        [paragraph(say(Message.from_text(dim["label"]))), paragraph(value(dim, chosen["values"][index], say))]
        for index, dim in enumerate(data["dimensions"])
    ]
    return [table(header, rows, "versus-model"), *notes(data, list(note_numbers(chosen)), say)]


def dimension(data: dict, chosen: dict, say: Say) -> list[nodes.Node]:
    """One dimension: what it means, then every model's value on it."""
    index = data["dimensions"].index(chosen)
    header = [paragraph(say(MODEL)), paragraph(say(Message.from_text(chosen["label"])))]
    rows = [[paragraph(title(m, say)), paragraph(value(chosen, m["values"][index], say))] for m in data["models"]]
    numbers = [m["values"][index]["note"] for m in data["models"] if "note" in m["values"][index]]
    return [paragraph(say(Message.from_text(chosen["help"]))), table(header, rows, "versus-dimension"), *notes(data, numbers, say)]


def guide(data: dict, say: Say) -> list[nodes.Node]:
    """The guide tree as nested bullet lists: a question, then its answers."""
    titles = {m["slug"]: m for m in data["models"]}

    def question(q: dict) -> nodes.bullet_list:
        item = nodes.list_item("", paragraph([nodes.strong("", "", *say(Message.from_html(q["html"])))]))
        answers = nodes.bullet_list()
        for answer in q["answers"]:
            line = say(Message.from_html(answer["html"]))
            if "model" in answer:
                line += [nodes.Text(": "), *linked_title(titles[answer["model"]], say), nodes.Text(".")]
            if answer.get("why"):
                line += [nodes.Text(" "), *say(Message.from_html(answer["why"]))]
            entry = nodes.list_item("", paragraph(line))
            if "question" in answer:
                entry += question(answer["question"])
            answers += entry
        item += answers
        return nodes.bullet_list("", item, classes=["versus-guide"])

    return [question(data["guide"])]


def title(model: dict, say: Say) -> list[nodes.Node]:
    """A model's title, as table headings show it: not a link, because themes colour links
    for the page's background, not for a heading cell's (python-docs-theme's dark mode
    falls below the contrast WCAG asks for)."""
    return say(Message.from_text(model["title"]))


def linked_title(model: dict, say: Say) -> list[nodes.Node]:
    """A model's title, linked to its page."""
    return [nodes.reference("", "", *title(model, say), refuri=model["url"])]


def value(dim: dict, cell: dict, say: Say) -> list[nodes.Node]:
    """A value as the matrix shows it (levels joined by commas), with its note's number."""
    if cell.get("na"):
        shown = say(NOT_APPLICABLE)
    elif "html" in cell:
        shown = say(Message.from_html(cell["html"]))
    else:
        shown = []
        for position, level in enumerate(cell.get("levels", [])):
            shown += ([nodes.Text(", ")] if position else []) + say(Message.from_text(level))
    if "note" in cell:
        shown.append(nodes.Text(f" [{cell['note']}]"))
    return shown


def note_numbers(model: dict) -> Iterator[int]:
    return (cell["note"] for cell in model["values"] if "note" in cell)


def notes(data: dict, numbers: list[int], say: Say) -> list[nodes.Node]:
    """The notes a table refers to, each after its number in brackets."""
    return [
        paragraph([nodes.Text(f"[{number}] "), *say(Message.from_html(data["notes"][number - 1]))], "versus-note")
        for number in numbers
    ]


def dimensions_help(data: dict, say: Say) -> nodes.definition_list:
    help_list = nodes.definition_list(classes=["versus-dimensions"])
    for dim in data["dimensions"]:
        term = nodes.term("", "", *say(Message.from_text(dim["label"])))
        meaning = nodes.definition("", paragraph(say(Message.from_text(dim["help"]))))
        help_list += nodes.definition_list_item("", term, meaning)
    return help_list


def paragraph(children: list[nodes.Node], *classes: str) -> nodes.paragraph:
    return nodes.paragraph("", "", *children, classes=list(classes))


def table(header: list[nodes.Node], rows: list[list[nodes.Node]], kind: str) -> nodes.table:
    """A docutils table with a header row and a stub first column."""
    width = len(header)
    group = nodes.tgroup(cols=width)
    for column in range(width):
        group += nodes.colspec(colwidth=20 if column == 0 else max(10, 80 // (width - 1)), stub=int(column == 0))
    group += nodes.thead("", row(header))
    group += nodes.tbody("", *(row(cells) for cells in rows))
    return nodes.table("", group, classes=["versus-table", kind])


def row(cells: list[nodes.Node]) -> nodes.row:
    return nodes.row("", *(nodes.entry("", cell) for cell in cells))

"""Writes one documentation-like corpus as a versus book, a Hugo site and an mdBook book.

Every page has headings, paragraphs, a list, a table, links to other pages, and three
fenced code blocks (Python, shell, TOML) of 20 to 40 lines, each different. The text is a
pure function of the page number, so the corpus is the same on every run and machine.

Run: python3 bench/corpus.py PAGES OUT_DIR   (writes OUT_DIR/versus, OUT_DIR/hugo, OUT_DIR/mdbook)
"""

import sys
from pathlib import Path

WORDS = ("concurrency thread process event loop task worker queue lock future executor "
         "interpreter memory switch parallel request response socket buffer scheduler "
         "context pool result error timeout signal pipe channel message state shared").split()


def word(n, i):
    return WORDS[(n * 7 + i * 13 + i * i) % len(WORDS)]


def sentence(n, i, length=12):
    words = [word(n, i * length + j) for j in range(length)]
    return " ".join(words).capitalize() + "."


def paragraph(n, i):
    return " ".join(sentence(n, i * 5 + j, 9 + (n + j) % 6) for j in range(4))


def python_block(n):
    lines = [f"import asyncio  # sample {n}", "", ""]
    for f in range(3 + n % 3):
        name = f"{word(n, f)}_{word(n, f + 3)}_{n}"
        lines += [f"async def {name}(queue, limit={n % 97 + f}):",
                  f'    """Handle {word(n, f + 5)} items from the queue."""',
                  "    total = 0",
                  "    while total < limit:",
                  f"        item = await queue.get()  # {word(n, f + 7)}",
                  f"        total += len(str(item)) * {f + 2}",
                  "    return total", "", ""]
    lines.append(f'print("done", {n})')
    return "\n".join(lines[:40])


def shell_block(n):
    lines = [f"# build step {n}", "set -euo pipefail"]
    for i in range(18 + n % 20):
        lines.append(f'echo "{word(n, i)} {i}" | grep -c {word(n, i + 1)} > /tmp/out-{n}-{i}.txt || true')
    return "\n".join(lines[:40])


def toml_block(n):
    lines = [f"# settings for page {n}", "[server]", f'name = "{word(n, 1)}-{n}"', f"port = {8000 + n % 1000}"]
    for i in range(3 + n % 5):
        lines += ["", f"[[worker]]", f'kind = "{word(n, i)}"', f"threads = {i + 1}", f"timeout = {1.5 + i}", f"enabled = {str(i % 2 == 0).lower()}"]
    return "\n".join(lines[:40])


def body(n, pages, link):
    """The Markdown body of page n; `link(target)` spells a link to page `target`."""
    others = sorted({(n + 1) % pages, (n * 7 + 3) % pages, (n + pages - 1) % pages} - {n})
    links = ", ".join(f"[page {t}]({link(t)})" for t in others)
    rows = "\n".join(f"| {word(n, r)} | {r * n % 101} | {word(n, r + 2)} |" for r in range(4))
    return f"""{paragraph(n, 0)}

## The {word(n, 1)} model

{paragraph(n, 1)}

- {sentence(n, 20, 6)}
- {sentence(n, 21, 7)}
- {sentence(n, 22, 5)}

See also {links}.

```python
{python_block(n)}
```

### Measuring {word(n, 2)}

| name | value | unit |
| --- | --- | --- |
{rows}

{paragraph(n, 2)}

```sh
{shell_block(n)}
```

## Configuring {word(n, 3)}

{paragraph(n, 3)}

```toml
{toml_block(n)}
```

{paragraph(n, 4)}
"""


def name(n):
    return f"page-{n:05d}"


def title(n):
    return f"Page {n}: the {word(n, 0)} {word(n, 9)}"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def main():
    pages, out = int(sys.argv[1]), Path(sys.argv[2])
    # versus: pages under docs/, reached from a docs index linked from the home page.
    v = out / "versus"
    write(v / "book.toml", '[book]\ntitle = "Corpus"\n\n[build]\nbase-url = "https://example.org/"\n')
    write(v / "content/index.md", "---\ntitle: Corpus\n---\nSee [the documents](docs/index.md).\n")
    write(v / "content/docs/index.md", "---\ntitle: Documents\n---\n" + "".join(f"- [{title(n)}]({name(n)}.md)\n" for n in range(pages)))
    # Hugo: the same pages as a section, with minimal layouts and class-based highlighting.
    h = out / "hugo"
    write(h / "hugo.toml", 'baseURL = "https://example.org/"\ntitle = "Corpus"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
          '[markup.highlight]\nnoClasses = false\n')
    write(h / "layouts/_default/baseof.html", '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main>{{ block "main" . }}{{ end }}</main></body></html>\n')
    write(h / "layouts/_default/single.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n')
    write(h / "layouts/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
    write(h / "layouts/index.html", '{{ define "main" }}<h1>{{ .Title }}</h1><a href="docs/">Documents</a>{{ end }}\n')
    write(h / "content/docs/_index.md", "---\ntitle: Documents\n---\n")
    # mdBook: every page in SUMMARY.md.
    m = out / "mdbook"
    write(m / "book.toml", '[book]\ntitle = "Corpus"\n\n[output.html]\nsearch.enable = false\n')
    write(m / "src/SUMMARY.md", "# Summary\n\n" + "".join(f"- [{title(n)}]({name(n)}.md)\n" for n in range(pages)))
    for n in range(pages):
        write(v / f"content/docs/{name(n)}.md", f"---\ntitle: \"{title(n)}\"\n---\n" + body(n, pages, lambda t: f"{name(t)}.md"))
        write(h / f"content/docs/{name(n)}.md", f"---\ntitle: \"{title(n)}\"\n---\n" + body(n, pages, lambda t: f"../{name(t)}/"))
        write(m / f"src/{name(n)}.md", f"# {title(n)}\n\n" + body(n, pages, lambda t: f"{name(t)}.md"))


if __name__ == "__main__":
    main()

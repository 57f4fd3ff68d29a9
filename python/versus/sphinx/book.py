"""Building a book with the installed ``versus`` binary, at most once per Sphinx build.

The build goes to a folder under Sphinx's doctree folder, keyed by the book's path, with a
stamp holding the hash of the book's inputs (``book.toml``, the content folder, ``themes/``,
the binary itself, and the language of the documentation when versus ships a catalogue of
strings for it, which the build then passes as ``--language`` so that the fragments' own
controls speak the documentation's language). When the hash matches the stamp, versus does not run at all; when
it changes, the stamp is rewritten, and since every document that uses the book depends on
the stamp (``env.note_dependency``), Sphinx reads those documents again.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

# `path:line:col: error: message`, as every versus diagnostic starts.
DIAGNOSTIC = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<message>.*)$")


@dataclass(frozen=True)
class Book:
    """A built book: its source folder, its data and where its fragments are."""

    root: Path
    embed: Path
    stamp: Path
    data: dict

    def fragment(self, name: str) -> str:
        return (self.embed / f"{name}.html").read_text(encoding="utf-8")


def find_binary(configured: str | None) -> Path | None:
    """The binary named in conf.py, else the one installed next to this Python (by the
    wheel), else the first ``versus`` on PATH."""
    if configured:
        return Path(configured)
    scripts = Path(sysconfig.get_path("scripts"))
    for folder in (scripts, Path(sys.executable).parent):
        for name in ("versus", "versus.exe"):
            if (folder / name).is_file():
                return folder / name
    found = shutil.which("versus")
    return Path(found) if found else None


def inputs(root: Path) -> list[Path]:
    """Every file a build of the book reads: book.toml, the content folder and themes/."""
    files = [root / "book.toml"]
    try:
        config = tomllib.loads(files[0].read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        config = {}  # versus itself reports a broken book.toml, with its position
    content = config.get("build", {}).get("content", "content")
    for folder in (root / str(content), root / "themes"):
        if folder.is_dir():
            files.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    return files


def shipped_languages(binary: Path) -> tuple[str, ...]:
    """The languages ``versus languages`` says versus ships a catalogue of strings for; none
    if it cannot say (a versus older than the command)."""
    try:
        done = subprocess.run([str(binary), "languages"], capture_output=True, text=True, check=False)
    except OSError:
        return ()
    if done.returncode != 0:
        return ()
    return tuple(line.strip() for line in done.stdout.splitlines() if line.strip())


def catalogue_for(language: str | None, shipped: tuple[str, ...]) -> str | None:
    """The shipped catalogue for Sphinx's ``language`` (``fr``, ``fr_FR``, ``pt_BR``, None):
    the whole tag if versus ships it, else its language, as versus itself resolves a tag;
    None when there is none, and the book is then built in its own language."""
    if not language:
        return None
    tag = language.replace("_", "-").lower()
    shipped_lower = {name.lower(): name for name in shipped}
    for candidate in (tag, tag.split("-")[0]):
        if candidate in shipped_lower:
            return shipped_lower[candidate]
    return None


def inputs_hash(root: Path, binary: Path, language: str | None = None) -> str:
    digest = hashlib.sha256()
    status = binary.stat()
    digest.update(f"{binary.resolve()}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    digest.update(f"language={language or ''}\0".encode())
    for path in inputs(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(missing)")
        digest.update(b"\0")
    return digest.hexdigest()


def cache_of(doctreedir: Path, root: Path) -> Path:
    """Where the book at ``root`` is built: under Sphinx's doctree folder, by its path."""
    return doctreedir / "versus" / hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def stamp_of(doctreedir: Path, root: Path) -> Path:
    """The file holding the hash of the last good build's inputs: what documents depend on."""
    return cache_of(doctreedir, root) / "inputs.sha256"


def prepare(root: Path, doctreedir: Path, configured_binary: str | None, language: str | None = None) -> Book | None:
    """Builds the book at ``root`` unless its inputs are unchanged since the last build, in
    Sphinx's ``language`` if versus ships a catalogue for it.

    Problems are logged as Sphinx warnings at the book's own ``path:line``. Returns the
    last good build (which may be older than a failed one), or None if there is none.
    """
    root = root.resolve()
    cache = cache_of(doctreedir, root)
    book = Book(root, cache / "site" / "embed", stamp_of(doctreedir, root), {})
    if not (root / "book.toml").is_file():
        logger.warning("versus: no book.toml in %s", root, type="versus", subtype="book")
        return None
    binary = find_binary(configured_binary)
    if binary is None or not binary.is_file():
        logger.warning(
            "versus: the versus binary was not found (install the versus wheel, or set versus_binary in conf.py)",
            type="versus",
            subtype="binary",
        )
        return load(book)
    catalogue = catalogue_for(language, shipped_languages(binary))
    wanted = inputs_hash(root, binary, catalogue)
    current = book.stamp.read_text(encoding="utf-8") if book.stamp.is_file() else ""
    if current != wanted or not (book.embed / "data.json").is_file():
        if run(binary, root, cache / "site", catalogue):
            book.stamp.write_text(wanted, encoding="utf-8")
    return load(book)


def load(book: Book) -> Book | None:
    try:
        data = json.loads((book.embed / "data.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Book(book.root, book.embed, book.stamp, data)


def run(binary: Path, root: Path, dest: Path, language: str | None = None) -> bool:
    """Runs ``versus build`` (in ``language``, a shipped catalogue, if given); reports its
    diagnostics as warnings. True on success."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    command = [str(binary), "build", ".", "--dest", str(dest)]
    if language:
        command += ["--language", language]
    logger.info("versus: building %s%s", root, f" (language {language})" if language else "")
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    except OSError as error:
        logger.warning("versus: cannot run %s: %s", binary, error, type="versus", subtype="binary")
        return False
    if done.returncode != 0:
        report(done.stderr, root)
    return done.returncode == 0


def report(stderr: str, root: Path) -> None:
    """Each diagnostic (and its ``help:`` lines) becomes one warning at its position."""
    current: list[str] | None = None
    location = str(root / "book.toml")
    found: list[tuple[str, list[str]]] = []
    for line in stderr.splitlines():
        match = DIAGNOSTIC.match(line)
        if match:
            location = f"{root / match['path']}:{match['line']}"
            current = [f"versus {match['level']}: {match['message']}"]
            found.append((location, current))
        elif line.startswith("  ") and current is not None:
            current.append(line.strip())
        elif line.startswith("error: "):
            current = [f"versus {line}"]
            found.append((location, current))
    if not found:
        found.append((location, [f"versus build failed: {stderr.strip()}"]))
    for where, lines in found:
        logger.warning("%s", "\n".join(lines), location=where, type="versus", subtype="build")

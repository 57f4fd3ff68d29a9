"""Rebuilds against full builds: versus with its build cache, versus without it, and Hugo.

Writes the corpus (bench/corpus.py), then, round after round so background noise hits every
case alike: Hugo's build; versus's full build without the cache (`--no-cache`, a fresh output
folder: what every build cost before the cache); versus's cold build with an empty cache;
and three rebuilds with the cache, of the corpus unchanged, after one page's prose changed,
and after one code block changed (after a first change, which also makes the spare tree
of the output folder, measured apart). Prints, per case, the median wall time, CPU time, system
time and peak memory (/usr/bin/time), and its ratio to Hugo's build and to versus's own full
build.

Run: python3 bench/rebuild.py [--pages 10000] [--rounds 3] [--versus target/release/versus]
     [--hugo hugo] [--work /tmp/versus-rebuild]
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import timed  # noqa: E402


def version(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "not found"


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--versus", default="target/release/versus")
    parser.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    parser.add_argument("--work", default="/tmp/versus-rebuild")
    args = parser.parse_args()
    versus = str(Path(args.versus).resolve())
    print(f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"versions: {version([versus, '--version'])}; {version([args.hugo, 'version'])}", flush=True)
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.pages), str(corpus)], check=True)
    book = corpus / "versus"
    cache = work / "cache"
    page = book / "content/docs/page-00007.md"

    def build(dest, *extra):
        return timed([versus, "build", str(book), "--dest", str(work / dest), "--cache-dir", str(cache), *extra])

    cases = {name: [] for name in ("hugo", "full", "cold", "first change", "no change", "one page", "one code block")}
    for round_ in range(args.rounds):
        shutil.rmtree(work / "hugo-out", ignore_errors=True)
        cases["hugo"].append(timed([args.hugo, "--quiet", "-s", str(corpus / "hugo"), "-d", str(work / "hugo-out")]))
        shutil.rmtree(work / "full", ignore_errors=True)
        cases["full"].append(timed([versus, "build", str(book), "--dest", str(work / "full"), "--no-cache"]))
        shutil.rmtree(cache, ignore_errors=True)
        for leftover in (work / "site", work / ".site.versus-spare"):
            shutil.rmtree(leftover, ignore_errors=True)
        cases["cold"].append(build("site"))
        # The first change after a build into an empty folder also makes the spare tree.
        edit(page, 'title: "Page 7', f'title: "Page 7 ({round_})')
        cases["first change"].append(build("site"))
        cases["no change"].append(build("site"))
        edit(page, "\n## ", f"\nA sentence added in round {round_}.\n\n## ")
        cases["one page"].append(build("site"))
        edit(page, "import asyncio  # sample 7", f"import asyncio  # sample 7, round {round_}")
        cases["one code block"].append(build("site"))
        print(f"round {round_ + 1}: " + ", ".join(f"{name} {runs[-1][0]:.2f} s" for name, runs in cases.items()), flush=True)

    medians = {name: tuple(statistics.median(run[i] for run in runs) for i in range(4)) for name, runs in cases.items()}
    hugo, full = medians["hugo"][0], medians["full"][0]
    print(f"\n{args.pages} pages, median of {args.rounds} rounds")
    print(f"{'case':16} {'wall s':>8} {'cpu s':>8} {'sys s':>8} {'peak MB':>8} {'÷ Hugo':>8} {'÷ full':>8}")
    for name, (wall, cpu, system, peak) in medians.items():
        print(f"{name:16} {wall:8.2f} {cpu:8.2f} {system:8.2f} {peak:8.0f} {wall / hugo:7.3f}x {wall / full:7.3f}x")
    print("\nfull: versus build --no-cache into a new folder; cold: with an empty cache; the rest reuse the cache and the output")


if __name__ == "__main__":
    main()

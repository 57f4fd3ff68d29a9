"""versus against Hugo and mdBook on the same corpus, on the same machine, in the same run.

For each corpus size it writes the corpus (bench/corpus.py), then builds it with each tool in
turn, round after round, so background noise hits every tool alike; versus builds without its
build cache (`--no-cache`), so every round is a full build like the others'. For each tool it prints
the median wall time, CPU time (user + system) and peak memory from /usr/bin/time, pages per
second, and versus's ratio to each peer. Then the scaling of versus from 1,000 to 10,000 pages
and the cold start of the shipped book. mdBook highlights code in the browser, not at build
time, so it does less work than the other two.

Run: python3 bench/compare.py [--sizes 100,1000,10000] [--rounds 3] [--versus target/release/versus]
     [--hugo hugo] [--mdbook mdbook] [--work /tmp/versus-bench]
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


def commands(tools, corpus, out):
    return {
        # Without the build cache: after the first round it would hold every highlighted block,
        # and versus would be timed on rebuilds against Hugo's full builds.
        "versus": [tools["versus"], "build", str(corpus / "versus"), "--dest", str(out / "versus"), "--no-cache"],
        "hugo": [tools["hugo"], "--quiet", "-s", str(corpus / "hugo"), "-d", str(out / "hugo")],
        "mdbook": [tools["mdbook"], "build", str(corpus / "mdbook"), "-d", str(out / "mdbook")],
    }


def version(command):
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "not found"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--versus", default="target/release/versus")
    parser.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    parser.add_argument("--mdbook", default=shutil.which("mdbook") or "target/peers/bin/mdbook")
    parser.add_argument("--work", default="/tmp/versus-bench")
    args = parser.parse_args()
    tools = {"versus": str(Path(args.versus).resolve()), "hugo": args.hugo, "mdbook": args.mdbook}
    print(f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"versions: {version([tools['versus'], '--version'])}; {version([tools['hugo'], 'version'])}; "
          f"{version([tools['mdbook'], '--version'])}")
    per_page = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        work = Path(args.work) / str(size)
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(size), str(work / "corpus")], check=True)
        runs = {tool: [] for tool in tools}
        for _ in range(args.rounds):
            for tool, command in commands(tools, work / "corpus", work / "out").items():
                shutil.rmtree(work / "out" / tool, ignore_errors=True)
                runs[tool].append(timed(command))
        print(f"\n{size} pages, median of {args.rounds} rounds")
        print(f"{'tool':8} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'pages/s':>9}")
        medians = {}
        for tool, samples in runs.items():
            wall = statistics.median(s.wall for s in samples)
            cpu = statistics.median(s.cpu for s in samples)
            peak = statistics.median(s.peak_mb for s in samples)
            medians[tool] = (wall, cpu, peak)
            print(f"{tool:8} {wall:8.2f} {cpu:8.2f} {peak:8.0f} {size / wall:9.0f}")
        v = medians["versus"]
        for peer in ("hugo", "mdbook"):
            p = medians[peer]
            print(f"versus / {peer}: wall {v[0] / p[0]:.2f}x, cpu {v[1] / p[1]:.2f}x, peak memory {v[2] / p[2]:.2f}x")
        per_page[size] = v[0] / size
    if 1000 in per_page and 10000 in per_page:
        print(f"\nscaling: time per page at 10,000 pages is {per_page[10000] / per_page[1000]:.2f}x that at 1,000")
    shipped = Path(args.work) / "shipped"
    cold = [timed([tools["versus"], "build", str(HERE.parent), "--dest", str(shipped)]) for _ in range(5)]
    again = [timed([tools["versus"], "build", str(HERE.parent), "--dest", str(shipped)]) for _ in range(5)]
    print(f"shipped book: build {statistics.median(c.wall for c in cold) * 1000:.0f} ms (whole process), "
          f"rebuild with no change {statistics.median(a.wall for a in again) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

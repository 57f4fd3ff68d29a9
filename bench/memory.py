"""Peak memory and time of versus's builds, against other binaries of versus, on one corpus.

Writes the corpus (bench/corpus.py), then, round after round and binary after binary so
background noise hits every binary alike: a full build without the cache (`--no-cache`,
into a new folder), a cold build with an empty cache, and a rebuild with no change. A
binary from before the build cache (no `--no-cache`) gets only the full build, without
the flag. Prints, per binary and case, the median wall time, CPU time (user + system) and
peak memory (/usr/bin/time), and every round's wall time and peak, to show the noise.

Run: python3 bench/memory.py [--pages 10000] [--rounds 3] [--versus target/release/versus]
     [--against OTHER_BINARY ...] [--work /tmp/versus-memory]
"""

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import timed  # noqa: E402


def has_cache(binary):
    help_text = subprocess.run([binary, "build", "--help"], capture_output=True, text=True).stdout
    return "--no-cache" in help_text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--versus", default="target/release/versus")
    parser.add_argument("--against", nargs="*", default=[])
    parser.add_argument("--work", default="/tmp/versus-memory")
    args = parser.parse_args()
    binaries = [str(Path(b).resolve()) for b in [args.versus, *args.against]]
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(HERE / "corpus.py"), str(args.pages), str(corpus)], check=True)
    book = corpus / "versus"
    runs = {}
    for round_ in range(args.rounds):
        for number, binary in enumerate(binaries):
            out, cache = work / f"out-{number}", work / f"cache-{number}"
            cached = has_cache(binary)
            shutil.rmtree(out, ignore_errors=True)
            full = timed([binary, "build", str(book), "--dest", str(out), *(["--no-cache"] if cached else [])])
            runs.setdefault((binary, "full"), []).append(full)
            if cached:
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
                build = [binary, "build", str(book), "--dest", str(out), "--cache-dir", str(cache)]
                runs.setdefault((binary, "cold"), []).append(timed(build))
                runs.setdefault((binary, "no change"), []).append(timed(build))
        print(f"round {round_ + 1} done", flush=True)
    print(f"\n{args.pages} pages, median of {args.rounds} rounds")
    print(f"{'binary / case':60} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  rounds: wall s, peak MB")
    for (binary, case), samples in runs.items():
        medians = [statistics.median(getattr(s, field) for s in samples) for field in ("wall", "cpu", "peak_mb")]
        each = ", ".join(f"{s.wall:.1f} s {s.peak_mb:.0f} MB" for s in samples)
        print(f"{binary[-45:] + ' ' + case:60} {medians[0]:8.2f} {medians[1]:8.2f} {medians[2]:8.0f}  {each}")
    print("\nfull: build --no-cache into a new folder; cold: with an empty cache; no change: the same build again")


if __name__ == "__main__":
    main()

"""Measures what one more task costs in each concurrency model, on this machine.

Standard library only. For threads, asyncio tasks, processes (per start method) and
subinterpreters (where the interpreter has them), it prints the median time to start one
unit and the resident memory each adds. The book quotes its output, labelled with the
machine and Python version it ran on.

With --runs N it measures N times, each in a fresh interpreter (so memory freed by one run
cannot flatter the next), and prints the median of the N runs for every figure with their
range, and the load average before and after, since a busy machine slows every start.

Run: python3 bench/concurrency_costs.py [--quick] [--runs N]
"""

import asyncio
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import threading
import time


def rss_kib(pid="self"):
    """Resident set size in KiB, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def pss_kib(pid):
    """Proportional set size in KiB: pages shared with other processes count in part, so a
    forked child is not charged for the parent's untouched memory. Linux only."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def median_ms(samples):
    return statistics.median(samples) * 1000


def measure_threads(count):
    release = threading.Event()
    threads = [threading.Thread(target=release.wait) for _ in range(count)]
    before = rss_kib()
    starts = []
    for thread in threads:
        start = time.perf_counter()
        thread.start()
        starts.append(time.perf_counter() - start)
    after = rss_kib()
    release.set()
    for thread in threads:
        thread.join()
    memory = None if before is None else (after - before) / count
    return median_ms(starts), memory


def measure_tasks(count):
    async def main():
        release = asyncio.Event()
        before = rss_kib()
        start = time.perf_counter()
        tasks = [asyncio.create_task(release.wait()) for _ in range(count)]
        await asyncio.sleep(0)  # every task has started and is waiting
        elapsed = time.perf_counter() - start
        after = rss_kib()
        release.set()
        await asyncio.gather(*tasks)
        memory = None if before is None else (after - before) / count
        return elapsed / count * 1000, memory

    return asyncio.run(main())


def child_waits(connection):
    connection.send("ready")
    connection.recv()


def measure_processes(method, count):
    context = multiprocessing.get_context(method)
    starts, memory = [], []
    for _ in range(count):
        parent, child = context.Pipe()
        process = context.Process(target=child_waits, args=(child,))
        start = time.perf_counter()
        process.start()
        parent.recv()  # the child is running Python code
        starts.append(time.perf_counter() - start)
        kib = pss_kib(process.pid)
        if kib is not None:
            memory.append(kib)
        parent.send("done")
        process.join()
    return median_ms(starts), statistics.median(memory) if memory else None


def measure_interpreters(count):
    try:
        from concurrent import interpreters
    except ImportError:
        return None
    starts, created = [], []
    before = rss_kib()
    for _ in range(count):
        start = time.perf_counter()
        interp = interpreters.create()
        interp.exec("pass")
        starts.append(time.perf_counter() - start)
        created.append(interp)
    after = rss_kib()
    for interp in created:
        interp.close()
    memory = None if before is None else (after - before) / count
    return median_ms(starts), memory


def fmt(value, unit):
    return "n/a" if value is None else f"{value:,.3f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def measure_all(quick):
    """Every figure of one run, as [label, milliseconds, KiB, memory note] rows."""
    n_threads, n_tasks, n_processes, n_interps = (50, 2_000, 3, 3) if quick else (200, 100_000, 15, 10)
    rows = []
    ms, kib = measure_threads(n_threads)
    rows.append([f"thread ({n_threads})", ms, kib, ""])
    ms, kib = measure_tasks(n_tasks)
    rows.append([f"asyncio task ({n_tasks:,})", ms, kib, ""])
    for method in multiprocessing.get_all_start_methods():
        ms, kib = measure_processes(method, n_processes)
        default = " (default)" if method == multiprocessing.get_start_method() else ""
        rows.append([f"process, {method}{default} ({n_processes})", ms, kib, " (child's PSS)"])
    result = measure_interpreters(n_interps)
    if result is None:
        rows.append(["subinterpreter", None, None, " (needs Python 3.14)"])
    else:
        ms, kib = result
        rows.append([f"subinterpreter ({n_interps})", ms, kib, ""])
    return rows


def median_of_runs(runs):
    """Combines the rows of several runs: the median of each figure, and its range."""
    combined = []
    for rows in zip(*runs):
        label, note = rows[0][0], rows[0][3]
        cells = []
        for column, unit in ((1, "ms"), (2, "KiB")):
            values = [row[column] for row in rows if row[column] is not None]
            if not values:
                cells.append("n/a")
                continue
            cells.append(f"{fmt(statistics.median(values), unit)} "
                         f"({fmt(min(values), unit)} to {fmt(max(values), unit)})")
        combined.append((label, cells[0], cells[1] + note))
    return combined


def runs_in_fresh_interpreters(count, quick):
    """Runs this script `count` times, each in a new interpreter, and returns their rows."""
    command = [sys.executable, os.path.abspath(__file__), "--json"] + (["--quick"] if quick else [])
    return [json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            for _ in range(count)]


def load_average():
    try:
        return " / ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


def main():
    quick = "--quick" in sys.argv
    if "--json" in sys.argv:
        print(json.dumps(measure_all(quick)))
        return
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"Python: {platform.python_implementation()} {platform.python_version()}"
          f"{'' if gil else ' (free-threaded, GIL off)'}")
    if runs == 1:
        print()
        print("| unit | start one (median) | resident memory per unit |")
        print("|---|---|---|")
        for label, ms, kib, note in measure_all(quick):
            print(f"| {label} | {fmt(ms, 'ms')} | {fmt(kib, 'KiB')}{note} |")
        return
    print(f"Load average (1, 5, 15 min) before: {load_average()}")
    results = runs_in_fresh_interpreters(runs, quick)
    print(f"Load average (1, 5, 15 min) after: {load_average()}")
    print(f"Runs: {runs}, each in a fresh interpreter; median of the runs (lowest to highest)")
    print()
    print("| unit | start one | resident memory per unit |")
    print("|---|---|---|")
    for label, start, memory in median_of_runs(results):
        print(f"| {label} | {start} | {memory} |")


if __name__ == "__main__":
    main()

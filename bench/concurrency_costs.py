"""Measures what one more task costs in each concurrency model, on this machine.

Standard library only. For threads, asyncio tasks, processes (per start method) and
subinterpreters (where the interpreter has them), it prints the median time to start one
unit and the resident memory each adds. The book quotes its output, labelled with the
machine and Python version it ran on.

Run: python3 bench/concurrency_costs.py [--quick]
"""

import asyncio
import multiprocessing
import os
import platform
import statistics
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


def main():
    quick = "--quick" in sys.argv
    n_threads, n_tasks, n_processes, n_interps = (50, 2_000, 3, 3) if quick else (200, 100_000, 15, 10)
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"Python: {platform.python_implementation()} {platform.python_version()}"
          f"{'' if gil else ' (free-threaded, GIL off)'}")
    print()
    print("| unit | start one (median) | resident memory per unit |")
    print("|---|---|---|")
    ms, kib = measure_threads(n_threads)
    print(f"| thread ({n_threads}) | {fmt(ms, 'ms')} | {fmt(kib, 'KiB')} |")
    ms, kib = measure_tasks(n_tasks)
    print(f"| asyncio task ({n_tasks:,}) | {fmt(ms, 'ms')} | {fmt(kib, 'KiB')} |")
    for method in multiprocessing.get_all_start_methods():
        ms, kib = measure_processes(method, n_processes)
        default = " (default)" if method == multiprocessing.get_start_method() else ""
        print(f"| process, {method}{default} ({n_processes}) | {fmt(ms, 'ms')} | {fmt(kib, 'KiB')} (child's PSS) |")
    result = measure_interpreters(n_interps)
    if result is None:
        print("| subinterpreter | needs Python 3.14 | |")
    else:
        ms, kib = result
        print(f"| subinterpreter ({n_interps}) | {fmt(ms, 'ms')} | {fmt(kib, 'KiB')} |")


if __name__ == "__main__":
    main()

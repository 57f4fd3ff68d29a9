"""Time from saving a file to the reload event in `versus serve`.

Starts `versus serve` on a free loopback port, listens to its reload events like a browser
tab does, and saves a page of the book again and again (editing one line each time). For
each save it records how long the reload event took to arrive, and prints the median and
the 90th percentile. Standard library only.

Run: python3 bench/reload_latency.py [--versus target/release/versus] [--book .] [--edits 20]
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def start_server(versus, book):
    process = subprocess.Popen(
        [versus, "serve", str(book), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = process.stdout.readline()
    match = re.search(r"http://([\d.]+):(\d+)(/\S*)", line)
    if not match:
        process.kill()
        sys.exit(f"versus serve did not start: {line!r}")
    return process, match.group(1), int(match.group(2))


def listen(host, port, arrivals):
    """Reads the event stream; records (time, generation) for every event."""
    stream = socket.create_connection((host, port))
    stream.sendall(b"GET /__versus/events HTTP/1.1\r\nHost: bench\r\n\r\n")
    buffer = b""
    while True:
        chunk = stream.recv(4096)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.startswith(b"data: "):
                arrivals.append((time.perf_counter(), int(line[6:])))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--versus", default="target/release/versus")
    parser.add_argument("--book", default=".")
    parser.add_argument("--page", default=None, help="the file to edit (default: the book's first model)")
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    book = Path(args.book)
    page = Path(args.page) if args.page else sorted((book / "content" / "models").glob("*.md"))[0]
    original = page.read_text()
    process, host, port = start_server(args.versus, book)
    arrivals = []
    threading.Thread(target=listen, args=(host, port, arrivals), daemon=True).start()
    try:
        deadline = time.time() + 10
        while not arrivals and time.time() < deadline:
            time.sleep(0.01)
        latencies = []
        for edit in range(args.edits):
            seen = len(arrivals)
            saved = time.perf_counter()
            page.write_text(original + f"\n<!-- edit {edit} -->\n")
            while len(arrivals) == seen:
                if time.perf_counter() - saved > 10:
                    sys.exit("no reload event within 10 s")
                time.sleep(0.001)
            latencies.append((arrivals[seen][0] - saved) * 1000)
            time.sleep(0.2)  # let the watcher settle, as between a writer's saves
    finally:
        page.write_text(original)
        process.terminate()
        process.wait()
    latencies.sort()
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    print(f"book: {book.resolve()}  page: {page}  edits: {len(latencies)}  cpus: {os.cpu_count()}")
    print(f"save -> reload event: median {statistics.median(latencies):.0f} ms, p90 {p90:.0f} ms, "
          f"min {latencies[0]:.0f} ms, max {latencies[-1]:.0f} ms")


if __name__ == "__main__":
    main()

"""A bounded load test of `versus serve` on loopback, with rebuilds during the run.

Starts `versus serve`, then runs CONNECTIONS keep-alive clients for SECONDS, each fetching
files that exist in the built site, while another thread edits a page every half second so
the site is rebuilt and swapped under the load. Prints requests per second, latency
percentiles, rebuilds, and every failure: any error, and any status other than 200 for a
file that exists. Exits 1 if there was a failure. Only 127.0.0.1 is contacted.

Run: python3 bench/serve_load.py [--versus target/release/versus] [--book .]
                                 [--connections 64] [--seconds 15]
"""

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def start_server(versus, book, site):
    process = subprocess.Popen(
        [versus, "serve", str(book), "--port", "0", "--dest", str(site)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    match = re.search(r"http://([\d.]+):(\d+)(/\S*)", process.stdout.readline())
    if not match:
        process.kill()
        sys.exit("versus serve did not start")
    return process, match.group(1), int(match.group(2)), match.group(3)


async def client(host, port, paths, stop_at, results):
    reader, writer = await asyncio.open_connection(host, port)
    i = 0
    while time.perf_counter() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: load\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
            await reader.readexactly(length)
            results.append((status, path, time.perf_counter() - started))
        except (OSError, asyncio.IncompleteReadError, AttributeError, ValueError) as error:
            results.append((None, f"{path}: {error!r}", time.perf_counter() - started))
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
    writer.close()


def keep_editing(page, original, stop_at):
    edit = 0
    while time.perf_counter() < stop_at:
        page.write_text(original + f"\n<!-- load edit {edit} -->\n")
        edit += 1
        time.sleep(0.5)


async def run(args):
    book = Path(args.book)
    site = Path(args.site)
    process, host, port, prefix = start_server(args.versus, book, site)
    paths = [prefix + str(p.relative_to(site)).replace("\\", "/")
             for p in sorted(site.rglob("*")) if p.is_file() and p.name != ".versus-manifest"]
    page = sorted((book / "content" / "models").glob("*.md"))[0]
    original = page.read_text()
    stop_at = time.perf_counter() + args.seconds
    editor = threading.Thread(target=keep_editing, args=(page, original, stop_at))
    editor.start()
    results = []
    try:
        await asyncio.gather(*(client(host, port, paths[i:] + paths[:i], stop_at, results) for i in range(args.connections)))
    finally:
        editor.join()
        page.write_text(original)
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"GET /__versus/status HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n")
        status = json.loads((await reader.read()).split(b"\r\n\r\n", 1)[1])
        process.terminate()
        process.wait()
    failures = [r for r in results if r[0] != 200]
    latencies = sorted(r[2] * 1000 for r in results if r[0] == 200)
    print(f"{args.connections} connections for {args.seconds} s against {len(paths)} files, "
          f"{status['generation'] - 1} rebuilds during the run")
    print(f"requests: {len(results)} ({len(results) / args.seconds:.0f}/s), failed: {len(failures)}")
    if latencies:
        print(f"latency: p50 {statistics.median(latencies):.1f} ms, "
              f"p99 {latencies[int(len(latencies) * 0.99) - 1]:.1f} ms, max {latencies[-1]:.1f} ms")
    for failure in failures[:20]:
        print("  failure:", failure[0], failure[1])
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--versus", default="target/release/versus")
    parser.add_argument("--book", default=".")
    parser.add_argument("--site", default=None, help="where to build (default: a temporary folder)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    if args.site is None:
        import tempfile
        with tempfile.TemporaryDirectory(prefix="versus-load-") as temp:
            args.site = str(Path(temp) / "site")
            sys.exit(asyncio.run(run(args)))
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()

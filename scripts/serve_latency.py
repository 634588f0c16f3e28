"""How long `make serve` takes to show a saved YAML change: save -> the served page has the new text.

Copies the handbook's content to a temporary folder, starts `mkdocs serve` there (the plugin path `make serve`
uses), waits for the first build, then changes a routine's title N times and polls the routine's page over
HTTP until it shows the new title. A browser with the live-reload script asks for the page as soon as the
rebuild ends, so this is the time a maintainer waits, less the browser's own reload. Not a test: timings
depend on the machine; BENCHMARKS.md records them.

Usage: python scripts/serve_latency.py [--runs 5] [--routine forsta-atgarder] [--edit title|step] [--port 8765]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from handbook.core.published import LINKS_FILE
from handbook.load.files import CONFIG_FILE, CONTENT_FILES, DOCS_DIR, ROUTINES_DIR

REPO = Path(__file__).resolve().parents[1]
# The handbook's content by the engine's own names, and the theme overrides mkdocs.yml names.
CONTENT = (*CONTENT_FILES, ROUTINES_DIR, DOCS_DIR, CONFIG_FILE, LINKS_FILE, "overrides")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float) -> float:
    """Seconds until the page at url contains text (polled every 20 ms); raises after limit seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {text!r} within {limit} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--routine", default="forsta-atgarder")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--edit",
        choices=("title", "step"),
        default="title",
        help="what each save changes: the routine's title (named on 22 of the 48 pages for forsta-atgarder) or its "
        "first step's title (the routine's page, its short version and the role pages)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    for name in CONTENT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        elif source.is_file():
            shutil.copyfile(source, work / name)
    routine = work / "routines" / f"{args.routine}.yaml"
    original = routine.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$" if args.edit == "title" else r"^    title: (.+)$", original, re.M)
    if title is None:
        sys.exit(f"{routine} has no one-line {args.edit} title")
    url = f"http://127.0.0.1:{args.port}/rutiner/{args.routine}/"
    env = {**os.environ, "PYTHONPATH": str(REPO), "HANDBOOK_CACHE": "off"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{args.port}"],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        first = wait_for(url, "<title>", 120)
        print(f"first build served after {first:.1f} s")
        times = []
        for run in range(args.runs):
            marker = f"Latens{run}x"
            changed = title.group(0).replace(title.group(1), f"{marker} {title.group(1)}")
            routine.write_text(original.replace(title.group(0), changed, 1), encoding="utf-8")
            times.append(wait_for(url, marker, 60))
            time.sleep(1.5)  # let the watcher settle before the next save
        print("save -> served, s: " + ", ".join(f"{t:.2f}" for t in times))
        print(f"best {min(times):.2f} s, median {statistics.median(times):.2f} s over {len(times)} saves")
        # Other work on the machine slows every build: the numbers are comparable only at a similar load.
        print("load average (1, 5, 15 min): " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

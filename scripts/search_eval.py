"""Measure the handbook's search with real caseworker queries: top-1 and top-5 hit rates, per query.

    .venv/bin/python scripts/search_eval.py [SITE_DIR] [--queries FILE ...]

Serves a built site (default: `handbook build --builder B` of the repository into a temporary folder) on
127.0.0.1, types each query into its search box (the handbook's Pagefind search, or Material's in the offline
edition and older builds) in Debian's Chromium, and reports the rank of the first
result whose URL contains one of the expected fragments. Query files are tab-separated
(`query<TAB>fragment|fragment`); by default tests/browser/search-queries.tsv and, when it exists,
the shared list beside the repository. Not part of CI: numbers go into the issue notes.
"""

from __future__ import annotations

import argparse
import csv
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
DEFAULT_QUERIES = [REPO / "tests" / "browser" / "search-queries.tsv", REPO.parent / "shared" / "search-queries.tsv"]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def read_queries(paths: list[Path]) -> list[tuple[str, list[str]]]:
    rows = []
    for path in paths:
        if path.exists():
            for row in csv.reader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t"):
                if row and not row[0].startswith("#") and len(row) >= 2:
                    rows.append((row[0], row[1].split("|")))
    return rows


def material_results(page, query: str) -> list[str]:
    """The theme's search (Material's lunr: the offline edition, and every build before Pagefind)."""
    page.keyboard.press("/")
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.wait_for_function(f"() => !/Initialiserar/.test({meta})", timeout=15000)
    page.locator("input.md-search__input").press_sequentially(query)
    page.wait_for_function(f"() => /\\d|Inga/.test({meta})", timeout=15000)
    found, previous = [], None
    for _ in range(30):
        found = page.eval_on_selector_all(
            "li.md-search-result__item", "items => items.map(li => li.querySelector('a').href)"
        )
        if found == previous:
            break
        previous = found
        page.wait_for_timeout(150)
    return found


def pagefind_results(page, query: str) -> list[str]:
    """The handbook's search (Pagefind, partials/hb-search.html): one result per page, in rank order."""
    page.keyboard.press("/")
    page.locator("#hb-search-input").fill(query)
    page.wait_for_function(
        "() => { const d = document.getElementById('hb-search'), list = d.querySelector("
        "'.hb-search__results'); return list.dataset.query === d.querySelector('input').value; }",
        timeout=15000,
    )
    return page.eval_on_selector_all(".hb-search__page", "links => links.map(a => a.href)")


def zensical_results(page, query: str) -> list[str]:
    """Zensical's own search (builds before Pagefind): a component in a shadow root, which Playwright's locators
    enter. Its links carry ?h=; one entry per page, in the order shown, once the list has stopped changing."""
    page.click(".md-search__button")
    page.locator("input[aria-autocomplete=list]").fill(query)
    found, previous, stable = [], None, 0
    for _ in range(60):
        page.wait_for_timeout(150)
        links = page.locator("a[href*='?h=']")
        found = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
        stable = stable + 1 if found == previous else 0
        if stable >= 4:
            break
        previous = found
    pages = []
    for href in found:
        path = href.split("?")[0].split("#")[0]
        if path not in pages:
            pages.append(path)
    return pages


def results(page, url: str, query: str) -> list[str]:
    page.goto(url)
    if page.locator("#hb-search").count():
        return pagefind_results(page, query)
    if page.locator(".md-search__button").count():
        return zensical_results(page, query)
    return material_results(page, query)


def first_search_bytes(browser, url: str, query: str) -> int:
    """The bytes of every search file (index, worker, WebAssembly, search script) a first search downloads."""
    page = browser.new_page()
    sizes: dict[str, int] = {}

    def seen(response) -> None:
        if any(part in response.url for part in ("pagefind", "search", "lunr")) and response.ok:
            sizes[response.url] = len(response.body())

    page.on("response", seen)
    results(page, url, query)
    page.wait_for_load_state("networkidle")
    page.close()
    return sum(sizes.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--queries", type=Path, nargs="*", default=DEFAULT_QUERIES)
    parser.add_argument(
        "--builder",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="which builder `handbook build` uses when no SITE_DIR is given",
    )
    args = parser.parse_args()
    site = args.site
    if site is None:
        folder = Path(tempfile.mkdtemp())
        site = folder / "site"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "handbook",
                "build",
                "--builder",
                args.builder,
                "--site-dir",
                str(site),
                "--out",
                str(folder / "rendered"),
            ],
            cwd=REPO,
            check=True,
        )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = read_queries(args.queries)
    top1 = top5 = 0
    print("| query | expected | rank |\n| --- | --- | --- |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        for query, wanted in rows:
            found = results(page, url, query)
            rank = next((i + 1 for i, u in enumerate(found) if any(w in u for w in wanted)), None)
            top1 += rank == 1
            top5 += rank is not None and rank <= 5
            print(f"| {query} | {' or '.join(wanted)} | {rank or '–'} |")
        downloaded = first_search_bytes(browser, url, rows[0][0]) if rows else 0
        browser.close()
    n = len(rows)
    print(
        f"\n{n} queries: top-1 {top1}/{n} ({100 * top1 / n:.0f} %), top-5 {top5}/{n} ({100 * top5 / n:.0f} %); "
        f"a first search downloads {downloaded / 1024:.0f} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

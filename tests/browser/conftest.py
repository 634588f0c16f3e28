"""Browser tests: the built site served on 127.0.0.1 and driven in Debian's Chromium by Playwright.

Chromium comes from Debian's `chromium` package (Playwright's own browser download does not work
on our machines). Without it these tests skip locally; with CI=true a missing browser is a failure.
Every request to any other host is blocked and recorded, so a test can prove the site is offline-safe.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixture-handbook"
CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# One page of each kind the site has; layout, offline and CSP tests visit each.
PAGE_TYPES = {
    "start": "",
    "routine": "rutiner/forsta-atgarder/",
    "routines": "rutiner/",
    "lagrum": "lagrum/",
    "kontakter": "kontakter/",
    "ordlista": "ordlista/",
    "andringar": "andringar/",
    "redigera-regler": "redigera/regler/",
    "om-handboken": "om-handboken/",
}
# Records every Content-Security-Policy violation the page reports, through a binding the test reads.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", e =>
  window.__hbCspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber));"""


def pytest_collection_modifyitems(items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI=true but Chromium is missing at {CHROMIUM}; install Debian's chromium package.")
    skip = pytest.mark.skip(reason="Chromium not installed (apt-get install chromium); browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def build(root: Path, site: Path, *extra: str, env: dict | None = None) -> Path:
    """The site as `make site` builds it: handbook render, MkDocs --strict, handbook finish."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "handbook",
            "build",
            "--site-dir",
            str(site),
            "--out",
            str(site.parent / f"rendered-{site.name}"),
            *extra,
        ],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return site


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # The browser drops a connection it no longer needs (a page left while a file was sent): not an error of
        # the site. Anything else is printed as usual.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@functools.cache
def _serve(directory: str) -> str:
    server = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@functools.cache
def real_site() -> Path:
    """The repository's real handbook, built strictly once per run (at collection if a test lists its pages)."""
    root = Path(tempfile.mkdtemp(prefix="handbook-site-"))
    atexit.register(shutil.rmtree, root, True)
    return build(REPO, root / "site")


def built_pages(site: Path) -> list[str]:
    """The URL path (relative to the site root) of every built page with Material's layout.

    Left out: 404.html (not an index.html) and redirect stubs for old routine ids, which are bare
    meta-refresh pages. Any other page without the layout is an error, so none is skipped silently.
    """
    pages = []
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        rel = path.parent.relative_to(site).as_posix()
        if 'data-md-component="header"' in html:
            pages.append("" if rel == "." else rel + "/")
        else:
            assert 'http-equiv="refresh"' in html, f"{rel}/index.html has neither Material's layout nor a redirect"
    return pages


@pytest.fixture(name="site_dir", scope="session")
def _fixture_site_dir() -> Path:
    """The repository's real handbook, built strictly once per test session."""
    return real_site()


@pytest.fixture(name="site_url", scope="session")
def _fixture_site_url(site_dir) -> str:
    return _serve(str(site_dir))


@pytest.fixture(name="fixture_site_url", scope="session")
def _fixture_fixture_site_url(tmp_path_factory) -> str:
    """The small fixture handbook (it has renamed routines and steps), built and served."""
    return _serve(str(build(FIXTURE, tmp_path_factory.mktemp("fixture-site") / "site")))


@pytest.fixture(name="browser", scope="session")
def _fixture_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Recorder:
    """Blocks and records every request that leaves 127.0.0.1, and collects console errors."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.requests = 0

    def route(self, route) -> None:
        url = route.request.url
        self.requests += 1
        scheme, host = urlsplit(url).scheme, urlsplit(url).hostname
        if scheme in ("data", "blob", "file", "about") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


_NETWORK_SUMMARY = pytest.StashKey[dict]()


@pytest.fixture(name="recorder")
def _fixture_recorder(pytestconfig):
    recorder = Recorder()
    yield recorder
    summary = pytestconfig.stash.setdefault(_NETWORK_SUMMARY, {"requests": 0, "external": 0})
    summary["requests"] += recorder.requests
    summary["external"] += len(recorder.external)


@pytest.fixture(name="new_page")
def _fixture_new_page(browser, recorder):
    """Makes fresh pages (Swedish locale, Stockholm time zone; any context option, e.g. viewport) with
    the network fenced to this machine; requests elsewhere, console errors and CSP violations go to recorder."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 900},
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            **options,
        )
        contexts.append(context)
        context.route("**/*", recorder.route)
        context.expose_binding("__hbCspViolation", lambda source, text: recorder.csp_violations.append(text))
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("console", lambda m: recorder.console_errors.append(m.text) if m.type == "error" else None)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(name="page")
def _fixture_page(new_page):
    """A fresh page (1280×900, Swedish locale, Stockholm time zone) with the network fenced to this machine."""
    return new_page()


# axe-core as bundled by axe-playwright-python (axe 4.12), injected into the page by the tests.
AXE_RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_AXE_SUMMARY = pytest.StashKey[dict]()


def _axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).with_name("axe.min.js")).read_text(encoding="utf-8")


@pytest.fixture(name="axe", scope="session")
def _fixture_axe(pytestconfig):
    """Runs axe-core on a page with the WCAG 2.0/2.1/2.2 A and AA rules and the best-practice rules;
    returns the violations as "rule (impact): target" lines and counts them for the run's summary."""
    script = _axe_script()
    summary = pytestconfig.stash.setdefault(_AXE_SUMMARY, {"runs": 0, "pages": set(), "violations": 0, "version": ""})

    def run(page) -> list[str]:
        page.evaluate(script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_RULE_TAGS,
        )
        found = [
            f"{v['id']} ({v['impact']}): {' '.join(map(str, n['target']))}: {v['help']}"
            for v in result["violations"]
            for n in v["nodes"]
        ]
        summary["runs"] += 1
        summary["pages"].add(page.url.split("#")[0])
        summary["violations"] += len(found)
        summary["version"] = result["testEngine"]["version"]
        return found

    return run


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    network = config.stash.get(_NETWORK_SUMMARY, None)
    if network and network["requests"]:
        terminalreporter.write_line(f"browser requests: {network['requests']}, to other hosts: {network['external']}")
    summary = config.stash.get(_AXE_SUMMARY, None)
    if summary and summary["runs"]:
        terminalreporter.write_line(
            f"axe-core {summary['version']} ({', '.join(AXE_RULE_TAGS)}): pages checked: {len(summary['pages'])} "
            f"({summary['runs']} runs over viewports and states), violations: {summary['violations']}"
        )

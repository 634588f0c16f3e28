"""Browser tests: the built site served on 127.0.0.1 and driven in Debian's Chromium by Playwright.

Chromium comes from Debian's `chromium` package (Playwright's own browser download does not work
on our machines). Without it these tests skip locally; with CI=true a missing browser is a failure.
Every request to any other host is blocked and recorded, so a test can prove the site is offline-safe.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixture-handbook"
CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.browser


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
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *extra],
                            cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return site


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@functools.cache
def _serve(directory: str) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(name="site_dir", scope="session")
def _fixture_site_dir(tmp_path_factory) -> Path:
    """The repository's real handbook, built strictly once per test session."""
    return build(REPO, tmp_path_factory.mktemp("site") / "site")


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

    def route(self, route) -> None:
        url = route.request.url
        scheme, host = urlsplit(url).scheme, urlsplit(url).hostname
        if scheme in ("data", "blob", "file", "about") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@pytest.fixture(name="recorder")
def _fixture_recorder() -> Recorder:
    return Recorder()


@pytest.fixture(name="page")
def _fixture_page(browser, recorder):
    """A fresh page (1280×900, Swedish locale, Stockholm time zone) with the network fenced to this machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE",
                                  timezone_id="Europe/Stockholm")
    context.route("**/*", recorder.route)
    page = context.new_page()
    page.on("console", lambda m: recorder.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()

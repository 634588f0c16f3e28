"""Offline and privacy: no request leaves the host, every page carries a same-origin CSP that the
browser never has to enforce against the site, and the offline zip searches from file://."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import zipfile

import pytest

from conftest import PAGE_TYPES, REPO, build

SEARCH_READY = "() => !/Initialiserar/.test(document.querySelector('.md-search-result__meta').textContent)"
HASH = re.compile(r"'sha256-[A-Za-z0-9+/]+={0,2}'")
# The sources each directive may name: the site itself, nothing, and the two non-host sources Material needs.
ALLOWED = {
    "default-src": {"'self'"},
    "style-src": {"'self'", "'unsafe-inline'"},  # Material sets style attributes from its scripts
    "img-src": {"'self'", "data:"},  # Material's inline SVG icons in CSS
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "worker-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'none'"},
}


def search(page, query: str) -> list[str]:
    """Opens the search with "/", types the query and returns the result links: the handbook's Pagefind search on
    a site served over http, the theme's search in the file:// edition."""
    if page.locator("#hb-search").count():
        page.keyboard.press("/")
        page.locator("#hb-search-input").fill(query)
        page.wait_for_selector("#hb-search .hb-search__page", timeout=15000)
        return page.eval_on_selector_all("#hb-search .hb-search__page", "links => links.map(a => a.href)")
    page.keyboard.press("/")
    page.wait_for_function(SEARCH_READY, timeout=15000)
    page.locator("input.md-search__input").press_sequentially(query)
    page.wait_for_selector("li.md-search-result__item a", timeout=15000)
    return page.eval_on_selector_all("li.md-search-result__item > a", "links => links.map(a => a.href)")


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_no_request_leaves_the_host(page, recorder, site_url, path):
    """Loading the page and searching from it makes no request to any host but 127.0.0.1 and logs no error."""
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("rutiner/") and path != "rutiner/":
        assert page.locator("svg.hb-flowchart").count() == 1
    assert search(page, "polisen")
    page.wait_for_load_state("networkidle")
    assert recorder.external == []
    assert recorder.console_errors == []


def test_following_links_makes_no_external_request(page, recorder, site_url):
    """Instant navigation through the start page, a routine, its flowchart link and the legal catalogue stays on the
    host."""
    page.goto(site_url)
    page.locator(".md-sidebar--primary a.md-nav__link[href$='rutiner/forsta-atgarder/']").click()
    page.wait_for_url(site_url + "rutiner/forsta-atgarder/")
    page.locator("svg.hb-flowchart a").first.click()
    page.locator(".md-sidebar--primary a.md-nav__link[href$='lagrum/']").click()
    page.wait_for_url(site_url + "lagrum/")
    page.wait_for_load_state("networkidle")
    assert recorder.external == []
    assert recorder.csp_violations == []
    assert recorder.console_errors == []


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_page_has_a_same_origin_csp(site_dir, path):
    """The page's first head element after the charset is a CSP naming only 'self', 'none' and its own inline
    scripts' hashes."""
    html = (site_dir / path / "index.html").read_text(encoding="utf-8")
    tags = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert len(tags) == 1
    assert re.search(r'<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"', html)
    directives = {name: sources for name, *sources in (d.split() for d in tags[0].split(";"))}
    inline = [
        m.group(2)
        for m in re.finditer(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in m.group(1) and "application/json" not in m.group(1) and m.group(2).strip()
    ]
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in inline}
    # 'wasm-unsafe-eval': the search (Pagefind) compiles WebAssembly; JavaScript eval() stays refused.
    assert directives.pop("script-src") == ["'self'", "'wasm-unsafe-eval'", *sorted(hashes)]
    assert directives.keys() == ALLOWED.keys()
    assert {name: set(sources) - ALLOWED[name] for name, sources in directives.items()} == {
        name: set() for name in ALLOWED
    }
    assert "*" not in tags[0] and "http" not in tags[0] and "'unsafe-eval'" not in tags[0]


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_browser_reports_no_csp_violation(page, recorder, site_url, path):
    """With the policy enforced, loading the page and searching raise no securitypolicyviolation event."""
    page.goto(site_url + path)
    assert page.evaluate("document.querySelector('meta[http-equiv=Content-Security-Policy]') !== null")
    assert search(page, "polisen")
    page.wait_for_load_state("networkidle")
    assert recorder.csp_violations == []
    assert [e for e in recorder.console_errors if "Content Security Policy" in e] == []


def test_csp_violations_are_seen(page, recorder, site_url):
    """The violation listener works: an injected inline script is refused and reported."""
    page.goto(site_url)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; document.body.append(s); }"
    )
    page.wait_for_function("() => true")
    page.wait_for_timeout(200)
    assert len(recorder.csp_violations) == 1 and recorder.csp_violations[0].startswith("script-src")


@pytest.fixture(name="offline_dir", scope="module")
def _fixture_offline_dir(tmp_path_factory):
    """The offline edition built and zipped as `make offline` does, then unpacked elsewhere."""
    work = tmp_path_factory.mktemp("offline")
    site = build(REPO, work / "site-offline", "--config", "mkdocs-offline.yml", env={"OFFLINE": "true"})
    archive = work / "handbok-offline.zip"
    subprocess.run([sys.executable, "-m", "zipfile", "-c", str(archive), "."], cwd=site, check=True)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(work / "unpacked")
    return work / "unpacked"


def test_offline_zip_searches_from_file_url(new_page, recorder, offline_dir):
    """Opened from file:// with the network blocked, the unpacked zip's search finds "polisen" and nothing leaves
    the machine."""
    assert (offline_dir / "search" / "search_index.js").exists()
    assert not (offline_dir / "pagefind").exists()  # Pagefind cannot fetch its index from file://
    page = new_page()
    page.goto((offline_dir / "index.html").as_uri())
    results = search(page, "polisen")
    assert any(url.startswith(offline_dir.as_uri() + "/") and ".html" in url for url in results), results
    page.locator("li.md-search-result__item > a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://")
    assert recorder.external == []
    assert recorder.console_errors == []

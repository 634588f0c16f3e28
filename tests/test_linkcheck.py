"""`make site`'s link gate (scripts/linkcheck.py, lychee offline) finds broken pages and anchors by name.

The planted-defect tests use a small hand-written site laid out as MkDocs writes one (directory URLs,
root-absolute links on the 404 page, a sitemap and a search index), so they do not depend on the
engine's output; one test checks the site built from tests/fixture-handbook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers import REPO, TESTS, write_tree

SCRIPT = REPO / "scripts" / "linkcheck.py"
# Any request lychee tried to send would go to this dead proxy and fail the check.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
              "ALL_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def page(body: str, up: str = "") -> str:
    return (f'<!doctype html><html lang="sv"><head><link rel="stylesheet" href="{up}assets/site.css">'
            '<link rel="canonical" href="https://handbok.example.invalid/"></head><body>'
            f'<nav><a href="{up}">Start</a> <a href="{up}rutiner/akut-skydd/">Akut skydd</a> '
            f'<a href="{up}lagrum/">Lagrum</a></nav><article>{body}</article></body></html>')


SITE = {
    "index.html": page('<h1 id="start">Start</h1><a href="rutiner/akut-skydd/#steg-1">Steg 1</a>'
                       '<a href="lagrum/#lvu-6">6 § LVU</a><a href="kontakter.vcf">vCard</a>'),
    "rutiner/akut-skydd/index.html": page(
        '<h1 id="akut-skydd">Akut skydd</h1><a href="#steg-1">Steg 1</a><h2 id="steg-1">Ring</h2>'
        '<a href="../../lagrum/#lvu-6">6 § LVU</a><a href="/lagrum/#lvu-6">6 § LVU</a>'
        '<a href="tel:+46812345678">Ring</a><a href="mailto:test@example.invalid">Mejla</a>'
        '<a href="https://lagen.nu/1990:52#P6">lagen.nu</a><a href="http://127.0.0.1:9/x">lokalt</a>'
        '<a href="#">Upp</a><a href="CONTENT">x</a>', up="../../"),
    "lagrum/index.html": page('<h1 id="lagrum">Lagrum</h1><h2 id="lvu-6">6 § LVU</h2>'
                              '<p><a name="lvu-6-andra-stycket"></a>Andra stycket</p>', up="../"),
    "404.html": page("<h1>Sidan finns inte</h1>", up="/"),
    "assets/site.css": "body { background: url(bild.svg); }",
    "assets/bild.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    "kontakter.vcf": "BEGIN:VCARD\r\nEND:VCARD\r\n",
    "sitemap.xml": '<urlset><url><loc>https://handbok.example.invalid/lagrum/</loc></url></urlset>',
    "search/search_index.json": '{"docs": [{"location": "saknas/#saknas"}]}',
}
PAGE = "/rutiner/akut-skydd/"


def small_site(tmp_path, content: str = "") -> object:
    """The hand-written site, with content in place of CONTENT on the routine page."""
    files = {**SITE, "rutiner/akut-skydd/index.html": SITE["rutiner/akut-skydd/index.html"].replace(
        '<a href="CONTENT">x</a>', content)}
    return write_tree(tmp_path / "site", files)


def links(*hrefs: str) -> str:
    return "".join(f'<a href="{href}">x</a>' for href in hrefs)


def linkcheck(site):
    return subprocess.run([sys.executable, str(SCRIPT), str(site)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **NO_NETWORK})


def test_clean_site_passes(tmp_path):
    """Directory URLs with anchors, root-absolute links, same-page and <a name> anchors, files, CSS urls,
    the 404 page, sitemap and search index pass; tel:, mailto: and external links are not fetched
    (through the dead proxy any request would be an error)."""
    result = linkcheck(small_site(tmp_path, links("../../lagrum/#lvu-6-andra-stycket", "../../lagrum/index.html")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("linkcheck: ") and "inga trasiga" in result.stdout


@pytest.mark.parametrize(("href", "line"), [
    ("../../lagrum/#lvu-saknas", f"{PAGE}: /lagrum/#lvu-saknas (ankaret finns inte på sidan)"),
    ("/lagrum/#lvu-saknas", f"{PAGE}: /lagrum/#lvu-saknas (ankaret finns inte på sidan)"),
    ("../../saknas/", f"{PAGE}: /saknas (sidan eller filen finns inte)"),
    ("/saknas/#steg-1", f"{PAGE}: /saknas#steg-1 (sidan eller filen finns inte)"),
    ("#steg-saknas", f"{PAGE}: #steg-saknas (ankaret finns inte på sidan)"),
    ("../../assets/", f"{PAGE}: /assets/ (mappen har ingen index.html)"),
], ids=["anchor-on-other-page", "anchor-on-absolute-link", "missing-page", "missing-absolute-page",
        "anchor-on-same-page", "directory-without-index"])
def test_each_broken_link_fails_by_name(tmp_path, href, line):
    """One planted defect fails the gate (exit 1) and is listed as one line with the page it is on."""
    result = linkcheck(small_site(tmp_path, links(href)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[:-1] == [line]
    assert result.stdout.splitlines()[-1].startswith("linkcheck: 1 trasiga länkar eller ankare av ")


def test_all_broken_links_are_listed_once(tmp_path):
    """Several defects, one repeated and one also on another page: one sorted line each, then a count."""
    site = small_site(tmp_path, links("#steg-saknas", "../../lagrum/#lvu-saknas", "../../saknas/", "#steg-saknas"))
    lagrum = site / "lagrum" / "index.html"
    lagrum.write_text(lagrum.read_text(encoding="utf-8").replace("</article>", links("#saknas") + "</article>"),
                      encoding="utf-8")
    result = linkcheck(site)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("linkcheck: 4 trasiga länkar eller ankare av ")
    assert result.stdout.splitlines()[:-1] == ["/lagrum/: #saknas (ankaret finns inte på sidan)",
                                          f"{PAGE}: #steg-saknas (ankaret finns inte på sidan)",
                                          f"{PAGE}: /lagrum/#lvu-saknas (ankaret finns inte på sidan)",
                                          f"{PAGE}: /saknas (sidan eller filen finns inte)"]


def test_built_fixture_site_has_no_broken_links(tmp_path):
    """Every internal link and anchor of the site MkDocs builds from tests/fixture-handbook resolves."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
                            cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = linkcheck(root / "site")
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_site_cannot_run(tmp_path):
    """Without a built site the script says so in Swedish and exits 2."""
    result = linkcheck(tmp_path)
    assert result.returncode == 2 and "make site" in result.stderr

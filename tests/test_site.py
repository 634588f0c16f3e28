"""The site as `make site` builds it (handbook render, MkDocs --strict, handbook finish), the same pages
through the MkDocs plugin (`make serve`), and the same rendered Markdown through Zensical."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, TESTS

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(root, site, *extra):
    """handbook build, from the handbook's folder, as make site runs it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "handbook",
            "build",
            "--site-dir",
            str(site),
            "--out",
            str(Path(site).parent / f"rendered-{Path(site).name}"),
            *extra,
        ],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )


def plugin_build(root, site):
    """mkdocs build through the handbook plugin: what make serve runs."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )


def test_fixture_builds_strictly(tmp_path):
    """The fixture builds with --strict; every published URL exists; docs/ is untouched."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    before = sorted(p.relative_to(root) for p in (root / "docs").rglob("*"))
    result = build(root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for path in [
        "index.html",
        "rutiner/akut-skydd/index.html",
        "lagrum/index.html",
        "kontakter/index.html",
        "ordlista/index.html",
        "andringar/index.html",
        "rutiner/gammal-akut/index.html",
        "kontakter.vcf",
        "kontakter.csv",
        "redigera/regler/index.html",
    ]:
        assert (site / path).is_file(), path
    routine = (site / "rutiner/akut-skydd/index.html").read_text()
    assert 'id="bedom-fara"' in routine and 'id="bedom-risk"' in routine and 'id="ring-polisen"' in routine
    assert 'lang="sv"' in routine
    # "Redigera" opens the YAML file the page comes from, not a generated Markdown file.
    assert 'href="https://example.invalid/edit/main/routines/akut-skydd.yaml"' in routine
    contacts = (site / "kontakter/index.html").read_text()
    assert 'href="https://example.invalid/edit/main/contacts.yaml"' in contacts
    start = (site / "index.html").read_text()
    assert 'href="https://example.invalid/edit/main/docs/index.md"' in start
    assert sorted(p.relative_to(root) for p in (root / "docs").rglob("*")) == before


def build_changed(tmp_path, rel: str, old: str, new: str):
    """Build a copy of the fixture handbook with one text replaced in one file."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    path = root / rel
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    return build(root, tmp_path / "site")


def test_content_error_fails_build_and_renders_nothing(tmp_path):
    """An error in the YAML stops the build before anything is rendered, naming file and line."""
    result = build_changed(tmp_path, "routines/akut-skydd.yaml", "contacts: [polisen]", "contacts: [polis]")
    assert result.returncode == 1
    assert "routines/akut-skydd.yaml:41:16: error: [ref-unknown-contact]" in result.stderr
    assert "Inget byggdes." in result.stderr
    assert not (tmp_path / "rendered-site").exists() and not (tmp_path / "site").exists()


def test_content_error_fails_the_plugin_build_too(tmp_path):
    """make serve's plugin logs the same error, and a strict MkDocs build stops on it."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    path = root / "routines/akut-skydd.yaml"
    path.write_text(path.read_text().replace("contacts: [polisen]", "contacts: [polis]"))
    result = plugin_build(root, tmp_path / "site")
    assert result.returncode == 1
    assert "routines/akut-skydd.yaml:41:16: error: [ref-unknown-contact]" in result.stderr


def test_content_warning_does_not_stop_build(tmp_path):
    """A review falling due is shown but does not fail the strict build."""
    result = build_changed(tmp_path, "mkdocs.yml", 'today: "2026-11-27"', 'today: "2028-01-01"')
    assert result.returncode == 0, result.stderr
    assert re.search(r"\d+ varningar; handbook check visar dem", result.stderr)


def test_serve_watches_every_yaml_file():
    """`mkdocs serve` reloads when any content file changes: the plugin watches each one and routines/."""
    from mkdocs.config import load_config

    from handbook.site.plugin import HandbookPlugin

    config = load_config(str(TESTS / "fixture-handbook" / "mkdocs.yml"))
    plugin = config.plugins["handbook"]
    assert isinstance(plugin, HandbookPlugin)
    plugin.on_startup(command="serve", dirty=False)
    plugin.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config, builder=None)
    root = TESTS / "fixture-handbook"
    assert sorted(server.watched) == sorted(
        str(root / rel)
        for rel in [
            "legal.yaml",
            "contacts.yaml",
            "glossary.yaml",
            "routines/akut-skydd.yaml",
            "routines/utredning.yaml",
            "routines",
        ]
    )


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


# The one thing `handbook build` does differently from the plugin (make serve): its search. The build has the
# handbook's Pagefind search box and marks the content for the index; the plugin keeps Material's search.
PAGEFIND_MARKS = re.compile(r' data-pagefind-body data-pagefind-weight="[0-9.]+"')
PAGEFIND_BOX = re.compile(
    r'<button type="button" class="md-header__button md-icon hb-search-open"'
    r'.*?search\.js" defer></script>',
    re.S,
)
MATERIAL_BOX = re.compile(
    r'<label class="md-header__button md-icon" for="__search">.*?'
    r'<ol class="md-search-result__list"[^>]*></ol>(\s*</div>){5}',
    re.S,
)


def _without_search(html: str) -> str:
    html = MATERIAL_BOX.sub("", PAGEFIND_BOX.sub("", PAGEFIND_MARKS.sub("", html)))
    return re.sub(r"\s+", " ", html)


def test_plugin_builds_the_same_pages_as_render(tmp_path):
    """The plugin is a thin caller of render: every page it builds is the page `handbook build` makes, but for the
    search (Pagefind in the build, Material's in make serve). Only the finishing pass reaches 404.html and the
    redirect stubs (MkDocs gives them no page event), so only there do they get their CSP."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    assert build(root, tmp_path / "rendered").returncode == 0
    assert plugin_build(root, tmp_path / "plugin").returncode == 0
    rendered, plugin = _pages(tmp_path / "rendered"), _pages(tmp_path / "plugin")
    assert sorted(rendered) == sorted(plugin)
    unfinished = ["404.html", "rutiner/gammal-akut/index.html", "kortversion/gammal-akut/index.html"]
    different = [
        path
        for path in rendered
        if path not in unfinished and _without_search(rendered[path]) != _without_search(plugin[path])
    ]
    assert 'class="md-header__button md-icon hb-search-open"' in rendered["index.html"]
    assert 'for="__search"' in plugin["index.html"] and "hb-search-open" not in plugin["index.html"]
    assert different == []
    for path in unfinished:
        assert 'http-equiv="Content-Security-Policy"' in rendered[path]
        assert 'http-equiv="Content-Security-Policy"' not in plugin[path]


def test_render_writes_a_tree_any_builder_reads(tmp_path):
    """handbook render: pages, navigation, attachments and a config without the plugin, all in one folder."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "render", "--out", str(out)],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    import yaml

    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert all("handbook" not in (p if isinstance(p, str) else next(iter(p))) for p in config["plugins"])
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site"
    assert config["edit_uri"] == "https://example.invalid/edit/main/docs/"
    for rel in [
        "index.md",
        "rutiner/akut-skydd.md",
        "rutiner/index.md",
        "lagrum.md",
        "kontakter.vcf",
        "kontakter/ring-nu.json",
        "rutiner/gammal-akut/index.html",
        "assets/handbook/handbook.js",
    ]:
        assert (out / "docs" / rel).is_file(), rel
    assert (out / "overrides/partials/actions.html").is_file()
    routine = (out / "docs/rutiner/akut-skydd.md").read_text()
    assert routine.startswith('---\nedit_url: "https://example.invalid/edit/main/routines/akut-skydd.yaml"\n')
    # Rendering again replaces its own output; a folder it did not write is never touched.
    assert (
        subprocess.run(
            [sys.executable, "-m", "handbook", "render", "--out", str(out)], cwd=root, env=ENV, capture_output=True
        ).returncode
        == 0
    )
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    refused = subprocess.run(
        [sys.executable, "-m", "handbook", "render", "--out", str(tmp_path / "mine")],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "inte en mapp som handbook render har skrivit" in refused.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_finish_is_idempotent_and_reads_only_the_head():
    from handbook.site.finish import finish_page

    page = (
        '<html><head><meta charset="utf-8"><script>theme()</script></head><body><div class="md-content">'
        '<article class="md-content__inner md-typeset"><p>http-equiv="Content-Security-Policy"</p>'
        "<script>content()</script></article></div></body></html>"
    )
    once = finish_page(page)
    assert once.count('http-equiv="Content-Security-Policy"') == 2  # the meta tag, and the content's text
    assert finish_page(once) == once


@pytest.fixture(name="both_builds", scope="module")
def _fixture_both_builds(tmp_path_factory):
    """The repository's real handbook rendered once per builder and built by MkDocs and by Zensical."""
    work = tmp_path_factory.mktemp("builders")
    sites = {}
    for builder in ("mkdocs", "zensical"):
        result = build(REPO, work / builder, "--builder", builder)
        assert result.returncode == 0, result.stderr
        sites[builder] = work / builder
    return sites


def test_zensical_and_mkdocs_build_the_same_page_set(both_builds):
    mkdocs, zensical = (sorted(_pages(both_builds[b])) for b in ("mkdocs", "zensical"))
    assert "rutiner/forsta-atgarder/index.html" in mkdocs and "kortversion/osaker-alder/index.html" in mkdocs
    assert mkdocs == zensical


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_both_builds_pass_the_link_and_anchor_gate(both_builds, builder):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "linkcheck.py"), str(both_builds[builder])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "inga trasiga" in result.stdout


def _content_links(site: Path, rel: str) -> set[str]:
    """Every link in a page's content, resolved against the site root (theme links left out)."""
    import posixpath

    html = (site / rel).read_text(encoding="utf-8")
    start = re.search(r'<article class="md-content__inner md-typeset"[^>]*>', html).start()
    article = html[start : html.rfind("</article>")]
    base = posixpath.dirname("/" + rel)
    return {
        posixpath.normpath(posixpath.join(base, path)) + fragment
        for path, fragment in re.findall(r'(?:xlink:)?href="([^"#:]+)(#[^"]*)?"', article)
    }


def test_zensical_pages_link_where_the_mkdocs_pages_link(both_builds):
    """Zensical reads links in HTML from the Markdown file's folder; render writes them so for it. Every
    page's content then points at the very same targets in both builds."""
    pages = [
        p
        for p in _pages(both_builds["mkdocs"])
        if p.endswith("index.html") and 'class="md-content"' in (both_builds["mkdocs"] / p).read_text(encoding="utf-8")
    ]
    different = [
        p for p in pages if _content_links(both_builds["mkdocs"], p) != _content_links(both_builds["zensical"], p)
    ]
    assert different == []
    assert _content_links(both_builds["zensical"], "rutiner/forsta-atgarder/index.html")


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_a_builder_warning_fails_the_build(tmp_path, builder):
    """The builders run in-process but keep --strict: a broken link in a hand-written page stops the build."""
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    with (root / "docs/index.md").open("a") as page:
        page.write("\n[trasig](finns-inte.md)\n")
    result = build(root, tmp_path / "site", "--builder", builder)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert ("finns-inte.md" if builder == "mkdocs" else "page does not exist") in output
    assert "Traceback" not in output
    assert not (tmp_path / "site").exists()


# The handbook's search (Pagefind, handbook/site/search.py).

THEMED = (
    '<html lang="sv"><head><meta charset="utf-8"></head><body><div class="md-content">'
    '<article class="md-content__inner md-typeset"><h1 id="t">Barn som avviker</h1><p>{body}</p></article>'
    "</div></body></html>"
)


def test_the_policy_adds_only_webassembly_for_the_search():
    from handbook.site.csp import policy

    directives = dict(d.split(" ", 1) for d in policy(THEMED.format(body="x")).split("; "))
    assert directives["script-src"].split() == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["connect-src"] == "'self'" and directives["worker-src"] == "'self'"
    assert "'unsafe-eval'" not in directives["script-src"].split()


def test_pagefind_replaces_the_theme_search_in_the_http_build_only():
    from handbook.site.search import uses_pagefind, wants_pagefind, with_pagefind

    config = {"plugins": ["search", {"material/search": {"lang": "sv"}}, {"offline": {}}, "privacy"], "extra": {"a": 1}}
    done = with_pagefind(config)
    assert done["plugins"] == [{"offline": {}}, "privacy"] and done["extra"] == {"a": 1, "handbook_search": "pagefind"}
    assert uses_pagefind(done) and not uses_pagefind(config) and not uses_pagefind(None)
    assert wants_pagefind({}) and wants_pagefind({"csp": True}) and not wants_pagefind({"csp": False})


def test_only_the_themes_content_article_is_marked_and_excluded_pages_are_not():
    from handbook.site.search import mark_page

    stray = THEMED.format(body='<article class="md-content__inner md-typeset">falsk</article>')
    marked = mark_page(stray, {"boost": 3})
    assert marked.count("data-pagefind-body") == 1
    assert (
        '<div class="md-content"><article class="md-content__inner md-typeset" data-pagefind-body '
        'data-pagefind-weight="3">' in marked
    )
    assert mark_page(marked, {"boost": 3}) == marked  # marking twice changes nothing
    assert mark_page(THEMED.format(body="x"), {"exclude": True}) == THEMED.format(body="x")
    assert 'data-pagefind-weight="10"' in mark_page(THEMED.format(body="x"), {"boost": 99})
    assert 'data-pagefind-weight="1"' in mark_page(THEMED.format(body="x"), {"boost": "hög"})
    redirect = "<html><body><p>omdirigering</p></body></html>"
    assert mark_page(redirect, {}) == redirect


def test_index_site_builds_a_swedish_index_of_the_searchable_pages(tmp_path):
    from handbook.site.search import SearchError, index_site

    docs, site = tmp_path / "docs", tmp_path / "site"
    for rel, front, body in [
        ("rutiner/avvikna-barn.md", "search:\n  boost: 2\n", "försvunnet barn"),
        ("redigera/index.md", "search:\n  exclude: true\n", "redaktörer"),
        ("index.md", "title: Start\n", "ring polisen"),
    ]:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(f"---\n{front}---\n\n# Sida\n", encoding="utf-8")
        html = site / (
            "index.html" if rel == "index.md" else rel.removesuffix("/index.md").removesuffix(".md") + "/index.html"
        )
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(THEMED.format(body=body), encoding="utf-8")
    assert index_site(site, docs) == 2
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "assets/handbook/search.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["sv"] and entry["languages"]["sv"]["page_count"] == 2
    assert "data-pagefind-body" not in (site / "redigera/index.html").read_text()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SearchError, match="Ingen sida"):
        index_site(empty, docs)


def _searchable_site(tmp_path, body="ring polisen"):
    docs, site = tmp_path / "docs", tmp_path / "site"
    for rel in ("index.md", "rutiner/avvikna-barn.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("---\nsearch:\n  boost: 2\n---\n\n# Sida\n", encoding="utf-8")
    for rel in ("index.html", "rutiner/avvikna-barn/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(THEMED.format(body=body), encoding="utf-8")
    return site, docs


def _bundle(site):
    return {
        p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()
    }


def test_an_unchanged_site_gets_the_kept_search_bundle_and_a_changed_one_is_indexed(tmp_path, monkeypatch):
    """The bundle is kept by the pages it indexed: the same pages copy it (Pagefind does not run), a changed page
    or a kept bundle that is not whole runs Pagefind again; only the newest bundle is kept."""
    from handbook.site import search

    kept = tmp_path / "kept"
    site, docs = _searchable_site(tmp_path / "a")
    search.index_site(site, docs, kept=kept)
    first = _bundle(site)
    runs = []
    real = search.subprocess.run
    monkeypatch.setattr(search.subprocess, "run", lambda *a, **k: runs.append(a) or real(*a, **k))
    again, docs_again = _searchable_site(tmp_path / "b")
    search.index_site(again, docs_again, kept=kept)
    assert runs == [] and _bundle(again) == first
    changed, docs_changed = _searchable_site(tmp_path / "c", body="ring socialjouren")
    search.index_site(changed, docs_changed, kept=kept)
    assert len(runs) == 1 and _bundle(changed) != first
    (only,) = kept.iterdir()
    (only / "pagefind.js").unlink()  # a bundle that is not whole is never copied
    search.index_site(changed, docs_changed, kept=kept)
    assert len(runs) == 2 and (changed / "pagefind" / "pagefind.js").is_file()


def test_pagefind_reads_no_config_from_the_folder_the_build_runs_in(tmp_path, monkeypatch):
    """Pagefind reads pagefind.yml from its working folder; the build's is the handbook's, which pull requests
    change. A config there that would index nothing changes nothing."""
    from handbook.site.search import index_site

    site, docs = _searchable_site(tmp_path)
    (tmp_path / "pagefind.yml").write_text('glob: "ingenting/**/*.html"\nexclude_selectors: ["p"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert index_site(site, docs) == 2
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["sv"]["page_count"] == 2


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_both_builds_carry_the_pagefind_search_and_not_the_themes(both_builds, builder):
    site = both_builds[builder]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["sv"] and entry["languages"]["sv"]["page_count"] >= 20
    start = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="md-header__button md-icon hb-search-open"' in start and 'for="__search"' not in start
    assert not (site / "search" / "search_index.json").exists()
    routine = (site / "rutiner/forsta-atgarder/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-body data-pagefind-weight="3"' in routine
    assert "data-pagefind-body" not in (site / "redigera/regler/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (site / "kortversion/forsta-atgarder/index.html").read_text(encoding="utf-8")


def test_the_offline_edition_keeps_the_themes_search(tmp_path):
    """mkdocs-offline.yml (csp: false, for file://) renders with Material's lunr search and no Pagefind."""
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "render", "--config", "mkdocs-offline.yml", "--out", str(tmp_path / "out")],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    import yaml

    config = yaml.safe_load((tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert any(p == "search" or (isinstance(p, dict) and "search" in p) for p in config["plugins"])
    assert "handbook_search" not in config["extra"]


def test_zensical_is_told_not_to_build_its_own_search(tmp_path):
    """Zensical turns its own search on when no search plugin is listed; the handbook's search is Pagefind, and
    Zensical's index stopped the 100x build (a section over its 16 KB limit). MkDocs gets no such entry."""
    import datetime as dt

    from handbook.site.output import render_out

    fixture = TESTS / "fixture-handbook"
    zensical = render_out(fixture, tmp_path / "z", "mkdocs.yml", dt.date(2026, 12, 3), builder="zensical").config
    mkdocs = render_out(fixture, tmp_path / "m", "mkdocs.yml", dt.date(2026, 12, 3)).config
    assert {"search": {"enabled": False}} in zensical["plugins"]
    assert not any(isinstance(p, dict) and "search" in p or p == "search" for p in mkdocs["plugins"])

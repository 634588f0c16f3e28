"""What `make serve` keeps between rebuilds (site/serving.py, core/prose.py): the same site as a build without it,
and each memory gives way when what it depends on changes.

Builds run in process as `mkdocs serve` runs them (tests/test_serve.py); the file watching is tested on MkDocs' own
LiveReloadServer, never started as a server (no port is opened).
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.contrib.search.search_index import SearchIndex as MkDocsSearchIndex
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from handbook.core import prose
from handbook.site import serving
from handbook.site.plugin import HandbookPlugin
from helpers import TESTS, copy_handbook


@pytest.fixture
def fixture(tmp_path) -> Path:
    root = tmp_path / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    return root


@pytest.fixture(autouse=True)
def _new_plugins():
    """MkDocs keeps a plugin with on_startup for the process (that is how the server keeps it across rebuilds):
    every test here starts with new instances, and so with empty memories."""
    MkDocsConfig.plugins.plugin_cache.clear()
    yield
    MkDocsConfig.plugins.plugin_cache.clear()


def serve(root: Path, site: Path, plugins=None):
    """One build as `mkdocs serve` makes it: with the plugin instances of the last one (as the server keeps them), or
    with new ones."""
    if plugins is None:
        MkDocsConfig.plugins.plugin_cache.clear()
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    if plugins is None:
        config.plugins.on_startup(command="serve", dirty=False)
    else:
        config.plugins = plugins
    build(config, serve_url="http://127.0.0.1:8000/")
    return config.plugins


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the whole site -------------------------------------------------------------------------------------------------


def test_a_rebuild_from_memory_is_the_site_a_fresh_build_makes(fixture, tmp_path, monkeypatch):
    """Three builds in one server (a routine's title, then the glossary and the hand-written page change in between);
    the last one's site, byte for byte, is what a build without any memory makes of the same content."""
    converted: list[str] = []
    convert = serving._convert
    monkeypatch.setattr(serving, "_convert", lambda page, *a: converted.append(page.file.src_uri) or convert(page, *a))
    site = tmp_path / "site"
    plugins = serve(fixture, site)
    pages = len(converted)
    _edit(fixture / "routines/akut-skydd.yaml", "title: Akut skydd för ett barn", "title: Akut skydd, nytt namn")
    converted.clear()
    serve(fixture, site, plugins)
    # Some pages did not change and came from the memory; the routine's did not.
    assert 0 < len(converted) < pages and "rutiner/akut-skydd.md" in converted
    handbook = plugins["handbook"]
    assert len(handbook.search) > 0 and len(handbook.templates) > 0
    assert "Akut skydd, nytt namn" in (site / "rutiner/akut-skydd/index.html").read_text()
    _edit(fixture / "glossary.yaml", "term: Lag med särskilda bestämmelser om vård av unga", "term: Lagen om vård")
    _edit(fixture / "docs/index.md", "# Testhandbok", "# Testhandboken")
    serve(fixture, site, plugins)
    # Without memory: new plugin instances, and the engine's process-wide memories emptied.
    prose._rendered.clear()
    prose._inspect.cache_clear()
    serve(fixture, tmp_path / "fresh")
    assert _files(site) == _files(tmp_path / "fresh")
    assert "Testhandboken" in (site / "index.html").read_text()


def test_the_real_handbook_rebuilt_from_memory_is_a_fresh_build(tmp_path):
    """The same on the handbook itself: a routine's title (on many pages) and a hand-written page change."""
    root = copy_handbook(tmp_path / "handbook")
    plugins = serve(root, tmp_path / "site")
    _edit(root / "routines/forsta-atgarder.yaml", "\ntitle: ", "\ntitle: Ändrad ")
    _edit(root / "docs/om-handboken.md", "\n# ", "\n# Ändrad ")
    serve(root, tmp_path / "site", plugins)
    prose._rendered.clear()
    prose._inspect.cache_clear()
    serve(root, tmp_path / "fresh")
    assert _files(tmp_path / "site") == _files(tmp_path / "fresh")


def test_a_build_keeps_nothing(fixture, tmp_path):
    """`mkdocs build` converts every page itself and keeps no memory."""
    config = load_config(str(fixture / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    plugin = config.plugins["handbook"]
    assert len(plugin.pages) == len(plugin.search) == len(plugin.templates) == 0


# ---- the pages' conversions -----------------------------------------------------------------------------------------


@pytest.fixture
def site_config(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions: [toc, attr_list]\nvalidation:\n  links:\n    anchors: warn\n"
    )
    return load_config(str(tmp_path / "mkdocs.yml"))


def _files_of(config, *uris: str) -> Files:
    return Files([File(uri, config.docs_dir, config.site_dir, config.use_directory_urls) for uri in uris])


def _render(memory: serving.PageMemory, config, files: Files, uri: str, markdown: str) -> Page:
    page = Page(None, files.get_file_from_path(uri), config)
    page.markdown = markdown
    memory.attach(page)
    page.render(config, files)
    return page


def _not_again(page, config, files):
    raise AssertionError(f"{page.file.src_uri} converted again")


def test_an_unchanged_page_is_given_what_its_conversion_gave(site_config, monkeypatch):
    memory = serving.PageMemory()
    text = "# Rubrik\n\n## Del {: #del }\n\nSe [b](b.md#x) och [här](#del).\n"
    first = _render(memory, site_config, _files_of(site_config, "a.md", "b.md"), "a.md", text)
    memory.new_build()
    monkeypatch.setattr(Page, "render", _not_again)
    files = _files_of(site_config, "a.md", "b.md")
    again = _render(memory, site_config, files, "a.md", text)
    assert (again.content, str(again.toc), again.title, again.present_anchor_ids) == (
        first.content,
        str(first.toc),
        first.title,
        first.present_anchor_ids,
    )
    # Links to anchors name this build's File objects (MkDocs checks the anchors after every page is built).
    assert {f.src_uri: v for f, v in again.links_to_anchors.items()} == {
        "b.md": {"x": "b.md#x"},
        "a.md": {"del": "#del"},
    }
    assert all(any(f is g for g in files) for f in again.links_to_anchors)


@pytest.mark.parametrize(
    "change",
    ["markdown", "link target gone", "page moved", "extension option", "link validation", "directory urls"],
)
def test_a_page_is_converted_again_when_what_it_depends_on_changes(site_config, change, monkeypatch, caplog):
    converted: list[str] = []
    convert = serving._convert
    monkeypatch.setattr(serving, "_convert", lambda page, *a: converted.append(page.file.src_uri) or convert(page, *a))
    memory = serving.PageMemory()
    text = "## Del\n\nSe [b](b.md) och [c](/c.md).\n"
    before = _render(memory, site_config, _files_of(site_config, "a.md", "b.md"), "a.md", text).content
    memory.new_build()
    uris = ["a.md", "b.md"]
    if change == "markdown":
        text = text.replace("Del", "Delen")
    elif change == "link target gone":
        uris = ["a.md"]
    elif change == "page moved":
        uris = ["sub/a.md", "b.md"]
    elif change == "extension option":
        site_config.mdx_configs["toc"] = {"permalink": True}
    elif change == "link validation":
        site_config.validation.links.absolute_links = logging.DEBUG
    else:
        site_config.use_directory_urls = False
    caplog.set_level(logging.INFO)
    after = _render(memory, site_config, _files_of(site_config, *uris), uris[0], text).content
    assert converted == ["a.md", uris[0]]
    # The same page, as it is now: other HTML, or (the absolute link's warning switched off) another log.
    logged = [r.getMessage() for r in caplog.records if "absolute link" in r.getMessage()]
    assert after != before if change != "link validation" else logged == []


def test_with_another_extension_every_page_is_converted(site_config, monkeypatch):
    """An extension the memory does not know may read files (pymdownx.snippets does): the page's text would not say
    that its HTML changed."""
    converted: list[str] = []
    monkeypatch.setattr(Page, "render", lambda page, config, files: converted.append(page.file.src_uri))
    site_config.markdown_extensions.append("pymdownx.snippets")
    memory = serving.PageMemory()
    for _ in range(2):
        memory.new_build()
        _render(memory, site_config, _files_of(site_config, "a.md"), "a.md", "Text\n")
    assert converted == ["a.md", "a.md"] and len(memory) == 0


def test_what_a_conversion_logged_is_logged_again(site_config, caplog):
    """A broken link warns on every rebuild, not only on the first: strict mode counts it every time."""
    memory = serving.PageMemory()
    caplog.set_level(logging.INFO)
    for _ in range(2):
        caplog.clear()
        memory.new_build()
        _render(memory, site_config, _files_of(site_config, "a.md"), "a.md", "Se [x](saknas.md).\n")
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert warnings == [
            "Doc file 'a.md' contains a link 'saknas.md', but the target is not found among documentation files."
        ]


def test_only_two_builds_are_kept(site_config):
    memory = serving.PageMemory()
    for n in range(4):
        memory.new_build()
        _render(memory, site_config, _files_of(site_config, "a.md"), "a.md", f"Text {n}\n")
    assert len(memory) == 2


def test_a_serve_build_with_a_broken_link_stops_every_time(fixture, tmp_path):
    """strict: the replayed warning stops the second build as the first warning stopped the first."""
    (fixture / "docs/index.md").write_text("# Testhandbok\n\nSe [x](saknas.md).\n", encoding="utf-8")
    config = load_config(str(fixture / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    for _ in range(2):
        again = load_config(str(fixture / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
        again.plugins = config.plugins
        with pytest.raises(SystemExit, match="1 warnings"):
            build(again, serve_url="http://127.0.0.1:8000/")
    assert len(config.plugins["handbook"].pages) > 0


# ---- Material's search index ---------------------------------------------------------------------------------------


def _index(memory: serving.SearchMemory, page: Page) -> list[dict]:
    index = SearchIndex(lang=["sv"], separator=" ", pipeline=[], fields={})
    memory.attach(SimpleNamespace(search_index=index))
    index.add_entry_from_context(page)
    return index.entries


def _page(site_config, markdown: str, uri: str = "a.md", meta: dict | None = None) -> Page:
    page = _render(serving.PageMemory(), site_config, _files_of(site_config, uri), uri, markdown)
    page.meta = meta or {}
    return page


def test_an_unchanged_page_gives_the_search_what_it_gave(site_config, monkeypatch):
    memory = serving.SearchMemory()
    text = "# A\n\nEtt.\n\n## Del\n\nTvå.\n"
    first = _index(memory, _page(site_config, text))
    assert [e["location"] for e in first] == ["a/", "a/#del"]
    memory.new_build()
    monkeypatch.setattr(SearchIndex, "add_entry_from_context", lambda index, page: pytest.fail("indexed again"))
    assert _index(memory, _page(site_config, text)) == first


@pytest.mark.parametrize("change", ["content", "address", "front matter"])
def test_a_changed_page_is_indexed_again(site_config, change):
    memory = serving.SearchMemory()
    text, uri, meta = "# A\n\nEtt.\n", "a.md", {}
    first = _index(memory, _page(site_config, text, uri, meta))
    if change == "content":
        text = text.replace("Ett", "Tre")
    elif change == "address":
        uri = "b.md"
    else:
        meta = {"search": {"boost": 2}}
    memory.new_build()
    assert _index(memory, _page(site_config, text, uri, meta)) != first


def test_another_search_is_left_as_it_is():
    """MkDocs' own search index (another theme) keeps no list of entries the memory could fill: it is not touched."""
    index = MkDocsSearchIndex()
    add = index.add_entry_from_context
    serving.SearchMemory().attach(SimpleNamespace(search_index=index))
    serving.SearchMemory().attach(None)
    assert index.add_entry_from_context == add


# ---- the theme's templates ------------------------------------------------------------------------------------------


def _env(folder: Path, memory: serving.TemplateMemory, **settings) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), auto_reload=False, **settings)
    memory.give(env)
    return env


def test_a_template_is_compiled_once_until_its_source_changes(tmp_path, monkeypatch):
    (tmp_path / "main.html").write_text("<p>{{ x }}</p>")
    memory = serving.TemplateMemory()
    assert _env(tmp_path, memory).get_template("main.html").render(x=1) == "<p>1</p>"
    again = _env(tmp_path, memory)
    monkeypatch.setattr(again, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert again.get_template("main.html").render(x=2) == "<p>2</p>"
    monkeypatch.undo()
    (tmp_path / "main.html").write_text("<div>{{ x }}</div>")
    assert _env(tmp_path, memory).get_template("main.html").render(x=3) == "<div>3</div>"
    # Another Environment's settings compile the same source to other code.
    (tmp_path / "main.html").write_text("<p>{{ x }} [[ x ]]</p>")
    assert _env(tmp_path, memory).get_template("main.html").render(x=4) == "<p>4 [[ x ]]</p>"
    other = _env(tmp_path, memory, variable_start_string="[[", variable_end_string="]]")
    assert other.get_template("main.html").render(x=5) == "<p>{{ x }} 5</p>"


# ---- watching the content -------------------------------------------------------------------------------------------


class _Counted(serving.ContentWatch):
    """A ContentWatch that counts its polls (each waits on its stop event once), so that a test waits for polls,
    not for time."""

    def __init__(self, server, paths: list[Path]) -> None:
        super().__init__(server, paths)
        self.polls = 0
        self.polled = threading.Condition()
        stop = self._stop

        def wait(timeout: float) -> bool:
            with self.polled:
                self.polls += 1
                self.polled.notify_all()
            return stop.wait(timeout)

        self._stop = SimpleNamespace(wait=wait, set=stop.set)

    def more(self, n: int) -> None:
        with self.polled:
            start = self.polls
            assert self.polled.wait_for(lambda: self.polls >= start + n, timeout=30)


@pytest.fixture
def server(tmp_path):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    yield server
    server.server_close()


@pytest.fixture
def watching(fixture, server, monkeypatch):
    """The plugin watching the fixture for a server, as on_serve leaves it; stopped as `mkdocs serve` stops it."""
    monkeypatch.setattr(serving, "ContentWatch", _Counted)
    plugin = HandbookPlugin()
    plugin.root = fixture
    server.watch(str(fixture / "docs"))  # what mkdocs serve watches itself
    plugin.on_serve(server, None, None)
    yield plugin
    plugin.on_shutdown()
    assert plugin.watch is None


def _rebuild_asked(server) -> None:
    with server._rebuild_cond:
        assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
        server._want_rebuild = False


def test_the_content_is_watched_in_one_thread_and_the_rest_as_mkdocs_watches_it(fixture, watching, server, caplog):
    assert [Path(e.watch.path) for e in server.observer.emitters] == [fixture / "docs"]
    content = ["legal.yaml", "contacts.yaml", "glossary.yaml", "routines"]
    assert sorted(watching.watch.paths) == sorted(fixture / name for name in content)
    # The terminal says so, since MkDocs names only its own.
    caplog.set_level(logging.INFO, logger="mkdocs")
    watching.on_serve(server, None, None)
    said = [r.getMessage() for r in caplog.records if "Bevakar också: " in r.getMessage()]
    assert len(said) == 1 and all(f"{name}'" in said[0] for name in content)


def test_a_saved_added_or_removed_file_asks_for_a_rebuild(fixture, watching, server):
    _edit(fixture / "routines/utredning.yaml", "id: utredning", "id: utredning ")
    _rebuild_asked(server)
    shutil.copyfile(fixture / "routines/utredning.yaml", fixture / "routines/ny.yaml")
    _rebuild_asked(server)
    (fixture / "routines/ny.yaml").unlink()
    _rebuild_asked(server)
    _edit(fixture / "glossary.yaml", "LVU", "LVU ")
    _rebuild_asked(server)


def test_a_change_during_a_build_asks_for_a_rebuild_after_it(fixture, watching, server):
    """Nothing is polled while a build runs (the polls slowed it); what changed meanwhile is seen after it."""
    watching.watch.pause()  # what on_config does first
    _edit(fixture / "legal.yaml", "\n", "\n\n")
    watching.watch.more(3)
    assert not server._want_rebuild
    watching.on_build_error(RuntimeError("stopped"))
    _rebuild_asked(server)
    watching.watch.pause()
    _edit(fixture / "legal.yaml", "\n\n", "\n")
    watching.watch.more(3)
    assert not server._want_rebuild
    watching.on_post_build(None)
    _rebuild_asked(server)


def test_a_save_caught_half_written_is_built_once(fixture, watching, server):
    """The poll that sees the first half of a save asks for the rebuild; the build reads the whole save, so its
    second half asks for nothing more."""
    routine = fixture / "routines/akut-skydd.yaml"
    whole = routine.read_text(encoding="utf-8")
    routine.write_text(whole[: len(whole) // 2], encoding="utf-8")
    _rebuild_asked(server)
    with watching.watch._lock:  # no poll sees the second half before the build starts
        routine.write_text(whole, encoding="utf-8")
        watching.watch.pause()
    watching.on_post_build(None)
    watching.watch.more(3)
    assert not server._want_rebuild


def test_a_server_without_the_rebuild_flag_gets_ordinary_watches(fixture):
    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(Path(path).name)

    server = Server()
    plugin = HandbookPlugin()
    plugin.root = fixture
    plugin.on_serve(server, None, None)
    assert plugin.watch is None
    assert sorted(server.watched) == sorted(
        ["contacts.yaml", "glossary.yaml", "legal.yaml", "akut-skydd.yaml", "utredning.yaml", "routines"]
    )


def test_the_thread_that_records_is_the_only_one_recorded():
    """While a page converts, the server's own threads keep logging; their records are not the page's."""
    logger = logging.getLogger("mkdocs.test")
    with serving._Recording() as recording:
        logger.warning("here")
        other = threading.Thread(target=lambda: logger.warning("elsewhere"))
        other.start()
        other.join()
    assert [r.getMessage() for r in recording.records] == ["here"]

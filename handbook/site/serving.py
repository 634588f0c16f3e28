"""What `make serve` keeps between rebuilds, so that a saved change reaches the browser sooner.

MkDocs builds the whole site again on every save: it converts every page's Markdown, compiles the theme's
templates in a new Jinja environment, and polls what it watches every half second. While serving (never in a
build) the plugin keeps these, each keyed on everything its result depends on, so that nothing is stale:

- `PageMemory`: each page's conversion (MkDocs' Page.render), keyed on the page's Markdown, its File's paths, every
  File's paths (links are resolved against them), the Markdown extensions with their options and the link
  validation levels, and only with extensions known to read nothing but the page (PURE_EXTENSIONS). An unchanged
  page is not converted again, and what MkDocs logged while converting it (a broken link) is logged again. Only
  the conversions of the last two builds are kept.
- `SearchMemory`: the entries Material's search index makes of an unchanged page (its HTML, address, title, front
  matter and table of contents unchanged).
- `TemplateMemory`: the theme's compiled templates (a Jinja bytecode cache in memory; Jinja compares each template's
  source with the one it compiled, and the Environment's settings are part of the key).
- `ContentWatch`: the content the plugin watches, polled in one thread every POLL_INTERVAL seconds (MkDocs polls
  each path in a thread of its own every 0.5 s), and not while a build runs.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

# How often the content the plugin watches is polled (MkDocs polls every 0.5 s; a poll of the handbook's content is
# some twenty stat calls). MkDocs then waits 0.1 s for the writes of a save to end.
POLL_INTERVAL = 0.1
# Where MkDocs logs what it finds while converting a page (broken links, links to excluded pages).
PAGES_LOGGER = "mkdocs.structure.pages"
# Markdown extensions whose output is a function of the page's text and their options: no file read (as
# pymdownx.snippets reads), nothing kept from one page to the next. MkDocs adds the first three itself; the rest are
# the handbook's (mkdocs.yml). With any other extension every page is converted every time.
PURE_EXTENSIONS = frozenset(
    {
        "toc",
        "tables",
        "fenced_code",
        "abbr",
        "admonition",
        "attr_list",
        "md_in_html",
        "pymdownx.details",
        "pymdownx.tasklist",
    }
)


def watch_content(server, paths: list[Path]) -> ContentWatch | None:
    """Watch paths for server: in a running ContentWatch (returned), or, when the server lacks MkDocs' rebuild flag,
    as the server's own watches (None)."""
    flag = getattr(server, "_want_rebuild", None)
    if not (isinstance(getattr(server, "_rebuild_cond", None), threading.Condition) and isinstance(flag, bool)):
        for path in paths:
            server.watch(str(path))
        return None
    return ContentWatch(server, paths).start()


class ContentWatch:
    """The content the plugin watches, polled in one thread every POLL_INTERVAL seconds, and not while a build runs.

    MkDocs polls every watched path in a thread of its own every 0.5 s (a YAML file is one path: 17 threads for the
    handbook), also while it builds; polled every 0.1 s that way, their wake-ups made each rebuild 0.2-0.3 s slower,
    as much as the shorter wait gained. Here one thread compares the files' sizes and modification times; a change
    asks the server for a rebuild as MkDocs' own watches ask (its private `_want_rebuild` under `_rebuild_cond`).
    The plugin pauses the watch when a build starts (the build reads the content as it is then) and resumes it when
    the build is over: what changed in between asks for the next rebuild."""

    def __init__(self, server, paths: list[Path]) -> None:
        self.server = server
        # A file in a watched folder is seen by the folder's walk.
        self.paths = [p for p in paths if not any(folder in p.parents for folder in paths if folder.is_dir())]
        self.building = False
        self._lock = threading.RLock()
        self._seen = _stamps(self.paths)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="handbook-content-watch", daemon=True)

    def start(self) -> ContentWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def pause(self) -> None:
        """A build starts and reads the content as it is now: a save the last poll caught half written is not a
        change for the next build."""
        with self._lock:
            self.building = True
            self._seen = _stamps(self.paths)

    def resume(self) -> None:
        self.building = False

    def _poll(self) -> None:
        while not self._stop.wait(POLL_INTERVAL):
            with self._lock:
                if self.building:
                    continue
                now = _stamps(self.paths)
                changed, self._seen = now != self._seen, now
            if changed:
                with self.server._rebuild_cond:
                    self.server._want_rebuild = True
                    self.server._rebuild_cond.notify_all()


def _stamps(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time (ns) of every file under paths (a path may be a file); links are followed to
    their files, as MkDocs' watches follow them."""
    found: dict[str, tuple[int, int]] = {}
    for path in paths:
        files = [str(path)] if not path.is_dir() else [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs]
        for file in files:
            try:
                info = os.stat(file)
            except OSError:
                continue  # gone: its absence is the change
            found[file] = (info.st_size, info.st_mtime_ns)
    return found


@dataclass(frozen=True)
class _Converted:
    """What Page.render gives a page, kept apart from the build's objects (Files are named by src_uri)."""

    content: str
    toc: TableOfContents
    title: str | None
    anchor_ids: frozenset[str]
    links_to_anchors: dict[str, dict[str, str]] | None
    records: tuple[logging.LogRecord, ...]


class _Recent:
    """Values by key, as the last two builds used them: what neither used is forgotten, so nothing piles up."""

    def __init__(self) -> None:
        self._last: dict[tuple, Any] = {}
        self._this: dict[tuple, Any] = {}

    def __len__(self) -> int:
        return len(self._last.keys() | self._this.keys())

    def new_build(self) -> None:
        self._last, self._this = self._this, {}

    def _get(self, key: tuple) -> Any:
        return self._this[key] if key in self._this else self._last.get(key)

    def _keep(self, key: tuple, value: Any) -> None:
        self._this[key] = value


class PageMemory(_Recent):
    """Page conversions (MkDocs' Page.render), by everything a conversion depends on."""

    def attach(self, page: Page) -> None:
        """Make this page convert through the memory: MkDocs calls page.render, and an attribute of the page itself
        comes before Page's method. Page objects are new every build, so nothing else changes."""
        page.render = functools.partial(self.render, page)  # type: ignore[method-assign]

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if not all(isinstance(e, str) and e in PURE_EXTENSIONS for e in config.markdown_extensions):
            Page.render(page, config, files)
            return
        key = _key(page, config, files)
        kept = self._get(key)
        if kept is None:
            kept = _convert(page, config, files)
        else:
            _give(kept, page, files)
        self._keep(key, kept)


def _key(page: Page, config: MkDocsConfig, files: Files) -> tuple:
    """Everything Page.render reads: the Markdown, the page's File, every File a link may resolve to, the extensions
    and their options, the link validation levels, and whether the pages' logger records links to anchors."""
    file, links = page.file, config.validation.links
    return (
        page.markdown,
        (file.src_uri, file.dest_uri, file.url, file.inclusion),
        _files_key(files),
        repr(config.markdown_extensions),
        repr(config.mdx_configs),
        (links.absolute_links, links.unrecognized_links, links.not_found, config.use_directory_urls),
        logging.getLogger(PAGES_LOGGER).getEffectiveLevel() > logging.DEBUG,
    )


def _files_key(files: Files) -> bytes:
    every = sorted((f.src_uri, f.dest_uri, f.url, f.inclusion.value) for f in files)
    return hashlib.sha256(repr(every).encode()).digest()


def _convert(page: Page, config: MkDocsConfig, files: Files) -> _Converted:
    """Page.render, with what it logged kept for the next build that finds the same page."""
    with _Recording() as recording:
        Page.render(page, config, files)
    links = page.links_to_anchors
    return _Converted(
        content=page.content or "",
        toc=copy.deepcopy(page.toc),
        title=page._title_from_render,
        anchor_ids=frozenset(page.present_anchor_ids or ()),
        links_to_anchors=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        records=tuple(recording.records),
    )


def _give(kept: _Converted, page: Page, files: Files) -> None:
    """What Page.render would set, from the memory, and what it logged, logged again."""
    for record in kept.records:
        logging.getLogger(record.name).handle(record)
    page.content = kept.content
    page.toc = copy.deepcopy(kept.toc)
    page._title_from_render = kept.title
    page.present_anchor_ids = set(kept.anchor_ids)
    if kept.links_to_anchors is not None:
        # The key holds every File's src_uri, so each target is in this build's files.
        page.links_to_anchors = {files.src_uris[uri]: dict(v) for uri, v in kept.links_to_anchors.items()}


class _Recording(logging.Handler):
    """Every record logged in this thread while it is open, not the server's other threads'. MkDocs' own logger does
    not pass its records on to the root logger when run from the command line, so it listens to both (a record
    reaching both is kept once); a logger that passes its records to neither is not heard."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.records: list[logging.LogRecord] = []
        self._loggers = [logging.getLogger(), logging.getLogger("mkdocs")]

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread in (self.thread, None) and not any(r is record for r in self.records):
            self.records.append(record)

    def __enter__(self) -> _Recording:
        for logger in self._loggers:
            logger.addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for logger in self._loggers:
            logger.removeHandler(self)


class SearchMemory(_Recent):
    """The entries Material's search index makes of a page (it parses every page's HTML on every build), by everything
    it reads: the page's HTML, address, title, front matter and table of contents, and the index's settings."""

    def attach(self, search: object) -> None:
        """Let the search plugin's index of this build add its pages through the memory. Without the index Material
        9 has (another search plugin, another Material), the index is left as it is."""
        index = getattr(search, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        if not callable(add) or not isinstance(getattr(index, "entries", None), list):
            return
        if not (isinstance(add, functools.partial) and add.func == self.add):
            index.add_entry_from_context = functools.partial(self.add, index, add)  # type: ignore[union-attr]

    def add(self, index: Any, add: Callable[[Page], None], page: Page) -> None:
        key = (page.content, page.url, page.title, repr(page.meta), _toc_key(page.toc), repr(index.config))
        kept = self._get(key)
        if kept is None:
            start = len(index.entries)
            add(page)
            kept = copy.deepcopy(index.entries[start:])
        else:
            index.entries.extend(copy.deepcopy(kept))
        self._keep(key, kept)


def _toc_key(items: Iterable) -> tuple:
    return tuple((i.id, i.title, i.level, _toc_key(i.children)) for i in items)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by name and file; Jinja drops an entry whose source changed."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class TemplateMemory:
    """The theme's templates compiled once while serving: MkDocs makes a new Jinja environment every build."""

    def __init__(self) -> None:
        self._caches: dict[tuple, _CompiledTemplates] = {}

    def __len__(self) -> int:
        return sum(len(cache.compiled) for cache in self._caches.values())

    def give(self, env: jinja2.Environment) -> None:
        """Give env the bytecode cache for its settings (the code Jinja compiles depends on them)."""
        env.bytecode_cache = self._caches.setdefault(_settings(env), _CompiledTemplates())


def _settings(env: jinja2.Environment) -> tuple:
    return (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        repr(env.autoescape),
        repr(env.finalize),
        tuple(sorted(env.extensions)),
    )

"""The MkDocs plugin, for `make serve`: the same render as `handbook render`, fed to MkDocs in memory.

A build for publishing goes through `handbook build` (render to disk, any builder, finishing
pass). The plugin exists so that `mkdocs serve` reloads when a YAML file changes: on_config runs
the pipeline (site.pipeline: load, check, render; errors make `--strict` fail; warnings are one
line, never stopping a build), on_files adds the tree's texts with File.generated and never writes
into docs/, on_page_markdown gives the hand-written pages as the tree has them, and on_post_page gives
each page the finishing pass's CSP in a build, never while serving (MkDocs then injects an inline
live-reload script after it); 404.html and the redirect stubs get no page event, so only `handbook finish`
gives them theirs. Nothing here parses content YAML or renders a page itself.

While serving, content with errors does not stop the server (the browser would wait for a reload
that never comes): every page, and the 404 page, lists the problems instead, until they are fixed. And while
serving, a rebuild reuses what the last one made of unchanged pages, and the content is polled more often
(site/serving.py).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from handbook.check.report import summary
from handbook.core import frontmatter
from handbook.core.kinds import ITEM_KINDS
from handbook.core.problems import Problem
from handbook.load import DOCS_DIR, ROUTINES_DIR, content_paths, write_atomic
from handbook.load.files import LAYERS_FILE, LOCAL_STEPS_DIR
from handbook.render.tree import ASSETS, SCRIPTS, STYLESHEETS, PageConflict, site_options
from handbook.site import pipeline, serving
from handbook.site.finish import finish_page
from handbook.site.output import ENGINE_THEME, PACKAGE_ASSETS

log = get_plugin_logger(__name__)


class HandbookConfig(base.Config):
    root = c.Optional(c.Type(str))
    """The handbook's root folder (with routines/, legal.yaml …); defaults to mkdocs.yml's folder."""
    today = c.Optional(c.Type(str))
    """Fix the date review ages are measured from (YYYY-MM-DD); defaults to the build date."""
    csp = c.Type(bool, default=True)
    """Add a Content-Security-Policy meta tag to every page (off for the file:// offline edition)."""


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        self.build: pipeline.Build | None = None
        self.root = Path(".")
        self.today = dt.date.today()
        self.serving = False
        # While serving: the content's errors, shown on every page instead of the handbook.
        self.errors: list[Problem] = []
        # While serving: what one rebuild keeps for the next (site/serving.py).
        self.pages = serving.PageMemory()
        self.search = serving.SearchMemory()
        self.templates = serving.TemplateMemory()
        self.watch: serving.ContentWatch | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        if self.watch is not None:
            self.watch.stop()
            self.watch = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.watch is not None:
            self.watch.pause()
        if self.serving:
            self.pages.new_build()
            self.search.new_build()
        self.root = Path(self.config.root or Path(config.config_file_path).parent)
        self.today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        # The engine's partials come right after the handbook's own overrides (theme.custom_dir), before Material's.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(ENGINE_THEME))
        for names, listing in ((STYLESHEETS, config.extra_css), (SCRIPTS, config.extra_javascript)):
            listing.extend(name for name in names if name not in listing)
        # While serving, content with errors is not rendered: every page lists the errors instead. A build renders
        # anyway; MkDocs stops a strict one on the errors logged below.
        try:
            self.build = pipeline.run(
                self.root, self.today, site=site_options(config), nav=config.nav, render_with_errors=not self.serving
            )
        except PageConflict as error:
            raise PluginError(str(error)) from None
        problems, errors = self.build.problems, self.build.errors
        self.errors = errors if self.serving else []
        if self.errors:
            return self._problems_config(config, problems)
        assert self.build.tree is not None
        config.nav = self.build.tree.nav
        # A draft build is useful and builds green, but every page says it is a draft (overrides/main.html).
        config.extra["handbook_draft"] = len(self.build.blockers)
        for p in errors:
            log.error(_line(p))  # a strict build stops here, naming every error
        # Content warnings (a review falling due) are one line, on every save: `handbook check` lists them.
        for p in problems:
            if p.severity == "warning":
                log.debug(_line(p))
        if warnings := len(problems) - len(errors):
            log.info(f"{warnings} varningar; handbook check visar dem.")
        return config

    def _problems_config(self, config: MkDocsConfig, problems: list[Problem]) -> MkDocsConfig:
        """Serving content with errors: one page listing them, quietly, so that the build succeeds."""
        for p in self.errors:
            log.info(_line(p))
        log.info(f"{summary(problems)} Sidorna i webbläsaren visar felen tills de är rättade.")
        config.nav = [{PROBLEMS_TITLE: "index.md"}]
        config.extra["handbook_draft"] = 0
        # The handbook's pages all show the problems page; none is missing from the nav by mistake.
        config.validation.nav.omitted_files = logging.DEBUG
        config.validation.nav.not_found = logging.DEBUG
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.build is not None
        if self.errors:
            return self._problems_files(files, config)
        tree, docs = self.build.tree, self.build.docs
        assert tree is not None
        for src_uri, markdown in tree.pages.items():
            if src_uri in docs:
                continue  # hand-written: MkDocs reads it from docs/, on_page_markdown gives the tree's text
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/{src_uri} finns redan; sidan skapas från YAML och får inte skrivas för hand.")
            files.append(File.generated(config, src_uri, content=markdown))
        for src_uri, content in tree.files.items():
            files.append(File.generated(config, src_uri, content=content))
        for name in ASSETS:
            files.append(File.generated(config, name, abs_src_path=str(PACKAGE_ASSETS / Path(name).name)))
        for file in files:
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"docs/{file.src_uri}"
        # A static file the loader refused (it could run script) is never served, not even by a build that
        # overrides the check's errors.
        refused = {
            p.file.rsplit(DOCS_DIR + "/", 1)[-1]
            for p in self.build.loaded.problems
            if p.code == "docs-file-not-allowed"
        }
        for file in [f for f in files if not f.generated_by and f.src_uri in refused]:
            files.remove(file)
        return files

    def _problems_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The theme's files, and the problems page at the start page and every page of the handbook
        (so that the reader's open page reloads to it)."""
        page = problems_page(self.errors)
        uris = {"index.md"} | {f.src_uri for f in files if f.is_documentation_page()}
        assert self.build is not None
        for kind in ITEM_KINDS:
            ids = [item.id for item in self.build.loaded.handbook.items(kind.name)]
            uris |= {kind.page_of(i) for i in ids} if "{id}" in kind.page else {kind.page}
        kept = Files([f for f in files if not f.is_documentation_page()])
        for uri in sorted(uris):
            kept.append(File.generated(config, uri, content=page))
        return kept

    def on_build_error(self, error: Exception) -> None:
        if self.watch is not None:
            self.watch.resume()

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.watch is not None:
            self.watch.resume()
        # Any other address the browser is on gets the problems too (mkdocs serve answers it with 404.html).
        if self.errors:
            site = Path(config.site_dir)
            write_atomic(site / "404.html", (site / "index.html").read_bytes(), durable=False)

    def on_pre_page(self, page, config: MkDocsConfig, files: Files):
        # While serving, an unchanged page is not converted again (site/serving.py).
        if self.serving:
            self.pages.attach(page)
        return page

    def on_env(self, env, config: MkDocsConfig, files: Files):
        if self.serving:
            self.templates.give(env)
            self.search.attach(config.plugins.get("material/search"))
        return env

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        if page.file.generated_by or self.errors:
            return markdown
        assert self.build is not None and self.build.tree is not None
        # MkDocs has read the front matter already: keep only its safe, escaped fields (as render does).
        page.meta = frontmatter.safe_meta(page.meta or {})
        # The page as the tree has it (markers filled, references linked, abbreviations added), without the front
        # matter MkDocs has taken off. A page the loader refused (a reported error) is left as it is.
        rendered = self.build.tree.pages.get(page.file.src_uri)
        return markdown if rendered is None else frontmatter.split(rendered)[0]

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        # Not while serving: MkDocs injects an inline live-reload script after this event.
        return finish_page(output) if self.config.csp and not self.serving else output

    def on_serve(self, server, config: MkDocsConfig, builder):
        # The base named in handbook.yml is content too: a change there reloads like a local one.
        layers = self.build.loaded.layers if self.build else ()
        roots = [layer.root for layer in layers] or [self.root]
        paths = [path for root in roots for path in _watched(root, root != self.root)]
        # Polled in one thread of the plugin's, not in MkDocs' thread per path (site/serving.py).
        self.on_shutdown()
        self.watch = serving.watch_content(server, paths)
        if self.watch is not None:
            # MkDocs names only what it watches itself (docs/, mkdocs.yml).
            log.info("Bevakar också: " + ", ".join(f"'{_relative(p)}'" for p in self.watch.paths))
        return server


PROBLEMS_TITLE = "Fel i innehållet"


def _watched(root: Path, base: bool) -> list[Path]:
    """What a root's content is read from (a base's docs too: MkDocs watches only the root's own)."""
    extra = [root / LAYERS_FILE, root / LOCAL_STEPS_DIR] + ([root / DOCS_DIR] if base else [])
    return [p for p in [*content_paths(root), root / ROUTINES_DIR, *extra] if p.exists()]


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def _line(p: Problem) -> str:
    return f"{p.file}:{p.line}:{p.column}: {p.severity}: [{p.code}] {p.message}"


def problems_page(errors: list[Problem]) -> str:
    """A Markdown page listing the errors; every value is escaped and sits in raw HTML, so no message
    can become markup."""
    rows = "".join(
        f"<tr><td><code>{html.escape(f'{p.file}:{p.line}:{p.column}')}</code></td>"
        f"<td><code>{html.escape(p.code)}</code></td><td>{html.escape(p.message)}</td></tr>\n"
        for p in errors
    )
    return (
        f"# {PROBLEMS_TITLE}\n\n"
        f"Handboken kan inte visas, eftersom innehållet har {len(errors)} fel. Rätta felen i filerna nedan och "
        "spara: sidan laddas om av sig själv. `make check` visar samma fel.\n\n"
        '<table id="handbook-problems">\n<thead><tr><th scope="col">Fil och rad</th><th scope="col">Regel</th>'
        '<th scope="col">Fel</th></tr></thead>\n<tbody>\n' + rows + "</tbody>\n</table>\n"
    )

"""The MkDocs plugin: a thin adapter between the engine and MkDocs.

on_config loads and checks the content and logs every problem (errors make `--strict` fail;
content warnings are shown at INFO level so they never stop a build). on_files adds the
rendered pages in memory with File.generated and never writes into docs/. on_serve watches
the YAML. Knows nothing about YAML itself: everything goes through load, check and render.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from handbook.render import attachments
from handbook.core import refs
from handbook.check import check_handbook
from handbook.check.release import SiteSettings, blockers
from handbook.site.csp import with_policy
from handbook.load import Loaded, content_paths, load_handbook
from handbook.render.pages import Renderer, abbreviations, fill_markers, page_sources, routines_nav

log = get_plugin_logger(__name__)

PACKAGE_ASSETS = Path(__file__).parents[1] / "render" / "assets"
# Site path of each engine asset -> the config list that loads it.
ASSETS = {
    "assets/handbook/handbook.css": lambda config: config.extra_css,
    "assets/handbook/handbook.js": lambda config: config.extra_javascript,
}


class HandbookConfig(base.Config):
    root = c.Optional(c.Type(str))
    """The handbook's root folder (with routines/, legal.yaml …); defaults to mkdocs.yml's folder."""
    today = c.Optional(c.Type(str))
    """Fix the date review ages are measured from (YYYY-MM-DD); defaults to the build date."""
    csp = c.Type(bool, default=True)
    """Add a Content-Security-Policy meta tag to every page (off for the file:// offline edition)."""


class HandbookPlugin(BasePlugin[HandbookConfig]):
    def __init__(self) -> None:
        self.loaded: Loaded | None = None
        self.renderer: Renderer | None = None
        self.root = Path(".")
        self.today = dt.date.today()
        self.serving = False
        self.blockers: list = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(self.config.root or Path(config.config_file_path).parent)
        self.today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        # The reader features (call-now card, copy link, old anchors, checklists, print) come with the engine.
        for name, listing in ASSETS.items():
            if name not in listing(config):
                listing(config).append(name)
        self.loaded = load_handbook(self.root)
        config.nav = routines_nav(config.nav, self.loaded.handbook)
        # A draft build is useful and builds green, but every page says it is a draft (overrides/main.html).
        self.blockers = blockers(self.loaded.handbook, SiteSettings(config.site_url or "", config.edit_uri or "",
                                                                   str(config.extra.get("report_address") or "")))
        config.extra["handbook_draft"] = len(self.blockers)
        for p in check_handbook(self.loaded, self.today):
            line = f"{p.file}:{p.line}:{p.column}: {p.severity}: [{p.code}] {p.message}"
            # Content warnings (a review falling due) must be seen but must not stop a strict build.
            log.log(logging.ERROR if p.severity == "error" else logging.INFO, line)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.loaded is not None
        handbook = self.loaded.handbook
        sources = page_sources(handbook)
        self.renderer = Renderer(handbook, config.site_url or "", config.use_directory_urls, self.blockers)
        for src_uri, markdown in self.renderer.pages().items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"docs/{src_uri} finns redan; sidan skapas från YAML och får inte skrivas för hand.")
            file = File.generated(config, src_uri, content=markdown)
            file.edit_uri = sources.get(src_uri)
            files.append(file)
        for src_uri, content in attachments.static_files(handbook, config.use_directory_urls).items():
            files.append(File.generated(config, src_uri, content=content))
        for name in ASSETS:
            files.append(File.generated(config, name, abs_src_path=str(PACKAGE_ASSETS / Path(name).name)))
        for file in files:
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"docs/{file.src_uri}"
        return files

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        assert self.loaded is not None
        handbook = self.loaded.handbook
        if not page.file.generated_by:
            markdown = fill_markers(markdown, self.renderer, page.file.src_uri, self.today)
            markdown = refs.rewrite(markdown, handbook, page.file.src_uri)
        return markdown + abbreviations(handbook, markdown)

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        # Not while serving: MkDocs injects an inline live-reload script after this event.
        return with_policy(output, page.content or "") if self.config.csp and not self.serving else output

    def on_serve(self, server, config: MkDocsConfig, builder):
        for path in content_paths(self.root):
            if path.exists():
                server.watch(str(path))
        server.watch(str(self.root / "routines"))
        return server

"""The MkDocs plugin, for `make serve`: the same render as `handbook render`, fed to MkDocs in memory.

A build for publishing goes through `handbook build` (render to disk, any builder, finishing
pass). The plugin exists so that `mkdocs serve` reloads when a YAML file changes: on_config loads
and checks (errors make `--strict` fail; warnings are logged at INFO so they never stop a build),
on_files adds render.tree's texts with File.generated and never writes into docs/, on_page_markdown
finishes the hand-written pages, on_post_page gives each page the finishing pass's CSP. Every one
of these is a call into render or site.finish; nothing here knows YAML or HTML.
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

from handbook.check import check_handbook
from handbook.check.release import blockers
from handbook.load import DOCS_DIR, Loaded, content_paths, load_handbook
from handbook.load.layers import LAYERS_FILE, LOCAL_STEPS_DIR
from handbook.render.pages import Renderer, routines_nav
from handbook.render.tree import (ASSETS, SCRIPTS, STYLESHEETS, PageConflict, attachments, generated_pages, hand_written,
                                  renderer, site_options)
from handbook.site.config import read_site_settings
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
        # The engine's partials come right after the handbook's own overrides (theme.custom_dir), before Material's.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(ENGINE_THEME))
        for names, listing in ((STYLESHEETS, config.extra_css), (SCRIPTS, config.extra_javascript)):
            listing.extend(name for name in names if name not in listing)
        self.loaded = load_handbook(self.root)
        config.nav = routines_nav(config.nav, self.loaded.handbook)
        # A draft build is useful and builds green, but every page says it is a draft (overrides/main.html).
        self.blockers = blockers(self.loaded.handbook, read_site_settings(self.root))
        config.extra["handbook_draft"] = len(self.blockers)
        for p in check_handbook(self.loaded, self.today):
            line = f"{p.file}:{p.line}:{p.column}: {p.severity}: [{p.code}] {p.message}"
            # Content warnings (a review falling due) must be seen but must not stop a strict build.
            log.log(logging.ERROR if p.severity == "error" else logging.INFO, line)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.loaded is not None
        options = site_options(config)
        self.renderer = renderer(self.loaded.handbook, options, self.blockers)
        try:
            for src_uri, markdown in generated_pages(self.renderer, options).items():
                if files.get_file_from_path(src_uri) is not None:
                    raise PageConflict(f"docs/{src_uri} finns redan; sidan skapas från YAML och får inte skrivas "
                                       "för hand.")
                files.append(File.generated(config, src_uri, content=markdown))
        except PageConflict as error:
            raise PluginError(str(error)) from None
        for src_uri, content in attachments(self.renderer, self.today).items():
            files.append(File.generated(config, src_uri, content=content))
        for name in ASSETS:
            files.append(File.generated(config, name, abs_src_path=str(PACKAGE_ASSETS / Path(name).name)))
        for file in files:
            if not file.generated_by and file.src_uri.endswith(".md"):
                file.edit_uri = f"docs/{file.src_uri}"
        return files

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        if page.file.generated_by:
            return markdown
        assert self.renderer is not None
        return hand_written(markdown, self.renderer, page.file.src_uri, self.today)

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        # Not while serving: MkDocs injects an inline live-reload script after this event.
        return finish_page(output) if self.config.csp and not self.serving else output

    def on_serve(self, server, config: MkDocsConfig, builder):
        # The base named in handbook.yml is content too: a change there reloads like a local one.
        roots = [layer.root for layer in self.loaded.layers] if self.loaded and self.loaded.layers else [self.root]
        for root in roots:
            extra = [root / LAYERS_FILE, root / LOCAL_STEPS_DIR] + ([root / DOCS_DIR] if root != self.root else [])
            for path in [*content_paths(root), root / "routines", *extra]:
                if path.exists():
                    server.watch(str(path))
        return server

"""Everything a site builder needs from the engine, as text: the docs tree the builder reads.

`render_tree` gives every generated page (Markdown), every hand-written page finished (markers
filled, internal references rewritten, abbreviations added), the attachments and the navigation.
Both ways into a builder use it: `handbook render --out DIR` writes it to disk for any builder
(MkDocs, Zensical), and the MkDocs plugin hands the same texts to `mkdocs serve`. Pure: model and
settings in, texts out. Knows nothing about files or builders.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from handbook.core import frontmatter, refs
from handbook.core.model import Handbook
from handbook.core.paths import PAGE
from handbook.core.problems import Problem
from handbook.core.tree import ASSETS, SCRIPTS, STYLESHEETS, PageConflict, Tree  # noqa: F401 (re-exported)
from handbook.render.attachments import static_files
from handbook.render.pages import (
    LocalSettings,
    MissingNumber,
    Renderer,
    abbreviations,
    fill_markers,
    local_settings,
    missing_number_setting,
    page_sources,
    routines_nav,
    with_occasional_pages,
)

# Where the call-now chain is published as data, beside the card that uses it.
CALL_NOW_DATA = PAGE["call-now"].path


@dataclass(frozen=True)
class SiteOptions:
    """What rendering needs to know of the site config."""

    site_url: str = ""
    directory_urls: bool = True
    # The repository's edit address (mkdocs.yml edit_uri); "" gives pages no edit button.
    edit_uri: str = ""
    # How the builder reads relative links in a page's HTML (core.refs.LINK_BASES).
    link_base: str = "page"
    # What a page says where a contact has no number (mkdocs.yml extra.missing_number).
    missing_number: MissingNumber = field(default_factory=MissingNumber)
    # What the handbook says about its own place: contact headings, search weights, urgent numbers (mkdocs.yml extra).
    local: LocalSettings = field(default_factory=LocalSettings)


def site_options(config: dict, link_base: str = "page") -> SiteOptions:
    """The options from a site config read as plain data (mkdocs.yml, or MkDocs' own config object)."""
    extra = config.get("extra")
    return SiteOptions(
        str(config.get("site_url") or ""),
        bool(config.get("use_directory_urls", True)),
        str(config.get("edit_uri") or ""),
        link_base,
        missing_number_setting(extra),
        local_settings(extra),
    )


def renderer(handbook: Handbook, options: SiteOptions, blockers: list[Problem], law_radar: object = None) -> Renderer:
    """The renderer for a site with these options (law_radar: the radar's last data file, if there is one)."""
    return Renderer(
        handbook,
        options.site_url,
        options.directory_urls,
        blockers,
        options.link_base,
        options.missing_number,
        law_radar,
        options.local,
    )


def generated_pages(renderer: Renderer, options: SiteOptions) -> dict[str, str]:
    """Every page made from the YAML, with its abbreviations and the address of its source for the edit button."""
    hb = renderer.hb
    sources = page_sources(hb)
    pages = {}
    for path, markdown in renderer.pages().items():
        edit = options.edit_uri.rstrip("/") + "/" + sources[path] if options.edit_uri and path in sources else ""
        pages[path] = with_edit_url(markdown, edit) + abbreviations(hb, markdown)
    return pages


def with_edit_url(markdown: str, edit_url: str) -> str:
    """The page with `edit_url` in its front matter ("" turns the edit button off: there is no file to edit).

    Builders would otherwise point the button at docs/<page>.md, which does not exist for a generated page."""
    line = f"edit_url: {json.dumps(edit_url)}\n"
    if markdown.startswith("---\n"):
        return "---\n" + line + markdown[4:]
    return "---\n" + line + "---\n\n" + markdown


def hand_written(markdown: str, renderer: Renderer, path: str, today: dt.date) -> str:
    """A hand-written docs page as the builder must see it: generated parts in its markers, internal
    references (`lagrum:lvu-6`) as links to the pages, and the glossary's abbreviations it uses."""
    markdown = fill_markers(markdown, renderer, path, today)
    markdown = refs.rewrite(markdown, renderer.hb, path)
    return markdown + abbreviations(renderer.hb, markdown)


def render_tree(
    handbook: Handbook,
    docs: dict[str, str],
    nav: list | None,
    options: SiteOptions,
    blockers: list[Problem],
    today: dt.date,
    law_radar: object = None,
) -> Tree:
    """The whole docs tree: docs holds the hand-written pages (docs path -> Markdown)."""
    made = renderer(handbook, options, blockers, law_radar)
    tree = Tree(nav=routines_nav(nav, handbook))
    tree.pages = generated_pages(made, options)
    for path, markdown in docs.items():
        if path in tree.pages:
            raise PageConflict(f"docs/{path} finns redan; sidan skapas från YAML och får inte skrivas för hand.")
        # The front matter is data that lands in the page's <head>: only safe fields, escaped (core/frontmatter.py).
        tree.pages[path] = hand_written(frontmatter.normalised(markdown), made, path, today)
    tree.nav = with_occasional_pages(tree.nav, tree.pages)
    tree.files = attachments(made, today)
    return tree


def attachments(renderer: Renderer, today: dt.date) -> dict[str, str]:
    """The files served beside the pages: redirects, contacts as vCard and CSV, the call chain as JSON."""
    files = static_files(renderer.hb, renderer.directory_urls)
    files[CALL_NOW_DATA] = json.dumps(renderer.call_now_data(today), ensure_ascii=False, indent=1) + "\n"
    return files

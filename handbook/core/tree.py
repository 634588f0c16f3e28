"""The docs tree: what render gives a site builder, as data, and where the engine's assets sit in every site.

Its own module, apart from render.tree which makes it, so that the adapters that only store or write a tree
(site/cache.py, site/output.py on a warm build) do not import the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The engine's own stylesheets and scripts, at these paths in every site (copied from render/assets/).
# reader.css/reader.js: what the reader's pages need beyond handbook.css/js (collapsed parts, printing).
STYLESHEETS = ("assets/handbook/handbook.css", "assets/handbook/reader.css")
SCRIPTS = ("assets/handbook/handbook.js", "assets/handbook/reader.js")
ASSETS = STYLESHEETS + SCRIPTS


class PageConflict(ValueError):
    """A hand-written page has the path of a generated one."""


@dataclass
class Tree:
    """The builder's input: docs path -> text, for pages and attachments; the navigation."""

    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    nav: list | None = None

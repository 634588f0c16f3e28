"""The one pipeline: load -> check -> render for a handbook root and a date, as data.

Every way into the handbook that reads the content runs it: the `handbook` commands check, render, build,
links and law-radar (`handbook new` calls load directly), `handbook render --out` (site.output, which writes
the tree to disk) and the MkDocs plugin (which hands the same tree to `mkdocs serve`). So all of them see the
same problems, the same publication blockers and the same pages for the same content and date. It writes
nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from handbook.check import check_handbook
from handbook.check.release import Group, grouped
from handbook.core.problems import Problem
from handbook.load import DOCS_DIR, Loaded, load_handbook
from handbook.render.tree import SiteOptions, Tree, render_tree
from handbook.site.config import read_site_settings


@dataclass(frozen=True)
class Build:
    """What one run of the pipeline gives."""

    today: dt.date
    loaded: Loaded
    # Load's problems and, when the content was checked, every rule's; sorted, without duplicates.
    problems: list[Problem]
    # What stops publication, by kind (the release gate); [] unless it was asked for or the tree rendered.
    groups: list[Group] = field(default_factory=list)
    # The builder's docs tree; None when no render was asked for, or the content has errors.
    tree: Tree | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def blockers(self) -> list[Problem]:
        """Every publication blocker once, sorted (the start page and the editing pages list them)."""
        return sorted({p for group in self.groups for p in group.problems})

    @property
    def docs(self) -> dict[str, str]:
        """The hand-written pages as render reads them: path inside docs/ -> Markdown."""
        return {rel.removeprefix(DOCS_DIR + "/"): text for rel, text in self.loaded.pages.items()}


def run(
    root: Path,
    today: dt.date,
    *,
    check: bool = True,
    release: bool = False,
    site: SiteOptions | None = None,
    nav: list | None = None,
    render_with_errors: bool = False,
) -> Build:
    """Load the handbook at root; check it for the date today (unless check is False: only load's problems);
    with release, or when rendering, find what stops publication; with site (the site's options), render the
    docs tree, its navigation built on nav. Content with errors is not rendered unless render_with_errors (a
    plain MkDocs build through the plugin, where MkDocs decides whether the errors stop it).

    Raises render.tree.PageConflict when a hand-written page has the path of a generated one."""
    loaded = load_handbook(root)
    if not check:
        return Build(today, loaded, sorted(set(loaded.problems)))
    problems = check_handbook(loaded, today)
    render = site is not None and (render_with_errors or not any(p.severity == "error" for p in problems))
    groups = grouped(loaded.handbook, read_site_settings(root), today, loaded.law_radar) if release or render else []
    build = Build(today, loaded, problems, groups)
    if not render:
        return build
    assert site is not None
    tree = render_tree(loaded.handbook, build.docs, nav, site, build.blockers, today, loaded.law_radar)
    return Build(today, loaded, problems, groups, tree)

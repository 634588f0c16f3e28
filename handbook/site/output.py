"""`handbook render --out DIR`: the rendered docs tree and a builder config, written to disk.

DIR then holds everything a builder reads, and nothing it has to run:

    DIR/mkdocs.yml     the site config with the navigation filled in and the handbook plugin taken out
    DIR/docs/          every page as Markdown (generated and hand-written), attachments, assets
    DIR/overrides/     the theme overrides
    DIR/site/          where the builder writes the site (`handbook build` moves it to --site-dir)

`mkdocs build -f DIR/mkdocs.yml` and `zensical build -f DIR/mkdocs.yml` both build it; then
`handbook finish SITE` adds what only the built HTML can take (the CSP).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.core.problems import Problem
from handbook.core.tree import ASSETS, SCRIPTS, STYLESHEETS, Tree
from handbook.load import DOCS_DIR, inside, write_atomic
from handbook.site import cache
from handbook.site.config import read_config
from handbook.site.search import wants_pagefind, with_pagefind

PACKAGE_ASSETS = Path(__file__).parents[1] / "render" / "assets"
# Theme partials the engine needs whatever the handbook's own overrides are (the edit button's source file).
ENGINE_THEME = Path(__file__).parent / "theme"
# A folder that holds this file was written by `handbook render` and may be replaced by it.
MARK = ".handbook-render"
PLUGIN = "handbook"
SITE_DIR = "site"


class OutputError(Exception):
    """The output folder cannot be used; the message is for the maintainer."""


@dataclass
class Rendered:
    problems: list[Problem]
    config: dict | None = None  # the builder's config; None when the content has errors and nothing was written
    # The handbook plugin's options in the source config (csp: false for the offline edition).
    options: dict = field(default_factory=dict)


def plugin_options(config: dict) -> dict:
    """The handbook plugin's own options in a config (root, today, csp), {} when it has none."""
    for item in config.get("plugins") or []:
        if isinstance(item, dict) and PLUGIN in item:
            return dict(item[PLUGIN] or {})
    return {}


def builder_config(config: dict, nav: list | None, draft: int) -> dict:
    """The site config a builder needs for the rendered tree: no handbook plugin, the navigation
    complete, the engine's assets listed, edit links pointing into docs/ of the repository."""
    out = dict(config)
    out["docs_dir"] = DOCS_DIR
    plugins = [p for p in config.get("plugins") or [] if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)]
    out["plugins"] = plugins
    if nav is not None:
        out["nav"] = nav
    out["extra_css"] = [*(config.get("extra_css") or []), *STYLESHEETS]
    out["extra_javascript"] = [*(config.get("extra_javascript") or []), *SCRIPTS]
    out["extra"] = {**(config.get("extra") or {}), "handbook_draft": draft}
    if config.get("edit_uri"):
        out["edit_uri"] = str(config["edit_uri"]).rstrip("/") + f"/{DOCS_DIR}/"
    out["theme"] = {**(config.get("theme") or {}), "custom_dir": "overrides"}
    # Zensical has no --site-dir and builds only inside the config's folder: both builders write DIR/site.
    out["site_dir"] = SITE_DIR
    return out


def usable_folder(path: Path, what: str) -> None:
    """Refuse (OutputError) a folder the engine would write into or replace that is not a plain folder of this
    checkout: a symbolic link (a committed `build` link would send the render, and its rmtree, elsewhere), also in
    a parent below the current folder, or something that is not a folder (a file, a pipe, a dangling link)."""
    here = Path.cwd()
    absolute = path.absolute()
    below = (
        [absolute, *absolute.parents][: len(absolute.parents) - len(here.parents)] if (here in absolute.parents) else []
    )
    for part in below:
        if part.is_symlink():
            raise OutputError(
                f"{what} {path} går via en symbolisk länk ({part}). Handboken skriver bara i vanliga "
                "mappar; ta bort länken eller välj en annan mapp."
            )
    if path.is_symlink():
        raise OutputError(f"{what} {path} är en symbolisk länk. Välj en vanlig mapp.")
    if path.exists() and not path.is_dir():
        raise OutputError(f"{what} {path} finns redan och är inte en mapp. Välj en ny eller tom mapp.")


def _prepare(out: Path) -> None:
    """An empty output folder: a new one, or one that an earlier render wrote (never anything else)."""
    usable_folder(out, "Mappen")
    if out.exists() and any(out.iterdir()) and not (out / MARK).is_file():
        raise OutputError(
            f"{out} finns redan och är inte en mapp som handbook render har skrivit. Välj en ny eller tom mapp."
        )
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_atomic(out / MARK, "Skriven av handbook render; skrivs över vid nästa körning.\n", durable=False)


def _material_only(path: Path) -> bool:
    """An override copied from Material that another builder's theme does differently (it says so in its header)."""
    return path.suffix == ".html" and "HANDBOOK: Material only" in path.read_text(encoding="utf-8")[:1000]


# How each builder reads relative links in a page's HTML (see core.refs.LINK_BASES).
LINK_BASE = {"mkdocs": "page", "zensical": "source"}


def render_out(
    root: Path, out: Path, config_file: str, today: dt.date | None = None, builder: str = "mkdocs"
) -> Rendered:
    """Run the pipeline on the handbook at root and write its tree into out. Writes nothing when the content
    has errors."""
    config = read_config(root / config_file)
    options = plugin_options(config)
    if today is None:
        today = dt.date.fromisoformat(str(options["today"])) if options.get("today") else dt.date.today()
    entry = _build(root, today, config, builder)
    if entry.tree is None:
        return Rendered(entry.problems, None, options)
    result = builder_config(config, entry.tree.nav, entry.blockers)
    if wants_pagefind(options):
        result = with_pagefind(result, builder)  # one search for both builders, indexed after finish
    if builder == "zensical":
        # Zensical's default look is its new "modern" one; the handbook keeps Material's.
        result["theme"] = {**result["theme"], "variant": "classic"}
    _prepare(out)
    # The base's folder first (when handbook.yml names one), then the root's own, which wins where both have a file.
    roots = entry.roots
    _write_docs(out / DOCS_DIR, entry.tree, roots)
    _write_overrides(out / "overrides", roots, (config.get("theme") or {}).get("custom_dir"), builder)
    write_atomic(
        out / "mkdocs.yml",
        f"# Written by handbook render from {config_file}. Edit that file, not this one.\n"
        + yaml.safe_dump(result, allow_unicode=True, sort_keys=False, width=120),
        durable=False,
    )
    return Rendered(entry.problems, result, options)


def _build(root: Path, today: dt.date, config: dict, builder: str) -> cache.Entry:
    """The pipeline's result for the site adapter: from the cache when nothing it depends on has changed
    (site/cache.py), else from a full run, then kept for next time (only when it rendered: content with errors
    is run again, so the problems are always the current ones)."""
    call = {"today": today.isoformat(), "builder": builder, "config": config}
    if (entry := cache.load(root, call)) is not None:
        return entry
    # Imported here: a build served from the cache needs neither the pipeline nor the renderer.
    from handbook.render.tree import site_options
    from handbook.site import pipeline

    build = pipeline.run(root, today, site=site_options(config, LINK_BASE[builder]), nav=config.get("nav"))
    roots = [layer.root for layer in build.loaded.layers] or [root]
    entry = cache.Entry(build.problems, len(build.blockers), build.tree, roots)
    if build.tree is not None:
        cache.save(root, call, entry)
    return entry


def _write_docs(docs: Path, tree: Tree, roots: list[Path]) -> None:
    """The docs folder: the hand-written files that are not pages, the tree's texts, the engine's assets."""
    # Hand-written files that are not pages (images, vendored scripts) go as they are, if inside the roots.
    for layer in roots:
        for path in sorted((layer / DOCS_DIR).rglob("*")):
            rel = path.relative_to(layer / DOCS_DIR).as_posix()
            if rel.endswith(".md") or any(p.startswith(".") for p in rel.split("/")):
                continue
            if path.is_file() and inside(path, *roots):
                (docs / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, docs / rel)
    for rel, text in {**tree.pages, **tree.files}.items():
        write_atomic(docs / rel, text, durable=False)
    for rel in ASSETS:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE_ASSETS / Path(rel).name, docs / rel)


def _write_overrides(overrides: Path, roots: list[Path], custom: str | None, builder: str) -> None:
    """The engine's partials first, then the base's overrides, then the handbook's own: the later wins where both
    have a file."""
    shutil.copytree(ENGINE_THEME, overrides)

    def ignored(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n[0] == "." or (builder != "mkdocs" and _material_only(Path(folder) / n))]

    for layer in roots if custom else []:
        if (layer / custom).is_dir():
            shutil.copytree(layer / custom, overrides, dirs_exist_ok=True, ignore=ignored)

"""Load a handbook root: content files -> YAML nodes -> typed model, with every problem kept.

The room that reads the content into the model: check and render see the content only through it.
(Other rooms touch content files without parsing them into the model: site/output.py copies docs/'s files
that are not pages, site/config.py reads mkdocs.yml, tools/scaffold.py edits routine and contact files,
cli.py rewrites published-links.txt.) Two parts: file access (load.files: the handbook's file names,
reading under a root, the one "is this path inside the root" test, writing a file whole) and the loader
(load.loader: files -> Loaded). Their public names are importable from here.
"""

from __future__ import annotations

from handbook.load.files import (
    CONFIG_FILE,
    CONTENT_FILES,
    DOCS_DIR,
    GIT_DIR,
    RADAR_FILE,
    ROUTINES_DIR,
    YAML_SUFFIXES,
    content_paths,
    inside,
    write_atomic,
)

# The loader's names are imported when first asked for (PEP 562): importing load.files, which everything that
# writes a file needs, runs this file, and the loader and its YAML, phone and model code are not needed by a warm
# build (site/cache.py).
_LOADER_NAMES = (
    "BASE_ONLY",
    "HTML_SPECIAL",
    "RAW_CONFIG_TEXTS",
    "RESERVED_ROUTINE_IDS",
    "Loaded",
    "Skipped",
    "load_handbook",
)


def __getattr__(name: str):
    if name in _LOADER_NAMES:
        from handbook.load import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BASE_ONLY",
    "CONFIG_FILE",
    "CONTENT_FILES",
    "DOCS_DIR",
    "GIT_DIR",
    "HTML_SPECIAL",
    "RADAR_FILE",
    "RAW_CONFIG_TEXTS",
    "RESERVED_ROUTINE_IDS",
    "ROUTINES_DIR",
    "YAML_SUFFIXES",
    "Loaded",
    "Skipped",
    "content_paths",
    "inside",
    "load_handbook",
    "write_atomic",
]

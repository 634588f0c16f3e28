"""Reading the site config, two ways.

`read_site_settings`: what the publication gate (and the rule catalogue's address) needs from the root's
mkdocs.yml, with the line each value is written on. Read as YAML nodes (never constructed, so MkDocs' own
tags such as !ENV need no support), and never raising: a missing or unreadable file gives empty values,
which the gate reports as missing.

`read_config`: the whole config a build uses (`--config`, mkdocs.yml or mkdocs-offline.yml) as plain data
for `handbook render --out`, constructed as MkDocs would read it: `!ENV` resolved, `INHERIT` merged. It
raises ConfigError when the file cannot be read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from handbook.core.model import Pos
from handbook.load import CONFIG_FILE, inside

if TYPE_CHECKING:
    from handbook.check.release import SiteSettings


def _scalars(node) -> dict[str, tuple[str, Pos]]:
    found: dict[str, tuple[str, Pos]] = {}
    if not isinstance(node, yaml.MappingNode):
        return found
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
            found[key.value] = (value.value, Pos(CONFIG_FILE, value.start_mark.line + 1, value.start_mark.column + 1))
        elif isinstance(key, yaml.ScalarNode) and key.value == "extra":
            found.update({f"extra.{k}": v for k, v in _scalars(value).items()})
    return found


def read_site_settings(root: Path) -> SiteSettings:
    # Imported here: the release gate's module brings the call chain and phone numbers, which a warm build skips.
    from handbook.check.release import SiteSettings

    path = root / CONFIG_FILE
    try:
        # Like every content file: a link is followed only when it stays inside the root.
        text = path.read_bytes().decode("utf-8") if path.is_file() and inside(path, root) else ""
        node = yaml.compose(text, Loader=yaml.SafeLoader) if text else None
    except (OSError, RuntimeError, UnicodeDecodeError, yaml.YAMLError):
        node = None
    values = _scalars(node)
    empty = ("", Pos(CONFIG_FILE))
    site_url, site_pos = values.get("site_url", empty)
    edit_uri, edit_pos = values.get("edit_uri", empty)
    report, report_pos = values.get("extra.report_address", empty)
    return SiteSettings(site_url, edit_uri, report, site_pos, edit_pos, report_pos)


class ConfigError(Exception):
    """mkdocs.yml (or a file it inherits) cannot be read; the message is for the maintainer."""


class _ConfigLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: 5 ms -> 1 ms
    """YAML with MkDocs' !ENV tag: the value of the first environment variable set, else the last item."""


def _env(loader: _ConfigLoader, node: yaml.Node):
    items = (
        [loader.construct_scalar(n) for n in node.value]
        if isinstance(node, yaml.SequenceNode)
        else [loader.construct_scalar(node)]
    )
    for name in items[:-1] if len(items) > 1 else items:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return yaml.safe_load(items[-1]) if len(items) > 1 else None


_ConfigLoader.add_constructor("!ENV", _env)


def _merge(base: dict, override: dict) -> dict:
    """MkDocs' INHERIT: dictionaries merge key by key, any other value (lists too) replaces."""
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def read_config(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    """The site config as plain data, INHERIT merged and !ENV resolved, as MkDocs itself would read it."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_ConfigLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{path.name} kunde inte läsas: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} ska vara en YAML-mappning (nyckel: värde).")
    parent = data.pop("INHERIT", None)
    if parent:
        base = (path.parent / str(parent)).resolve()
        if base in seen:
            raise ConfigError(f"{path.name} ärver från sig själv via INHERIT.")
        data = _merge(read_config(base, (*seen, path.resolve())), data)
    return data

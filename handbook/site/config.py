"""What the publication gate needs from mkdocs.yml, with the line each value is written on.

Read as YAML nodes (never constructed, so MkDocs' own tags such as !ENV need no support), and
never raising: a missing or unreadable file gives empty values, which the gate reports as missing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from handbook.check.release import SiteSettings
from handbook.load import CONFIG_FILE
from handbook.core.model import Pos


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
    path = root / CONFIG_FILE
    try:
        # Like every content file: a link is followed only when it stays inside the root.
        inside = path.is_file() and root.resolve() in path.resolve().parents
        text = path.read_bytes().decode("utf-8") if inside else ""
        node = yaml.compose(text, Loader=yaml.SafeLoader) if text else None
    except (OSError, RuntimeError, UnicodeDecodeError, yaml.YAMLError):
        node = None
    values = _scalars(node)
    empty = ("", Pos(CONFIG_FILE))
    site_url, site_pos = values.get("site_url", empty)
    edit_uri, edit_pos = values.get("edit_uri", empty)
    report, report_pos = values.get("extra.report_address", empty)
    return SiteSettings(site_url, edit_uri, report, site_pos, edit_pos, report_pos)

"""JSON Schemas for the content files, generated from the model's annotations.

Editors (VS Code with the YAML extension) use them to complete field names, show the Swedish
field docs on hover and underline mistakes while typing. `handbook check` stays the judge: the
schemas say what the loader accepts structurally, never more than that, and never the rules
that need the whole handbook (references, reachability, dates in the future ...).

The schema is read by an editor that parses YAML 1.2 (the yaml-language-server), not by our
loader. In YAML 1.2 `1990:52`, `17:30`, `no` and `2026-11-27` are strings, but `112` is an
integer, `1.5` a number and `True` a boolean. Our loader reads every scalar as the text that
was written, so:

- free text (plain `str`, Markdown, phone numbers) accepts strings and numbers: a phone number
  `112`, a keyword `112` or a diary number `1234` written without quotes is fine for the loader;
- ids, dates, clock times, SFS numbers, durations, language codes, URLs and e-mail addresses
  are strings only (a bare number is never a valid one, except an id made of digits, which we
  flag in the editor on purpose);
- an empty value (`field:`) is "missing" for the loader; the schema allows only the real type,
  so the editor asks for a value (optional fields may simply be left out);
- booleans: the loader takes only `true` and `false`; the editor also calls `True` a boolean,
  a difference JSON Schema cannot express (the check reports it).

Only keywords that mean the same in draft-07 and 2020-12 are used (type, properties, required,
additionalProperties, items, enum, pattern, minimum, maximum, format, $ref into $defs), so
editors that still implement draft-07 read the schemas the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml

from handbook.core.fields import is_required, record_fields
from handbook.core.kinds import ITEM_KINDS, VALUE_KINDS
from handbook.core.model import EVENTS, ID_PATTERN, Deadline, Duration, Ref
from handbook.load.convert import DURATION
from handbook.load.files import write_atomic

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"


# A duration needs at least one part after the P: the loader also refuses "P" alone (a duration of nothing).
DURATION_PATTERN = "^P(?!$)" + DURATION.pattern.removeprefix("^").removeprefix("P").removesuffix("$") + "$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

# Extra editor suggestions that come from the model's own data rather than a field's metadata.
_EXTRA_EXAMPLES: dict[tuple[type, str], list[str]] = {(Deadline, "start"): list(EVENTS)}


@dataclasses.dataclass(frozen=True)
class FileKind:
    name: str  # schemas/<name>.schema.json
    cls: type
    title: str
    description: str
    files: tuple[str, ...]  # globs relative to the handbook root, for the editor settings


# One schema per kind of content file, from the registry of item kinds.
FILE_KINDS: tuple[FileKind, ...] = tuple(
    FileKind(k.schema, k.file_class, k.title, k.description, k.file_globs) for k in ITEM_KINDS
)


def schema_file(kind: FileKind) -> str:
    return f"{SCHEMA_DIR}/{kind.name}.schema.json"


class _Builder:
    """Builds one file's schema; nested records land in $defs under their class name."""

    def __init__(self) -> None:
        self.defs: dict[str, dict] = {}

    def record(self, cls: type) -> dict:
        properties: dict[str, dict] = {}
        required: list[str] = []
        for name, tp, f in record_fields(cls):
            prop = self.value(tp, f.metadata)
            prop = {"description": f.metadata["doc"], **prop}
            examples = _EXTRA_EXAMPLES.get((cls, name)) or (
                [f.metadata["example"]] if "example" in f.metadata else None
            )
            if examples:
                prop["examples"] = examples
            if is_required(f):
                required.append(name)
            elif f.default not in (dataclasses.MISSING, None, ""):  # "" and None mean: leave the field out
                prop["default"] = f.default
            elif f.default_factory is list:
                prop["default"] = []
            properties[name] = prop
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        schema["additionalProperties"] = False
        return schema

    def ref(self, cls: type) -> dict:
        if cls.__name__ not in self.defs:
            self.defs[cls.__name__] = {}  # placeholder first, so a record may contain itself
            self.defs[cls.__name__] = self.record(cls)
        return {"$ref": f"#/$defs/{cls.__name__}"}

    def value(self, tp: Any, meta: typing.Mapping) -> dict:
        origin = typing.get_origin(tp)
        if origin is types.UnionType or origin is typing.Union:  # X | None: the loader reads null as missing
            inner = next(a for a in typing.get_args(tp) if a is not type(None))
            return self.value(inner, meta)
        if origin is list:
            (item_tp,) = typing.get_args(tp)
            return {"type": "array", "items": self.value(item_tp, meta)}
        if tp is Ref:
            return {"type": "string", "pattern": ID_PATTERN}
        if tp is Duration:
            return {"type": "string", "pattern": DURATION_PATTERN}
        if dataclasses.is_dataclass(tp):
            return self.ref(tp)
        if origin is Literal:
            return {"type": "string", "enum": list(typing.get_args(tp))}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            schema: dict[str, Any] = {"type": "integer"}
            for key in ("minimum", "maximum"):
                if meta.get(key) is not None:
                    schema[key] = meta[key]
            if "minimum" not in schema:
                schema["minimum"] = 0  # the loader takes digits only
            return schema
        if tp is dt.date:
            return {"type": "string", "pattern": DATE_PATTERN, "format": "date"}
        kind = VALUE_KINDS.get(typing.get_args(tp)[1]) if origin is Annotated else None
        if kind is None and tp is str or kind is not None and kind.free_text:
            return {"type": ["string", "number"]}
        if kind is not None and kind.schema_pattern:
            return {"type": "string", "pattern": kind.schema_pattern}
        raise TypeError(f"no JSON Schema for the annotation {tp!r}")  # a new model type needs a rule here


def build_schema(kind: FileKind) -> dict:
    """The JSON Schema of one file kind, as plain data in a stable order."""
    builder = _Builder()
    body = builder.record(kind.cls)
    schema = {"$schema": DRAFT, "title": kind.title, "description": kind.description, **body}
    if builder.defs:
        schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def schema_text(kind: FileKind) -> str:
    """The committed form: indent 2, UTF-8 characters kept, one trailing newline."""
    return json.dumps(build_schema(kind), indent=2, ensure_ascii=False) + "\n"


def all_schema_texts() -> dict[str, str]:
    """{relative path: text} for every file kind."""
    return {schema_file(kind): schema_text(kind) for kind in FILE_KINDS}


def outdated(root: Path) -> list[str]:
    """Schema files under root that are missing or differ from the model."""
    return [
        rel
        for rel, text in all_schema_texts().items()
        if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text
    ]


def write_schemas(root: Path) -> list[str]:
    """Write every schema file that is missing or out of date; returns the ones written."""
    changed = outdated(root)
    texts = all_schema_texts()
    for rel in changed:
        path = root / rel
        write_atomic(path, texts[rel])
    return changed


# --- What an editor sees ------------------------------------------------------------------

# The YAML 1.2 core schema (the yaml-language-server's default) for plain, unquoted scalars.
_CORE_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_CORE_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_CORE_FLOAT = re.compile(
    r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
    r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)


def editor_value(text: str) -> Any:
    """A plain scalar as YAML 1.2 types it: None, bool, int, float or the text itself."""
    if _CORE_NULL.match(text):
        return None
    if _CORE_BOOL.match(text):
        return text.lower() == "true"
    if _CORE_INT.match(text):
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)
    if _CORE_FLOAT.match(text):
        low = text.lower()
        return float(low.replace(".", "")) if ("inf" in low or "nan" in low) else float(text)
    return text


def editor_data(node: yaml.Node) -> Any:
    """The plain data an editor validates against the schema: our node tree read the YAML 1.2 way.

    PyYAML would read YAML 1.1 (`1990:52` a number, `no` false), so we type our own nodes instead.
    Quoted and block scalars are always text.
    """
    if isinstance(node, yaml.MappingNode):
        return {k.value: editor_data(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [editor_data(item) for item in node.value]
    return editor_value(node.value) if not node.style else node.value  # libyaml says "" for plain, PyYAML None

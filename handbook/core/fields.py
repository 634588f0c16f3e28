"""The model's field annotations, read one way by the loader, the check, the JSON Schema and the editing guide."""

from __future__ import annotations

import dataclasses
import functools
import typing
from typing import Any


@functools.cache
def record_fields(cls: type) -> list[tuple[str, Any, dataclasses.Field]]:
    """The maintainer-facing fields of a record class: (name, annotation, field)."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return [(f.name, hints[f.name], f) for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


@functools.cache
def shape(tp: Any) -> tuple[Any, tuple]:
    """typing's origin and arguments of an annotation, computed once per annotation."""
    return typing.get_origin(tp), typing.get_args(tp)


def is_required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


@functools.cache
def marker(tp: Any) -> str | None:
    """The Kind marker of an annotation (model.Kind: markdown, url …), looking through `X | None` and `list[X]`."""
    for inner in (tp, *typing.get_args(tp)):
        if hasattr(inner, "__metadata__"):
            return inner.__metadata__[0]
    return None

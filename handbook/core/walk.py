"""The one walk over a handbook's records: every text and every reference, with its field and its place.

The check's families (references, safety, values, placeholders), render's backlinks and the scheduled
external link check all read the handbook through `values`, so a new kind of item (a row in core/kinds.py),
a new field or a new nested record is seen by every one of them without a change there.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple

from handbook.core.fields import marker, record_fields
from handbook.core.kinds import ITEM_KINDS, ItemKind
from handbook.core.model import Handbook, Pos, Ref


class Value(NamedTuple):
    record: object  # the record the field belongs to: an item, a part of one (a step, a phone), or the handbook
    field: str
    value: str | Ref
    pos: Pos  # where the value was written (a reference's own place; a text's field)
    kind: str | None  # the field's model.Kind marker (markdown, url …); None for plain text
    ref: str | None  # for a reference: what it points at (the field's ref= metadata: an item kind, or step)
    item: object  # the item the record belongs to (None for a file's own fields, such as call_now)


def items(handbook: Handbook) -> Iterator[tuple[ItemKind, object]]:
    """(kind, item) for every item of every kind in the registry."""
    for kind in ITEM_KINDS:
        for item in handbook.items(kind.name):
            yield kind, item


def values(handbook: Handbook) -> Iterator[Value]:
    """Every text and every reference below every item of every kind, in the order they are written; then
    the one-file kinds' own fields besides their list (contacts.yaml call_now), which the Handbook keeps
    under the same name."""
    for _, item in items(handbook):
        yield from record_values(item, item)
    for kind in ITEM_KINDS:
        if kind.file_record is None:
            continue
        for name, tp, f in record_fields(kind.file_record):
            if name != kind.list_key:
                yield from _field(
                    handbook, name, getattr(handbook, name), marker(tp), f.metadata.get("ref"), Pos(kind.file), None
                )


def record_values(record, item) -> Iterator[Value]:
    """Every text and every reference below one record."""
    for name, tp, f in record_fields(type(record)):
        yield from _field(
            record,
            name,
            getattr(record, name),
            marker(tp),
            f.metadata.get("ref"),
            record.where.get(name, record.pos),
            item,
        )


def _field(record, name: str, value, kind: str | None, ref: str | None, place: Pos, item) -> Iterator[Value]:
    for one in value if isinstance(value, list) else [value]:
        if isinstance(one, str):
            yield Value(record, name, one, place, kind, None, item)
        elif isinstance(one, Ref):
            yield Value(record, name, one, one.pos, None, ref, item)
        elif dataclasses.is_dataclass(one) and hasattr(one, "where"):
            yield from record_values(one, item)

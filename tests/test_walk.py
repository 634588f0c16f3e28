"""The one walk over a handbook (core/walk.py) that the check, render's backlinks and the external link check
share: it reaches every kind in the registry and knows what every reference points at."""

from __future__ import annotations

import dataclasses
import inspect
import typing

from handbook.core import model
from handbook.core.fields import record_fields
from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import Ref
from handbook.core.walk import values
from handbook.load import load_handbook
from helpers import base_root

ROLES = "roles:\n  - id: jour\n    name: Jouren\n    description: Svarar på natten.\n"


def test_every_reference_field_says_what_it_points_at():
    """A field holding ids (Ref) has ref= metadata naming an item kind (or a step of the same routine): the
    reference check judges every such field by it, so none can be left out by hand."""
    records = [
        c
        for _, c in inspect.getmembers(model, inspect.isclass)
        if dataclasses.is_dataclass(c) and "where" in c.__dataclass_fields__
    ]
    fields = [
        (cls.__name__, name, f.metadata.get("ref"))
        for cls in records
        for name, tp, f in record_fields(cls)
        if Ref in (tp, *typing.get_args(tp))
    ]
    assert len(fields) >= 10
    assert [f for f in fields if f[2] not in ITEM and f[2] != "step"] == []


def test_the_walk_reaches_every_kind_and_every_reference(tmp_path):
    hb = load_handbook(base_root(tmp_path, {"roles.yaml": ROLES})).handbook
    found = list(values(hb))
    assert {type(v.item) for v in found if v.item is not None} == {kind.record for kind in ITEM_KINDS}
    refs = {(type(v.record).__name__, v.field, v.ref, v.value.id) for v in found if isinstance(v.value, Ref)}
    assert {
        ("Routine", "owner", "contact", "enhet"),
        ("Step", "legal", "provision", "lag-1"),
        ("NextStep", "to", "step", "andra"),
        ("Contact", "outside_hours", "contact", "jour"),
        ("Handbook", "call_now", "contact", "enhet"),
    } <= refs
    description = next(v for v in found if v.field == "description")
    assert (description.value, description.pos.file, description.pos.line) == ("Svarar på natten.", "roles.yaml", 4)

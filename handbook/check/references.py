"""Ids are unique and every reference by id resolves; aliases never collide with live ids.

The references are the model's fields with `ref=` metadata (an item kind), found by the one walk over the
handbook (core/walk.py): a new reference field or a new kind is judged without a change here. References to a
step (`next: to:`) are judged with the routine's graph (check/routines.py), where `end` is allowed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import PurePosixPath

from handbook.check.context import Context
from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import Pos, Ref, Routine
from handbook.core.problems import Problem, problem
from handbook.core.walk import values


def did_you_mean(wrong: str, known: Iterable[str]) -> str:
    """' Menade du "x"?' for the closest known id, or "" when none is close."""
    close = difflib.get_close_matches(wrong, sorted(set(known)), n=1, cutoff=0.6)
    return f' Menade du "{close[0]}"?' if close else ""


def unknown_ref(ctx: Context, kind: str, ref: Ref) -> Problem | None:
    """A problem when ref does not resolve (and its target did not simply fail to load)."""
    if ctx.handbook.get(kind, ref.id) is not None or ctx.skipped.covers(kind, ref.id):
        return None
    hint = did_you_mean(ref.id, (item.id for item in ctx.handbook.items(kind)))
    return problem(
        f"ref-unknown-{kind}", ref.pos, f'{ITEM[kind].label} "{ref.id}" finns inte i {ITEM[kind].file}.{hint}'
    )


def unknown_step(ctx: Context, routine: Routine, anchor: str, pos: Pos) -> Problem | None:
    """A problem when #anchor is neither a step of routine nor an old id of one (nor a step that failed
    to load)."""
    anchors = {s.id for s in routine.steps} | {a for s in routine.steps for a in s.aliases}
    if anchor in anchors or anchor in ctx.skipped.steps.get(routine.id, ()):
        return None
    hint = did_you_mean(anchor, anchors)
    return problem("ref-unknown-step", pos, f'Steget "{anchor}" finns inte i rutinen {routine.id}.{hint}')


def _duplicates(items, what: str) -> Iterable[Problem]:
    first = {}
    for item in items:
        if item.id in first:
            yield problem(
                "id-duplicate", item.pos, f'{what} "{item.id}" finns redan ({first[item.id].pos}). Ge den ett eget id.'
            )
        else:
            first[item.id] = item


def check(ctx: Context) -> Iterable[Problem]:
    hb = ctx.handbook
    for kind in ITEM_KINDS:
        if kind.list_key:  # a routine's id is its file name: two files cannot share it
            yield from _duplicates(hb.items(kind.name), kind.label)
    live_routines = {r.id for r in hb.routines}
    seen_aliases: dict[str, str] = {}
    for routine in hb.routines:
        stem = PurePosixPath(routine.pos.file).stem
        if routine.id != stem:
            yield problem(
                "routine-id-filename",
                routine.where.get("id", routine.pos),
                f'Rutinens id är "{routine.id}" men filen heter {stem}.yaml. Id och filnamn måste vara samma.',
            )
        yield from _duplicates(routine.steps, f"Steget i rutinen {routine.id}")
        for alias in routine.aliases:
            if alias in live_routines:
                yield problem(
                    "alias-collision",
                    routine.where.get("aliases", routine.pos),
                    f'Det tidigare id:t "{alias}" används nu av en annan rutin.',
                )
            elif alias in seen_aliases:
                yield problem(
                    "alias-collision",
                    routine.where.get("aliases", routine.pos),
                    f'Det tidigare id:t "{alias}" står redan som alias för rutinen {seen_aliases[alias]}.',
                )
            seen_aliases[alias] = routine.id
        step_ids = {s.id for s in routine.steps}
        step_aliases: set[str] = set()
        for step in routine.steps:
            for alias in step.aliases:
                if alias in step_ids or alias in step_aliases:
                    yield problem(
                        "alias-collision",
                        step.where.get("aliases", step.pos),
                        f'Det tidigare steg-id:t "{alias}" används redan i rutinen {routine.id}.',
                    )
                step_aliases.add(alias)
    # Every reference field of every record (the call chain too), then references inside records that
    # failed to load (judged now, not on the next run), then the ids mkdocs.yml's engine settings name.
    refs = [(v.ref, v.value) for v in values(hb) if isinstance(v.value, Ref) and v.ref in ITEM]
    for kind, ref in [*refs, *ctx.skipped.refs, *ctx.loaded.setting_refs]:
        if found := unknown_ref(ctx, kind, ref):
            yield found

"""Routine structure: steps, their next-step graph, deadlines, the decision and the review date."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from handbook.check.context import Context
from handbook.core.kinds import PLACEHOLDERS
from handbook.core.model import EVENTS, ROUTINE_PAGE_ANCHORS, Routine, at
from handbook.core.problems import Problem, problem
from handbook.core.walk import items, values


def _graph(routine: Routine, broken: set[str]) -> Iterable[Problem]:
    """Next-step targets, reachability and cycles. Steps that failed to load (broken) are not judged again."""
    found = list(_targets(routine, broken))
    yield from found
    if not routine.steps or broken:
        return
    # A next: to an unknown step: reachability cannot be judged without false errors.
    if not any(p.code == "ref-unknown-step" for p in found):
        yield from _unreachable(routine)
    yield from _cycles(routine)


def _targets(routine: Routine, broken: set[str]) -> Iterable[Problem]:
    """Every step says what comes next, and every next: names a step of the routine (or end)."""
    ids = [s.id for s in routine.steps]
    known = set(ids)
    for step in routine.steps:
        if not step.next:
            yield problem(
                "step-no-next",
                step.pos,
                f'Steget "{step.id}" säger inte vad som händer sedan. Lägg till '
                "next: med to: <steg-id>, eller to: end om rutinen slutar här.",
            )
        for nxt in step.next:
            if nxt.to.id != "end" and nxt.to.id not in known and nxt.to.id not in broken:
                close = difflib.get_close_matches(nxt.to.id, ids, n=1, cutoff=0.6)
                hint = f' Menade du "{close[0]}"?' if close else ' Skriv "end" om rutinen slutar här.'
                yield problem(
                    "ref-unknown-step", nxt.to.pos, f'Nästa steg "{nxt.to.id}" finns inte i rutinen {routine.id}.{hint}'
                )


def _unreachable(routine: Routine) -> Iterable[Problem]:
    """Steps no path from the first step leads to."""
    by_id = {s.id: s for s in routine.steps}
    reached, todo = {routine.steps[0].id}, [routine.steps[0].id]
    while todo:
        for nxt in by_id[todo.pop()].next:
            if nxt.to.id in by_id and nxt.to.id not in reached:
                reached.add(nxt.to.id)
                todo.append(nxt.to.id)
    for step in routine.steps:
        if step.id not in reached:
            yield problem(
                "step-unreachable",
                step.pos,
                f'Inget steg leder till steget "{step.id}" från rutinens första steg "{routine.steps[0].id}".',
            )


def _cycles(routine: Routine) -> Iterable[Problem]:
    """A back edge in depth-first order, unless the step that loops back says repeat: true.

    Depth-first with an explicit stack (a routine of thousands of steps must not exhaust Python's recursion
    limit); the same order and the same reports as the recursive walk."""
    by_id = {s.id: s for s in routine.steps}
    state: dict[str, int] = {}
    reported: set[str] = set()
    for step in routine.steps:
        if step.id in state:
            continue
        state[step.id] = 1
        stack = [(step.id, iter(by_id[step.id].next))]
        while stack:
            sid, edges = stack[-1]
            nxt = next(edges, None)
            if nxt is None:
                state[sid] = 2
                stack.pop()
                continue
            target = nxt.to.id
            if target not in by_id:
                continue
            if state.get(target) == 1 and not by_id[sid].repeat and sid not in reported:
                reported.add(sid)
                yield problem(
                    "step-cycle",
                    nxt.to.pos,
                    f'Steget "{sid}" leder tillbaka till "{target}", så stegen '
                    "går i cirkel. Skriv repeat: true på steget om det är meningen.",
                )
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(by_id[target].next)))


def check(ctx: Context) -> Iterable[Problem]:
    for routine in ctx.handbook.routines:
        if not routine.steps:
            yield problem("routine-empty", at(routine, "steps"), f"Rutinen {routine.id} har inga steg.")
        yield from _graph(routine, ctx.skipped.steps.get(routine.id, set()))
        yield from _steps(routine)
        for ref in routine.related:
            if ref.id == routine.id:
                yield problem(
                    "routine-related-self",
                    ref.pos,
                    f"Rutinen {routine.id} står som relaterad till sig själv. Ta bort den ur related.",
                )
        yield from _decision(routine, ctx)
        yield from _dates(routine, ctx)
    yield from placeholders(ctx)
    yield from reserved_ids(ctx)


def _steps(routine: Routine) -> Iterable[Problem]:
    """Step ids and aliases that a heading of the page already uses; deadlines from unknown events."""
    for step in routine.steps:
        if step.id in ROUTINE_PAGE_ANCHORS:
            yield problem(
                "step-anchor-collision",
                at(step, "id"),
                f'Steg-id:t "{step.id}" är redan ankare för en rubrik på rutinsidan. Välj ett annat id.',
            )
        for alias in step.aliases:
            if alias in ROUTINE_PAGE_ANCHORS:
                yield problem(
                    "step-anchor-collision",
                    at(step, "aliases"),
                    f'Det tidigare id:t "{alias}" är '
                    "redan ankare för en rubrik på rutinsidan, så gamla länkar dit skulle hamna fel. "
                    "Ta bort det ur aliases.",
                )
        if step.deadline and step.deadline.start not in EVENTS:
            yield problem(
                "deadline-event-unknown",
                at(step.deadline, "start"),
                f'Händelsen "{step.deadline.start}" finns inte. Välj en av: {", ".join(EVENTS)}.',
            )


def _decision(routine: Routine, ctx: Context) -> Iterable[Problem]:
    """A draft says so; an approved routine names who decided, when, and its diary number."""
    status = routine.status
    if status.state == "draft":
        yield problem(
            "routine-draft",
            at(routine, "status"),
            f"Rutinen {routine.id} är ett utkast och är inte beslutad. Läsaren ser en banderoll om det.",
        )
    else:
        missing = [n for n in ("decided_by", "decided_on", "diary_number") if not getattr(status, n)]
        if missing:
            yield problem(
                "decision-incomplete",
                at(routine, "status"),
                f"Rutinen är beslutad men saknar {', '.join(missing)}.",
            )
    if status.decided_on and status.decided_on > ctx.today:
        yield problem(
            "date-future", at(status, "decided_on"), f"Beslutsdatumet {status.decided_on} ligger i framtiden."
        )


def _dates(routine: Routine, ctx: Context) -> Iterable[Problem]:
    """No date in the future; the next review not passed."""
    for change in routine.changelog:
        if change.date > ctx.today:
            yield problem("date-future", at(change, "date"), f"Ändringsdatumet {change.date} ligger i framtiden.")
    if routine.reviewed > ctx.today:
        yield problem(
            "date-future", at(routine, "reviewed"), f"Granskningsdatumet {routine.reviewed} ligger i framtiden."
        )
    elif (due := routine.next_review) < ctx.today:
        yield problem(
            "review-overdue",
            at(routine, "reviewed"),
            f"Rutinen granskades senast "
            f"{routine.reviewed} och skulle granskas igen senast {due}. Granska den och uppdatera "
            "reviewed.",
        )


def reserved_ids(ctx: Context) -> Iterable[Problem]:
    """An id whose page would be its kind's own list page (core.kinds.ItemKind.reserved_ids)."""
    for kind, record in items(ctx.handbook):
        if record.id in kind.reserved_ids:
            yield problem(
                "id-reserved",
                at(record, "id"),
                f'Id:t "{record.id}" är reserverat: sidan skulle ersätta handbokens egen listsida. Välj ett annat id.',
            )


def placeholders(ctx: Context) -> Iterable[Problem]:
    """A text the scaffold wrote for the maintainer to replace, left anywhere in any item (a draft too)."""
    for v in values(ctx.handbook):
        found = next((p for p in PLACEHOLDERS.values() if p in v.value), None) if isinstance(v.value, str) else None
        if found:
            yield problem(
                "placeholder-text",
                v.pos,
                f'{v.field}: "{found}" är mallens text och ska bytas ut mot den riktiga texten innan ändringen går in.',
            )

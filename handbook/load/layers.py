"""A local handbook on top of a base handbook: handbook.yml, merged contacts and roles, and local steps.

A root may name a base root in `handbook.yml` (`base: vendor/bas`). Routines, the legal
catalogue, the glossary, the contacts, the roles and the docs pages come from the base; the local root
adds routines, adds or replaces contacts and roles (a whole record, by id), replaces or adds docs pages
and inserts local steps after named steps of a base routine (`local-steps/<routine-id>.yaml`); the legal
catalogue and the glossary come from the base only. File I/O stays in the loader (load.loader); this
module only reads nodes and merges records, and never raises.
"""

from __future__ import annotations

import dataclasses
import difflib
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handbook.core.model import POS, WHERE, Contact, NextStep, Pos, Ref, Routine, Step, at, fld
from handbook.core.phones import parse_phone
from handbook.core.problems import Problem, problem
from handbook.load.convert import Converter
from handbook.load.files import LAYERS_FILE, LOCAL_STEPS_DIR
from handbook.load.yamlnodes import quote

AFTER = "after"


@dataclass(frozen=True)
class Layer:
    """One root that content is read from, and how its paths are written in problems."""

    root: Path
    # The root's path relative to the local root, with a trailing slash ("../base/"); "" for the local root.
    prefix: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """handbook.yml: the settings of a local handbook."""

    base: str = fld("Mappen med grundhandboken, relativt till den här mappen.", example="vendor/bas")
    pos: Pos = POS
    where: dict = WHERE


def read_settings(node: yaml.Node | None, file: str = LAYERS_FILE) -> tuple[Settings | None, list[Problem]]:
    """The settings in handbook.yml's nodes, or None and the problems that make them unusable."""
    if node is None:
        return None, []
    conv = Converter(file)
    made = conv.record(Settings, node, LAYERS_FILE)
    if made is None or conv.problems:
        return None, conv.problems
    written = made.base.strip().replace("\\", "/")
    pos = made.where.get("base", made.pos)
    if written.startswith("/") or (len(written) > 1 and written[1] == ":"):
        return None, [
            problem(
                "value-invalid",
                pos,
                f'base är "{quote(made.base)}". Skriv grundens mapp relativt '
                f"till mappen där {LAYERS_FILE} ligger, till exempel vendor/bas eller "
                "../bas.",
            )
        ]
    normal = posixpath.normpath(written)
    if normal == ".":
        return None, [
            problem(
                "value-invalid",
                pos,
                "base pekar på handbokens egen mapp. Skriv mappen där grundhandboken ligger, till exempel vendor/bas.",
            )
        ]
    return dataclasses.replace(made, base=normal), []


def merge_by_id(base: list, local: list) -> list:
    """Base records (contacts …) in their order, each replaced whole by a local record with its id; new
    local records after them. A second local record with the same id is kept, so the check reports it."""
    merged = list(base)
    index = {c.id: i for i, c in enumerate(base)}
    replaced: set[str] = set()
    for record in local:
        if record.id in index and record.id not in replaced:
            merged[index[record.id]] = record
            replaced.add(record.id)
        else:
            merged.append(record)
    return merged


def _numbers(contact: Contact) -> list[str]:
    """What the contact's numbers dial (the written text when it is not a number), for comparing layers."""
    return [info.tel if (info := parse_phone(ph.number)) else ph.number for ph in contact.phones]


def guard_replaced_numbers(base: list, local: list, base_file: str, local_file: str) -> tuple[list, list[Problem]]:
    """A local contact that replaces a base contact's verified number is a warning naming both files (a city
    may do it, never silently), and counts as unverified until the local record names a source of its own."""
    by_id = {c.id: c for c in base if isinstance(c, Contact)}
    out, problems = [], []
    for record in local:
        old = by_id.get(record.id)
        if old is None or not old.verification.verified or not record.phones or _numbers(old) == _numbers(record):
            out.append(record)
            continue
        v = record.verification
        own_source = v.verified and bool(v.source) and v.source != old.verification.source
        message = (
            f"Kontakten {record.id} i {local_file} ersätter numret {', '.join(p.number for p in old.phones)} "
            f"som är kontrollerat i {base_file} med {', '.join(p.number for p in record.phones)}."
        )
        if own_source:
            message += " Kontrollera att källan här anger det nya numret."
        else:
            message += (
                " Numret räknas som okontrollerat, och startsidan rekommenderar det inte, tills kontakten "
                f"i {local_file} har en egen källa (verification.source) som anger det."
            )
            note = f"Numret är ändrat här och inte kontrollerat mot en egen källa. {v.note}".strip()
            record = dataclasses.replace(
                record, hours_verified=False, verification=dataclasses.replace(v, verified=False, note=note)
            )
        problems.append(problem("contact-number-replaced", at(record, "phones"), message))
        out.append(record)
    return out, problems


@dataclass
class LocalStep:
    """A step from local-steps/, with the step it goes after (None when `after` was not usable)."""

    after: Ref | None
    step: Step


@dataclass
class LocalSteps:
    """What one local-steps file gave: its steps, the problems, the ids of steps that did not load."""

    steps: list[LocalStep] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)


def read_local_steps(node: yaml.Node | None, file: str) -> LocalSteps:
    """The steps of a local-steps file: a block with `steps:`, each a normal step plus `after: <step-id>`."""
    out = LocalSteps()
    conv = Converter(file)
    if node is None:
        return out
    if not isinstance(node, yaml.MappingNode):
        conv.report("field-type", node, 'Filen ska vara ett block med fältet "steps:" och en lista med steg.')
        out.problems = conv.problems
        return out
    items = None
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else ""
        if name == "steps":
            items = value
        else:
            conv.report("field-unknown", key, f'Okänt fält "{quote(name)}". Filen har bara fältet "steps:".')
    if items is None or not isinstance(items, yaml.SequenceNode):
        conv.report(
            "field-missing" if items is None else "field-type",
            items or node,
            'Filen ska ha fältet "steps:" med en lista av steg (rader som börjar med -).',
        )
        out.problems = conv.problems
        return out
    for item in items.value:
        after = None
        if isinstance(item, yaml.MappingNode):
            rest = []
            for key, value in item.value:
                if isinstance(key, yaml.ScalarNode) and key.value == AFTER:
                    after = value
                else:
                    rest.append((key, value))
            item_node = yaml.MappingNode(item.tag, rest, item.start_mark, item.end_mark, item.flow_style)
        else:
            item_node = item
        step = conv.record(Step, item_node, "Steget")
        if step is None:
            out.skipped |= conv.skipped_ids
            continue
        ref = _after(conv, after, item_node)
        out.steps.append(LocalStep(ref, step))
        if ref is None:
            out.skipped.add(step.id)
    out.problems = conv.problems
    return out


def _after(conv: Converter, node: yaml.Node | None, item: yaml.Node) -> Ref | None:
    if node is None:
        conv.report(
            "field-missing",
            item,
            f'Steget saknar fältet "{AFTER}": id för steget i rutinen som det här steget ska komma efter.',
        )
        return None
    value = conv.value(Ref, node, f'Fältet "{AFTER}"', {})
    return value if isinstance(value, Ref) else None


def insert_steps(routine: Routine, found: LocalSteps, skipped: set[str]) -> tuple[Routine, list[Problem]]:
    """The routine with each local step placed after the step its `after` names.

    The step before it now leads to the local step only; the local step leads where that step led
    (with its repeat) unless it says next: itself. Several steps after the same step follow each
    other in file order. `skipped` collects ids of steps that could not be placed.
    """
    problems: list[Problem] = []
    steps = list(routine.steps)
    # The last step of the chain inserted after each step, so that the next one goes after it.
    tail: dict[str, str] = {}
    for entry in found.steps:
        local, after = entry.step, entry.after
        if after is None:
            continue
        ids = [s.id for s in steps]
        taken = ids + [a for s in steps for a in s.aliases]
        if local.id in taken:
            problems.append(
                problem(
                    "id-duplicate",
                    local.where.get("id", local.pos),
                    f'Steget "{local.id}" finns redan i rutinen {routine.id}. Ge det lokala steget ett eget id.',
                )
            )
            skipped.add(local.id)
            continue
        if after.id not in ids:
            if after.id not in skipped:
                close = difflib.get_close_matches(after.id, ids, n=1, cutoff=0.6)
                hint = f' Menade du "{close[0]}"?' if close else f" Stegen i rutinen: {', '.join(ids)}."
                problems.append(
                    problem(
                        "ref-unknown-step", after.pos, f'Steget "{after.id}" finns inte i rutinen {routine.id}.{hint}'
                    )
                )
            skipped.add(local.id)
            continue
        before_id = tail.get(after.id, after.id)
        i = ids.index(before_id)
        before = steps[i]
        if "next" not in local.where:
            local = dataclasses.replace(local, next=before.next, repeat=local.repeat or before.repeat)
        edge = NextStep(to=Ref(local.id, after.pos), pos=after.pos, where={"to": after.pos})
        steps[i] = dataclasses.replace(before, next=[edge])
        steps.insert(i + 1, local)
        tail[after.id] = local.id
        tail[local.id] = local.id
    return dataclasses.replace(routine, steps=steps), problems


def unknown_routine(routine_id: str, known: list[str], file: str) -> Problem:
    """The problem for a local-steps file whose name is no routine's id."""
    close = difflib.get_close_matches(routine_id, known, n=1, cutoff=0.6)
    hint = f' Menade du "{close[0]}"?' if close else ""
    return problem(
        "ref-unknown-routine",
        Pos(file),
        f'Rutinen "{routine_id}" finns inte, så stegen i {file} '
        f"läggs inte till.{hint} Filen ska heta som rutinens id: {LOCAL_STEPS_DIR}/<rutinens id>.yaml.",
    )

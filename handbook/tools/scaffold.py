"""Skeletons for maintainers: a new routine file, a new step, a new contact.

`handbook new routine|step|contact` writes texts to replace ("Skriv ... här", core.kinds.PLACEHOLDERS)
that `handbook check` reports as placeholder-text until they are replaced, and never a fact (no hours,
no number). A step or a contact is added *textually* at the end of its list:
every byte already in the file stays as it was (comments, quoting, blank lines), and the result
is parsed again and compared before anything is written. Refusals raise ScaffoldError with a
Swedish message; nothing is written then.
"""

from __future__ import annotations

import collections
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.core.kinds import PLACEHOLDERS as P
from handbook.core.model import ID_PATTERN, ROUTINE_PAGE_ANCHORS, Handbook
from handbook.load import ROUTINES_DIR, load_handbook, write_atomic
from handbook.load.yamlnodes import read_nodes
from handbook.tools.schema import editor_value

CONTACTS_FILE = "contacts.yaml"
FIRST_STEP_ID = "forsta-steget"
# Used as owner when contacts.yaml has no contact to point to; the check then asks for a real one.
OWNER_PLACEHOLDER = "ange-ansvarig-enhet"


class ScaffoldError(Exception):
    """A refusal with a message for the maintainer (Swedish)."""


@dataclass(frozen=True)
class Scaffolded:
    path: Path
    message: str


def _valid_id(value: str, what: str) -> None:
    if not re.fullmatch(ID_PATTERN, value):
        raise ScaffoldError(
            f'"{value}" är inte ett giltigt id för {what}. Id skrivs med små bokstäver a–z, '
            "siffror och bindestreck, till exempel ring-polisen (inte å, ä, ö, mellanslag eller "
            "stora bokstäver)."
        )
    if not isinstance(editor_value(value), str):
        raise ScaffoldError(
            f'"{value}" läses inte som text i YAML (det blir ett tal eller ett tomt värde). '
            f"Välj ett annat id för {what}, med minst en bokstav."
        )


def _existing(value: str, known: list[str], what: str, where: str) -> None:
    if value in known:
        raise ScaffoldError(f'Id:t "{value}" finns redan {where}. Välj ett annat id för {what}.')


# --- Plain data and textual appending ----------------------------------------------------


def _text_data(node: yaml.Node):
    """The loader's view of a node: every scalar as the text that was written."""
    if isinstance(node, yaml.MappingNode):
        return [(_text_data(k), _text_data(v)) for k, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return [_text_data(item) for item in node.value]
    return node.value


def _parse(path: Path, rel: str) -> tuple[str, str, yaml.Node]:
    """(BOM, text, root node) of an existing content file, or a refusal naming its first problem."""
    data = path.read_bytes()
    node, problems = read_nodes(rel, data)
    if node is None:
        first = problems[0] if problems else None
        where = f" ({first.file}:{first.line}: {first.message})" if first else ""
        raise ScaffoldError(f"{rel} kan inte läsas{where}. Rätta filen först och försök igen.")
    text = data.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return bom, text.removeprefix("\ufeff"), node


def _list_node(root: yaml.Node, key: str, rel: str) -> yaml.SequenceNode:
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                if isinstance(v, yaml.SequenceNode) and not v.flow_style and v.value:
                    return v
                raise ScaffoldError(
                    f"{key}: i {rel} är inte en lista med rader som börjar med -. Lägg till "
                    "det nya för hand, eller skriv listan som rader som börjar med - först."
                )
    raise ScaffoldError(f"{rel} har inget fält {key}:. Rätta filen först och försök igen.")


def _content_end(node: yaml.Node) -> int:
    """Index just after the last character written for a node (block collections end at the next token)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return node.end_mark.index
    children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
    return max(_content_end(c) for c in children) if children else node.end_mark.index


def _line_start(text: str, index: int) -> int:
    return max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1


def _append_item(text: str, seq: yaml.SequenceNode, item: list[str]) -> str:
    """The text with `item` (lines of a mapping, unindented) added as the last entry of a block list.

    The new entry takes the indentation of the current last entry, and a blank line before it when
    the last entry has one; everything that was in the text stays byte for byte.
    """
    last = seq.value[-1]
    start = last.start_mark.index
    prefix = text[_line_start(text, start) : start]
    match = re.fullmatch(r"( *)-( +)", prefix)
    if match:
        dash, gap = len(match.group(1)), len(match.group(2))
    else:  # the entry does not start on its dash's line
        dash, gap = seq.start_mark.column, 1
    newline = "\r\n" if "\r\n" in text else "\n"
    end = _content_end(last)
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    line_end = re.compile(r"\r\n|\r|\n").search(text, end)
    insert_at = line_end.end() if line_end else len(text)
    lead = "" if line_end else newline
    before_last = text[: _line_start(text, start)]
    previous_line = before_last.splitlines()[-1] if before_last.splitlines() else "x"
    if previous_line.strip() == "" and before_last.strip():
        lead += newline
    indent = " " * (dash + 1 + gap)
    lines = [" " * dash + "-" + " " * gap + item[0]] + [(indent + line) if line else "" for line in item[1:]]
    return text[:insert_at] + lead + newline.join(lines) + newline + text[insert_at:]


def _append_checked(path: Path, rel: str, key: str, item: list[str]) -> None:
    """Append an entry to the list under `key` and write the file, after making sure nothing else changed."""
    bom, text, root = _parse(path, rel)
    seq = _list_node(root, key, rel)
    new_text = _append_item(text, seq, item)
    new_root, _ = read_nodes(rel, (bom + new_text).encode("utf-8"))
    expected = _text_data(root)
    for k, v in expected:
        if k == key:
            v.append(_text_data(yaml.compose("\n".join(item), Loader=yaml.SafeLoader)))
    if new_root is None or _text_data(new_root) != expected:
        raise ScaffoldError(
            f"Det gick inte att lägga till automatiskt i {rel} utan att ändra något annat i filen. "
            "Lägg till det för hand."
        )
    write_atomic(path, (bom + new_text).encode("utf-8"))


def _ids(seq: yaml.SequenceNode, fields: tuple[str, ...]) -> list[str]:
    """Ids (and aliases) written in a list of records, straight from the nodes."""
    found: list[str] = []
    for item in seq.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        for k, v in item.value:
            if isinstance(k, yaml.ScalarNode) and k.value in fields:
                if isinstance(v, yaml.ScalarNode):
                    found.append(v.value)
                elif isinstance(v, yaml.SequenceNode):
                    found += [i.value for i in v.value if isinstance(i, yaml.ScalarNode)]
    return found


# --- The three skeletons ------------------------------------------------------------------


def _step_lines(step_id: str) -> list[str]:
    return [
        f"id: {step_id}",
        f"title: {P['step_title']}",
        f"role: {P['step_role']}",
        "instructions: |",
        f"  {P['step_instructions']}",
        "next:",
        "  - to: end",
    ]


def _owner(handbook: Handbook) -> str:
    """The unit that owns most routines, else the first active contact, else a placeholder."""
    owners = collections.Counter(r.owner.id for r in handbook.routines if handbook.contact(r.owner.id))
    if owners:
        return owners.most_common(1)[0][0]
    active = [c.id for c in handbook.contacts if c.status == "active"] or [c.id for c in handbook.contacts]
    return active[0] if active else OWNER_PLACEHOLDER


def _routine_file(root: Path, routine_id: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        path = root / ROUTINES_DIR / f"{routine_id}{suffix}"
        if path.is_file():
            return path
    return None


def new_routine(root: Path, routine_id: str, *, today: dt.date) -> Scaffolded:
    """Write routines/<id>.yaml: a draft with one step that ends the routine."""
    _valid_id(routine_id, "rutinen")
    existing = _routine_file(root, routine_id)
    if existing:
        raise ScaffoldError(
            f"Rutinen {routine_id} finns redan: {existing.relative_to(root).as_posix()}. Välj ett annat id."
        )
    loaded = load_handbook(root)
    for routine in loaded.handbook.routines:
        if routine_id in routine.aliases:
            raise ScaffoldError(
                f'Id:t "{routine_id}" är ett tidigare id för rutinen {routine.id} (aliases), och '
                "gamla länkar leds dit. Välj ett annat id."
            )
    owner = _owner(loaded.handbook)
    lines = [
        f"id: {routine_id}",
        f"title: {P['routine_title']}",
        f"summary: {P['routine_summary']}",
        "applies_when:",
        f"  - {P['routine_applies_when']}",
        "process_step: 1",
        "roles:",
        f"  - {P['routine_roles']}",
        f"owner: {owner}",
        "status:",
        "  state: draft",
        f"reviewed: {today.isoformat()}",
        "review_interval_months: 12",
        "changelog:",
        f"  - date: {today.isoformat()}",
        "    change: Rutinen skapades som utkast.",
        "steps:",
        *(("    " if i else "  - ") + line for i, line in enumerate(_step_lines(FIRST_STEP_ID))),
    ]
    path = root / ROUTINES_DIR / f"{routine_id}.yaml"
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
    rel = path.relative_to(root).as_posix()
    owner_note = (
        f"owner är satt till {owner}; byt till enheten som ansvarar för rutinen."
        if owner != OWNER_PLACEHOLDER
        else f"owner är {OWNER_PLACEHOLDER}: skriv id:t för enheten som ansvarar (från contacts.yaml)."
    )
    return Scaffolded(
        path,
        (
            f"Skapade {rel} som utkast (state: draft), granskad {today.isoformat()}.\n"
            'Byt ut texterna som börjar med "Skriv", välj process_step (1–6) och lägg till steg med\n'
            f"handbook new step {routine_id} <steg-id>. {owner_note}\n"
            "Kör make check: [placeholder-text] är ett fel tills texterna är utbytta, och [routine-draft] är en\n"
            "varning tills rutinen är beslutad.\n"
        ),
    )


def new_step(root: Path, routine_id: str, step_id: str, *, today: dt.date | None = None) -> Scaffolded:
    """Append a step to the end of a routine's steps; nothing leads to it yet."""
    _valid_id(step_id, "steget")
    if step_id == "end":
        raise ScaffoldError('"end" betyder att rutinen slutar (to: end) och kan inte vara ett stegs id.')
    if step_id in ROUTINE_PAGE_ANCHORS:
        raise ScaffoldError(f'"{step_id}" är redan ankare för en rubrik på rutinsidan. Välj ett annat id för steget.')
    path = _routine_file(root, routine_id)
    if path is None:
        names = sorted(p.stem for p in (root / ROUTINES_DIR).glob("*.y*ml")) if (root / ROUTINES_DIR).is_dir() else []
        close = difflib.get_close_matches(routine_id, names, n=1)
        hint = f' Menade du "{close[0]}"?' if close else ""
        raise ScaffoldError(f"Rutinen {routine_id} finns inte i {ROUTINES_DIR}/.{hint}")
    rel = path.relative_to(root).as_posix()
    _, _, node = _parse(path, rel)
    steps = _list_node(node, "steps", rel)
    _existing(step_id, _ids(steps, ("id", "aliases")), "steget", f"i {rel} (som steg eller tidigare id)")
    _append_checked(path, rel, "steps", _step_lines(step_id))
    return Scaffolded(
        path,
        (
            f'Lade till steget "{step_id}" sist i {rel}.\n'
            f"Inget steg leder dit ännu: skriv - to: {step_id} under next: i steget före (och ändra dess to: end\n"
            "om rutinen ska fortsätta). Tills dess rapporterar make check [step-unreachable].\n"
            'Byt ut texterna som börjar med "Skriv": tills dess rapporterar make check [placeholder-text].\n'
        ),
    )


def new_contact(root: Path, contact_id: str, *, today: dt.date | None = None) -> Scaffolded:
    """Append a contact to the end of contacts.yaml, marked as not yet verified."""
    _valid_id(contact_id, "kontakten")
    path = root / CONTACTS_FILE
    if not path.is_file():
        raise ScaffoldError(f"{CONTACTS_FILE} finns inte i {root}.")
    _, _, node = _parse(path, CONTACTS_FILE)
    contacts = _list_node(node, "contacts", CONTACTS_FILE)
    _existing(contact_id, _ids(contacts, ("id",)), "kontakten", f"i {CONTACTS_FILE}")
    _append_checked(
        path,
        CONTACTS_FILE,
        "contacts",
        [
            f"id: {contact_id}",
            f"name: {P['contact_name']}",
            "kind: city-unit",
            f"purpose: {P['contact_purpose']}",
            # No hours: a scaffold never writes a fact. Hours no source states stay absent.
            "# hours: skriv öppettiderna som källan anger dem, eller always_open: true. Hitta aldrig på tider.",
            "verification:",
            "  verified: false",
            "  note: Uppgifterna är inte kontrollerade än.",
        ],
    )
    return Scaffolded(
        path,
        (
            f"Lade till kontakten {contact_id} sist i {CONTACTS_FILE}.\n"
            "Fyll i name, kind, purpose, phones och web. Öppettider skrivs inte av mallen: skriv dem (hours, eller\n"
            "always_open: true) bara som källan anger dem.\n"
            "Kontrollera uppgifterna mot en källa och skriv verified: true med on (datum) och source (https-adress).\n"
            "Tills dess varnar make check [contact-unverified], och [contact-unused] tills en rutin "
            "hänvisar till den.\n"
        ),
    )

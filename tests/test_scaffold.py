"""`handbook new routine|step|contact`: skeletons that pass the check, refusals, untouched bytes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from handbook.check import check_handbook
from handbook.cli import main
from handbook.load import load_handbook
from handbook.tools.scaffold import ScaffoldError, new_contact, new_routine, new_step
from helpers import REPO, TODAY, base_root

ROUTINE = "routines/rutin-a.yaml"
ID_RULE = (
    "Id skrivs med små bokstäver a–z, siffror och bindestreck, till exempel ring-polisen "
    "(inte å, ä, ö, mellanslag eller stora bokstäver)."
)


def codes(root: Path) -> list[tuple[str, str]]:
    """(code, file) of every problem the check reports, sorted."""
    return sorted((p.code, p.file) for p in check_handbook(load_handbook(root), TODAY))


def new(*args: str):
    result = CliRunner().invoke(main, ["new", *args])
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inserted(before: bytes, after: bytes) -> bytes:
    """The one run of bytes inserted into `before` to give `after` (fails if anything else changed)."""
    start = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), len(before))
    assert after[start + len(after) - len(before) :] == before[start:], "bytes after the insertion changed"
    return after[start : start + len(after) - len(before)]


# --- new routine ----------------------------------------------------------------------------


def test_new_routine_passes_check(tmp_path):
    """A new routine is a draft dated today: the draft warning and one placeholder-text error per text to replace
    (title, summary, applies_when, roles, and the step's title, role and instructions)."""
    root = base_root(tmp_path)
    code, out, err = new("routine", "ny-rutin", "--root", str(root), "--today", "2026-11-27")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Skapade routines/ny-rutin.yaml som utkast (state: draft), granskad 2026-11-27."
    assert codes(root) == [("placeholder-text", "routines/ny-rutin.yaml")] * 7 + [
        ("routine-draft", "routines/ny-rutin.yaml")
    ]
    routine = load_handbook(root).handbook.routine("ny-rutin")
    assert (routine.status.state, routine.reviewed, routine.owner.id) == ("draft", TODAY, "enhet")
    assert [(c.date, c.change) for c in routine.changelog] == [(TODAY, "Rutinen skapades som utkast.")]
    assert [(s.id, [n.to.id for n in s.next]) for s in routine.steps] == [("forsta-steget", ["end"])]


def test_new_routine_owner_is_the_usual_owner(tmp_path):
    """The owner is the unit that owns most routines, not just the first contact."""
    root = base_root(tmp_path)
    text = (root / ROUTINE).read_text(encoding="utf-8").replace("owner: enhet", "owner: jour")
    (root / ROUTINE).write_text(text, encoding="utf-8")
    new_routine(root, "ny-rutin", today=TODAY)
    assert "\nowner: jour\n" in (root / "routines/ny-rutin.yaml").read_text(encoding="utf-8")


def test_new_routine_without_contacts_uses_a_placeholder(tmp_path):
    """With no contact to point to, owner is a placeholder that the check reports as unknown."""
    root = base_root(tmp_path, {"contacts.yaml": "contacts: []\n"})
    (root / ROUTINE).unlink()
    result = new_routine(root, "ny-rutin", today=TODAY)
    assert "owner är ange-ansvarig-enhet" in result.message
    # No contacts at all also leaves the call chain empty.
    assert codes(root) == [
        ("call-chain-gap", "contacts.yaml"),
        *[("placeholder-text", "routines/ny-rutin.yaml")] * 7,
        ("ref-unknown-contact", "routines/ny-rutin.yaml"),
        ("routine-draft", "routines/ny-rutin.yaml"),
    ]


# --- new step -------------------------------------------------------------------------------


def test_new_step_is_appended_textually(tmp_path):
    """The step is added after the last step; every other byte stays; step-unreachable and its three texts to
    replace are new."""
    root = base_root(tmp_path)
    before = (root / ROUTINE).read_bytes()
    code, out, err = new("step", "rutin-a", "tredje", "--root", str(root))
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        'Lade till steget "tredje" sist i routines/rutin-a.yaml.',
        "Inget steg leder dit ännu: skriv - to: tredje under next: i steget före (och ändra dess to: end",
    ]
    after = (root / ROUTINE).read_bytes()
    assert (
        after
        == before
        + (
            "  - id: tredje\n"
            "    title: Skriv stegets rubrik här\n"
            "    role: Skriv vem som gör steget\n"
            "    instructions: |\n"
            "      Skriv vad du ska göra. Markdown, ingen HTML.\n"
            "    next:\n"
            "      - to: end\n"
        ).encode()
    )
    assert codes(root) == [("placeholder-text", ROUTINE)] * 3 + [("step-unreachable", ROUTINE)]
    assert [s.id for s in load_handbook(root).handbook.routine("rutin-a").steps] == ["forsta", "andra", "tredje"]


def test_new_step_before_later_fields_and_comments(tmp_path):
    """Steps followed by a comment and another field: the step goes right after the last step's text."""
    text = (
        "\ufeffid: rutin-a\r\n"
        "title: Rutin A\r\nsummary: En kort rutin.\r\napplies_when: [Ett barn kan vara utsatt.]\r\n"
        "process_step: 2\r\nroles: [Socialsekreterare]\r\nowner: enhet\r\n"
        "status: {state: draft}\r\nreviewed: 2026-10-01\r\n"
        "steps:\r\n\r\n"
        "- id: forsta\r\n  title: Första steget\r\n  role: Socialsekreterare\r\n"
        "  instructions: |\r\n    Gör det första.\r\n\r\n    # Inte en kommentar\r\n\r\n"
        "  contacts: [enhet, jour]  # båda\r\n  next: [{to: end}]  # slut\r\n"
        "\r\n# Historiken\r\nchangelog:\r\n- date: 2026-10-01\r\n  change: Skapad.\r\n"
    )
    root = base_root(tmp_path, {ROUTINE: text.encode("utf-8")})
    new_step(root, "rutin-a", "andra")
    after = (root / ROUTINE).read_bytes()
    cut = text.index("# slut\r\n") + len("# slut\r\n")
    assert after == (
        text[:cut]
        + (
            "\r\n- id: andra\r\n  title: Skriv stegets rubrik här\r\n  role: Skriv vem som gör steget\r\n"
            "  instructions: |\r\n    Skriv vad du ska göra. Markdown, ingen HTML.\r\n  next:\r\n    - to: end\r\n"
        )
        + text[cut:]
    ).encode("utf-8")
    routine = load_handbook(root).handbook.routine("rutin-a")
    assert routine.steps[0].instructions == "Gör det första.\n\n# Inte en kommentar\n"
    assert [s.id for s in routine.steps] == ["forsta", "andra"]
    # "# Inte en kommentar" is kept as text, and the site's Markdown would make it a heading: refused.
    assert codes(root) == [
        ("markdown-not-allowed", ROUTINE),
        *[("placeholder-text", ROUTINE)] * 3,
        ("routine-draft", ROUTINE),
        ("step-unreachable", ROUTINE),
    ]


def test_scaffold_on_real_content(tmp_path):
    """On a copy of the real content, each addition brings exactly its expected problems and nothing else."""
    root = tmp_path / "real"
    root.mkdir()
    for name in ("routines", "contacts.yaml", "legal.yaml", "glossary.yaml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)

    def problems() -> set[tuple[str, str, str]]:
        return {(p.code, p.file, p.message) for p in check_handbook(load_handbook(root), TODAY)}

    before_problems = problems()
    routines = sorted(p.stem for p in (root / "routines").glob("*.yaml"))
    for rid in routines:
        before = (root / f"routines/{rid}.yaml").read_bytes()
        new_step(root, rid, "nytt-steg-fran-test")
        assert b"- id: nytt-steg-fran-test" in inserted(before, (root / f"routines/{rid}.yaml").read_bytes())
    before = (root / "contacts.yaml").read_bytes()
    new_contact(root, "ny-kontakt-fran-test")
    assert b"- id: ny-kontakt-fran-test" in inserted(before, (root / "contacts.yaml").read_bytes())
    new_routine(root, "ny-rutin-fran-test", today=TODAY)
    after_problems = problems()
    assert sorted((code, file) for code, file, _ in after_problems - before_problems) == sorted(
        [
            *(("step-unreachable", f"routines/{rid}.yaml") for rid in routines),
            *(("placeholder-text", f"routines/{rid}.yaml") for rid in routines for _ in range(3)),
            ("contact-unused", "contacts.yaml"),
            ("contact-unverified", "contacts.yaml"),
            *[("placeholder-text", "contacts.yaml")] * 2,
            *[("placeholder-text", "routines/ny-rutin-fran-test.yaml")] * 7,
            ("routine-draft", "routines/ny-rutin-fran-test.yaml"),
        ]
    )
    assert before_problems - after_problems == set()


# --- new contact ----------------------------------------------------------------------------


def test_new_contact_is_appended_textually(tmp_path):
    """The contact is added at the end of contacts.yaml, unverified, unused, with two texts to replace and no
    opening hours (a scaffold never writes a fact: only a comment says where they go)."""
    root = base_root(tmp_path)
    before = (root / "contacts.yaml").read_bytes()
    code, out, err = new("contact", "ny-kontakt", "--root", str(root))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Lade till kontakten ny-kontakt sist i contacts.yaml."
    after = (root / "contacts.yaml").read_bytes()
    assert (
        after
        == before
        + (
            "  - id: ny-kontakt\n"
            "    name: Skriv namnet här\n"
            "    kind: city-unit\n"
            "    purpose: Skriv vad du kontaktar dem för.\n"
            "    # hours: skriv öppettiderna som källan anger dem, eller always_open: true. Hitta aldrig på tider.\n"
            "    verification:\n"
            "      verified: false\n"
            "      note: Uppgifterna är inte kontrollerade än.\n"
        ).encode()
    )
    assert codes(root) == [
        ("contact-unused", "contacts.yaml"),
        ("contact-unverified", "contacts.yaml"),
        *[("placeholder-text", "contacts.yaml")] * 2,
    ]


def test_new_contact_keeps_blank_lines_between_entries(tmp_path):
    """When entries are separated by blank lines, so is the new one; a missing final newline is added."""
    text = (REPO / "tests/cases/_base/contacts.yaml").read_text(encoding="utf-8")
    text = text.replace("\n  - id: jour", "\n\n  - id: jour").rstrip("\n")
    root = base_root(tmp_path, {"contacts.yaml": text})
    new_contact(root, "ny-kontakt")
    after = (root / "contacts.yaml").read_text(encoding="utf-8")
    assert after.startswith(text + "\n\n  - id: ny-kontakt\n    name: Skriv namnet här\n")
    assert codes(root) == [
        ("contact-unused", "contacts.yaml"),
        ("contact-unverified", "contacts.yaml"),
        *[("placeholder-text", "contacts.yaml")] * 2,
    ]


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["routine", "rutin-a"], "Rutinen rutin-a finns redan: routines/rutin-a.yaml. Välj ett annat id."),
        (["routine", "Rutin-B"], f'"Rutin-B" är inte ett giltigt id för rutinen. {ID_RULE}'),
        (
            ["routine", "112"],
            '"112" läses inte som text i YAML (det blir ett tal eller ett tomt värde). Välj ett annat '
            "id för rutinen, med minst en bokstav.",
        ),
        (
            ["routine", "gammal-rutin"],
            'Id:t "gammal-rutin" är ett tidigare id för rutinen rutin-a (aliases), och gamla '
            "länkar leds dit. Välj ett annat id.",
        ),
        (
            ["step", "rutin-a", "andra"],
            'Id:t "andra" finns redan i routines/rutin-a.yaml (som steg eller tidigare id). '
            "Välj ett annat id för steget.",
        ),
        (
            ["step", "rutin-a", "gammalt-steg"],
            'Id:t "gammalt-steg" finns redan i routines/rutin-a.yaml (som steg eller '
            "tidigare id). Välj ett annat id för steget.",
        ),
        (["step", "rutin-a", "åtgärd"], f'"åtgärd" är inte ett giltigt id för steget. {ID_RULE}'),
        (["step", "rutin-a", "end"], '"end" betyder att rutinen slutar (to: end) och kan inte vara ett stegs id.'),
        (
            ["step", "rutin-a", "steg"],
            '"steg" är redan ankare för en rubrik på rutinsidan. Välj ett annat id för steget.',
        ),
        (["step", "rutin-b", "tredje"], 'Rutinen rutin-b finns inte i routines/. Menade du "rutin-a"?'),
        (["contact", "jour"], 'Id:t "jour" finns redan i contacts.yaml. Välj ett annat id för kontakten.'),
        (["contact", "ny kontakt"], f'"ny kontakt" är inte ett giltigt id för kontakten. {ID_RULE}'),
        (
            ["contact", "null"],
            '"null" läses inte som text i YAML (det blir ett tal eller ett tomt värde). '
            "Välj ett annat id för kontakten, med minst en bokstav.",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_refusals_write_nothing(tmp_path, args, message):
    """An existing or malformed id is refused with exit 2, a Swedish message and no file changed."""
    root = base_root(tmp_path)
    text = (root / ROUTINE).read_text(encoding="utf-8")
    text = text.replace("reviewed: 2026-10-01\n", "reviewed: 2026-10-01\naliases: [gammal-rutin]\n")
    text = text.replace("    next: [{to: andra}]\n", "    next: [{to: andra}]\n    aliases: [gammalt-steg]\n")
    (root / ROUTINE).write_text(text, encoding="utf-8")
    before = snapshot(root)
    assert new(*args, "--root", str(root)) == (2, "", f"handbook: {message}\n")
    assert snapshot(root) == before


def test_refuses_a_file_that_does_not_parse(tmp_path):
    """A routine with a YAML error is not touched; the message names the problem."""
    root = base_root(tmp_path, {ROUTINE: "id: rutin-a\nsteps:\n  - id: x\n   title: fel indrag\n"})
    before = snapshot(root)
    with pytest.raises(ScaffoldError) as error:
        new_step(root, "rutin-a", "tredje")
    assert str(error.value).startswith("routines/rutin-a.yaml kan inte läsas (routines/rutin-a.yaml:4: ")
    assert snapshot(root) == before


def test_refuses_a_flow_style_list(tmp_path):
    """Steps written as [ ... ] cannot be appended to textually; the maintainer is told so."""
    root = base_root(tmp_path, {"contacts.yaml": "contacts: [{id: jour, name: J}]\n"})
    with pytest.raises(ScaffoldError) as error:
        new_contact(root, "ny")
    assert str(error.value) == (
        "contacts: i contacts.yaml är inte en lista med rader som börjar med -. Lägg till "
        "det nya för hand, eller skriv listan som rader som börjar med - först."
    )


def test_today_defaults_to_the_real_date(tmp_path):
    """Without --today the new routine is dated today."""
    root = base_root(tmp_path)
    assert new("routine", "ny-rutin", "--root", str(root))[0] == 0
    assert f"\nreviewed: {dt.date.today().isoformat()}\n" in (root / "routines/ny-rutin.yaml").read_text("utf-8")


def test_new_contact_writes_no_hours(tmp_path):
    """Issue 18 item 13: the new contact has no hours, no always_open and no number: nothing a source did not state."""
    root = base_root(tmp_path)
    new_contact(root, "ny-kontakt")
    contact = load_handbook(root).handbook.contact("ny-kontakt")
    assert (contact.hours, contact.always_open, contact.phones, contact.hours_verified) == ([], False, [], False)

"""A local handbook on a base handbook (handbook.yml `base:`): tests/layers/local on tests/layers/base.

The local root is a fictitious "Exempelby kommun": its own mkdocs.yml and start page, a contact that
replaces the base's socialjouren, a contact of its own and a step of its own in the base routine
akut-skydd. Every problem is placed where the value was written, base files relative to the local root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.check import check_handbook
from handbook.check.report import format_text
from handbook.load import load_handbook
from handbook.load.layers import Layer
from helpers import REPO, TESTS, TODAY

LAYERS = TESTS / "layers"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def handbook(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "handbook", *args], cwd=cwd, env=ENV, capture_output=True, text=True)


def copy(tmp_path: Path) -> Path:
    """A copy of the base and the local root side by side; returns the local root."""
    shutil.copytree(LAYERS / "base", tmp_path / "base")
    shutil.copytree(LAYERS / "local", tmp_path / "local")
    return tmp_path / "local"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def place(path: Path, needle: str, offset: int = 0) -> tuple[int, int]:
    """Line and column (1-based) where needle starts in a file, moved offset characters on."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + offset + 1
    raise AssertionError(needle)


def check(root: Path) -> str:
    return format_text(check_handbook(load_handbook(root), TODAY))


def errors(root: Path, start: str = "") -> list[str]:
    """The error lines of the report, only those of files whose path starts with start."""
    return [line for line in check(root).splitlines() if ": error: " in line and line.startswith(start)]


def test_local_handbook_checks_clean():
    """`handbook check --root tests/layers/local` exits 0; base files are named from the local root."""
    result = handbook("check", "--root", str(LAYERS / "local"), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error: " not in result.stdout
    assert "../base/routines/utredning.yaml:" in result.stdout
    assert "Traceback" not in result.stderr


def test_merged_model():
    """Routines, law and glossary from the base; contacts replaced and added; the local step in place."""
    loaded = load_handbook(LAYERS / "local")
    hb = loaded.handbook
    assert [r.id for r in hb.routines] == ["akut-skydd", "utredning"]
    assert hb.routine("akut-skydd").pos.file == "../base/routines/akut-skydd.yaml"
    assert [p.id for p in hb.provisions] and hb.provisions[0].pos.file == "../base/legal.yaml"
    assert hb.terms[0].pos.file == "../base/glossary.yaml"
    # socialjouren is replaced whole, in the base's place; the local contact comes after the base's.
    assert [c.id for c in hb.contacts] == ["polisen", "socialjouren", "barnjouren-exempelby"]
    social = hb.contact("socialjouren")
    assert social.name == "Socialjouren Exempelby" and social.pos.file == "contacts.yaml"
    assert social.phones == [] and social.email is None  # nothing of the base's record is kept
    assert hb.contact("polisen").pos.file == "../base/contacts.yaml"
    assert [r.id for r in hb.call_now] == ["socialjouren", "polisen"]  # the local file gives none: the base's
    steps = hb.routine("akut-skydd").steps
    assert [s.id for s in steps] == ["bedom-fara", "ring-barnjouren-exempelby", "ring-polisen"]
    local = steps[1]
    file = LAYERS / "local" / "local-steps" / "akut-skydd.yaml"
    assert local.pos.file == "local-steps/akut-skydd.yaml"
    assert (local.where["id"].line, local.where["id"].column) == place(file, "ring-barnjouren-exempelby")
    # bedom-fara now leads to the local step, which leads where bedom-fara led (with its conditions).
    assert [n.to.id for n in steps[0].next] == ["ring-barnjouren-exempelby"]
    assert steps[0].next[0].to.pos.file == "local-steps/akut-skydd.yaml"
    assert [(n.to.id, n.condition) for n in local.next] == [
        ("ring-polisen", "Om barnet är i akut fara"),
        ("end", "Om barnet inte är i fara"),
    ]
    # Docs pages: the local start page replaces the base's; the base's other pages are kept.
    assert loaded.pages["docs/index.md"].startswith("# Exempelby kommun")
    assert "docs/om.md" in loaded.pages
    assert loaded.page_files == {"docs/om.md": "../base/docs/om.md"}
    assert loaded.base_published is not None and loaded.base_published[0] == "../base/published-links.txt"
    assert [layer.prefix for layer in loaded.layers] == ["../base/", ""]


def test_without_handbook_yml_nothing_changes():
    """No handbook.yml: one layer, no base pages, no base links, the same report as always."""
    root = TESTS / "fixture-handbook"
    loaded = load_handbook(root)
    assert loaded.layers == (Layer(root, ""),)
    assert loaded.page_files == {} and loaded.base_published is None
    assert all("../" not in line for line in check(root).splitlines())


def test_local_site_builds_and_links_hold(tmp_path):
    """handbook build of the local root (base beside it) builds strictly and passes the link check."""
    root = copy(tmp_path)
    site = tmp_path / "site"
    result = handbook("build", "--site-dir", str(site), "--out", str(tmp_path / "rendered"), cwd=root)
    assert result.returncode == 0, result.stderr
    links = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "linkcheck.py"), str(site)], capture_output=True, text=True
    )
    assert links.returncode == 0, links.stdout + links.stderr
    routine = (site / "rutiner/akut-skydd/index.html").read_text(encoding="utf-8")
    assert 'id="ring-barnjouren-exempelby"' in routine and "Ring barnjouren i Exempelby" in routine
    assert (
        routine.index('id="bedom-fara"')
        < routine.index('id="ring-barnjouren-exempelby"')
        < routine.index('id="ring-polisen"')
    )
    contacts = (site / "kontakter/index.html").read_text(encoding="utf-8")
    assert "Socialjouren Exempelby" in contacts and "Socialjouren Stockholm" not in contacts
    assert 'id="barnjouren-exempelby"' in contacts
    assert "Exempelby kommun – handbok" in (site / "index.html").read_text(encoding="utf-8")
    # Pages and files that are not pages come from both roots; the local one wins.
    assert (site / "om/index.html").is_file()
    assert "exempelby" in (site / "img/logo.svg").read_text() and (site / "img/grund.svg").is_file()


def test_base_problem_is_placed_in_the_base_file(tmp_path):
    """A broken value in a base routine is reported at the base file, relative to the local root."""
    root = copy(tmp_path)
    routine = tmp_path / "base/routines/akut-skydd.yaml"
    edit(routine, "    contacts: [polisen]\n", "    contacts: [polisen, polisn]\n")
    line, column = place(routine, "contacts: [polisen, polisn]", len("contacts: [polisen, "))
    result = handbook("check", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    expected = f"../base/routines/akut-skydd.yaml:{line}:{column}: error: [ref-unknown-contact]"
    assert expected in result.stdout, result.stdout
    assert 'Menade du "polisen"?' in result.stdout
    report = json.loads(handbook("check", "--root", str(root), "--format", "json").stdout)
    assert any(p["file"] == "../base/routines/akut-skydd.yaml" and p["line"] == line for p in report["problems"])


def test_base_page_problem_is_placed_in_the_base_file(tmp_path):
    """A broken internal link on a base docs page is reported at the base page's file."""
    root = copy(tmp_path)
    page = tmp_path / "base/docs/om.md"
    edit(page, "används som den är.", "används som den är. Se [rutinen](rutin:saknas).")
    found = errors(root)
    assert len(found) == 1 and found[0].startswith("../base/docs/om.md:3:"), found


def test_base_published_link_that_disappears(tmp_path):
    """A link the base published must stay reachable in the local handbook: reported at the base's line."""
    root = copy(tmp_path)
    routine = tmp_path / "base/routines/akut-skydd.yaml"
    text = routine.read_text(encoding="utf-8").replace("ring-polisen", "ring-polis")
    routine.write_text(text, encoding="utf-8")
    line, _ = place(tmp_path / "base/published-links.txt", "/rutiner/akut-skydd/#ring-polisen")
    assert errors(root) == [
        f"../base/published-links.txt:{line}:1: error: [published-link-removed] Länken "
        '"/rutiner/akut-skydd/#ring-polisen" har publicerats av grundhandboken men finns inte i '
        "den här handboken. Grunden har troligen tagit bort ett id utan att lägga det under "
        "aliases. Be grundens förvaltare att lägga tillbaka id:t som alias, eller lås grunden "
        "vid den tidigare versionen."
    ]
    # An alias keeps it working.
    routine.write_text(
        text.replace("id: ring-polis\n", "id: ring-polis\n    aliases: [ring-polisen]\n"), encoding="utf-8"
    )
    assert errors(root) == []


def test_missing_base_is_one_placed_problem(tmp_path):
    """A base folder that is not there: one problem at handbook.yml's base line, exit 1, no traceback."""
    root = copy(tmp_path)
    shutil.rmtree(tmp_path / "base")
    result = handbook("check", "--root", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line, column = place(root / "handbook.yml", "../base")
    assert [line for line in result.stdout.splitlines() if ": error: " in line] == [
        f"handbook.yml:{line}:{column}: error: [file-missing] Grundhandboken saknas: mappen ../base finns inte. "
        "Kontrollera base i handbook.yml, och hämta grunden (till exempel med git submodule update --init)."
    ]
    build = handbook("build", "--site-dir", str(tmp_path / "site"), "--out", str(tmp_path / "rendered"), cwd=root)
    assert build.returncode == 1 and "Traceback" not in build.stderr and "handbook.yml:" in build.stderr


@pytest.mark.parametrize(
    "text, code, where",
    [
        ("bas: ../base\n", "field-unknown", "handbook.yml:1:1"),
        ("base: [../base]\n", "field-type", "handbook.yml:1:7"),
        ("base: /srv/stockholm\n", "value-invalid", "handbook.yml:1:7"),
        ("base: .\n", "value-invalid", "handbook.yml:1:7"),
        ("base: ../local\n", "value-invalid", "handbook.yml:1:7"),
        ("base: contacts.yaml\n", "file-missing", "handbook.yml:1:7"),
        ("base: ../base\n  nyckel: [\n", "yaml-syntax", "handbook.yml:"),
        ("", "file-empty", "handbook.yml:1:1"),
    ],
)
def test_bad_handbook_yml_is_placed(tmp_path, text, code, where):
    """A handbook.yml that cannot be used is a placed problem in Swedish, never a traceback."""
    root = copy(tmp_path)
    (root / "handbook.yml").write_text(text, encoding="utf-8")
    result = handbook("check", "--root", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert found and all(line.startswith(where) for line in found), found
    assert any(f"[{code}]" in line for line in found), found


def test_base_with_a_base_of_its_own(tmp_path):
    root = copy(tmp_path)
    (tmp_path / "base/handbook.yml").write_text("base: ../annan\n", encoding="utf-8")
    assert errors(root) == [
        "handbook.yml:2:7: error: [value-invalid] Grundhandboken i ../base har en egen "
        "handbook.yml. En grund kan inte ha en egen grund: låt base peka på den handbok som har "
        "allt innehåll."
    ]


def test_local_routines(tmp_path):
    """A local routine is added; one with a base routine's id is a duplicate, placed at the local file."""
    root = copy(tmp_path)
    (root / "routines").mkdir()
    own = (tmp_path / "base/routines/utredning.yaml").read_text(encoding="utf-8")
    (root / "routines/egen-rutin.yaml").write_text(own.replace("id: utredning", "id: egen-rutin"), encoding="utf-8")
    loaded = load_handbook(root)
    assert loaded.handbook.routine("egen-rutin").pos.file == "routines/egen-rutin.yaml"
    shutil.copy(tmp_path / "base/routines/utredning.yaml", root / "routines/utredning.yaml")
    found = [line for line in errors(root) if "[id-duplicate]" in line]
    assert found == [
        'routines/utredning.yaml:1:5: error: [id-duplicate] Rutinen "utredning" finns redan i '
        "grundhandboken (../base/routines/utredning.yaml). Ge den lokala rutinen ett eget id, eller "
        "lägg till lokala steg i local-steps/utredning.yaml."
    ]


def test_law_and_glossary_come_from_the_base(tmp_path):
    root = copy(tmp_path)
    shutil.copy(tmp_path / "base/legal.yaml", root / "legal.yaml")
    assert errors(root) == [
        "legal.yaml:1:1: error: [file-name] legal.yaml läses inte här, eftersom den kommer från "
        "grundhandboken. Ändra i grundens legal.yaml, eller ta bort filen här."
    ]


def test_local_call_now_replaces_the_base(tmp_path):
    root = copy(tmp_path)
    edit(root / "contacts.yaml", "contacts:\n", "call_now: [polisen]\ncontacts:\n")
    assert [r.id for r in load_handbook(root).handbook.call_now] == ["polisen"]
    assert [r.pos.file for r in load_handbook(root).handbook.call_now] == ["contacts.yaml"]


def test_local_step_at_an_unknown_place(tmp_path):
    """after: names no step, or the file names no routine: placed, with a suggestion."""
    root = copy(tmp_path)
    steps = root / "local-steps/akut-skydd.yaml"
    edit(steps, "after: bedom-fara", "after: bedom-far")
    line, column = place(steps, "after: bedom-far", len("after: "))
    # (The start page's link to the step that could not be placed is reported too: not asserted here.)
    assert errors(root, "local-steps/") == [
        f"local-steps/akut-skydd.yaml:{line}:{column}: error: [ref-unknown-step] "
        'Steget "bedom-far" finns inte i rutinen akut-skydd. Menade du '
        '"bedom-fara"?'
    ]
    edit(steps, "after: bedom-far", "after: bedom-fara")
    steps.rename(root / "local-steps/akut-skyd.yaml")
    found = errors(root, "local-")
    assert found[0] == (
        'local-steps/akut-skyd.yaml:1:1: error: [ref-unknown-routine] Rutinen "akut-skyd" finns '
        'inte, så stegen i local-steps/akut-skyd.yaml läggs inte till. Menade du "akut-skydd"? '
        "Filen ska heta som rutinens id: local-steps/<rutinens id>.yaml."
    )
    assert len(found) == 1, found


def test_local_step_problems(tmp_path):
    """A local step with a base step's id, without after, or with a bad field: placed in the local file."""
    root = copy(tmp_path)
    steps = root / "local-steps/akut-skydd.yaml"
    edit(steps, "id: ring-barnjouren-exempelby", "id: ring-polisen")
    line, column = place(steps, "ring-polisen")
    found = errors(root, "local-steps/")
    assert found[0].startswith(
        f"local-steps/akut-skydd.yaml:{line}:{column}: error: [id-duplicate] Steget "
        '"ring-polisen" finns redan i rutinen akut-skydd.'
    ), found
    edit(steps, "id: ring-polisen", "id: ring-barnjouren-exempelby")
    edit(steps, "  - after: bedom-fara\n    id:", "  - id:")
    assert any(
        '[field-missing] Steget saknar fältet "after"' in line and line.startswith("local-steps/")
        for line in errors(root)
    )
    steps.write_text("steg: []\n", encoding="utf-8")
    assert sorted(line.split(" error: ")[1][:15] for line in errors(root, "local-steps/")) == [
        "[field-missing]",
        "[field-unknown]",
    ]


def test_two_local_steps_after_one_step(tmp_path):
    """Several steps after the same step follow each other in file order."""
    root = copy(tmp_path)
    steps = root / "local-steps/akut-skydd.yaml"
    steps.write_text(
        steps.read_text(encoding="utf-8")
        + (
            "  - after: bedom-fara\n    id: skriv-ner\n    title: Skriv ner vad som hänt\n    role: Socialsekreterare\n"
            "    instructions: Skriv ner vad barnet berättar.\n"
        ),
        encoding="utf-8",
    )
    routine = load_handbook(root).handbook.routine("akut-skydd")
    assert [s.id for s in routine.steps] == ["bedom-fara", "ring-barnjouren-exempelby", "skriv-ner", "ring-polisen"]
    assert [n.to.id for n in routine.steps[1].next] == ["skriv-ner"]
    assert [n.to.id for n in routine.steps[2].next] == ["ring-polisen", "end"]
    assert errors(root) == []


def test_links_into_the_base_are_trusted_but_not_out_of_both(tmp_path):
    """The base is trusted by the local config: a link into it is read. A link out of both is refused."""
    root = copy(tmp_path)
    (root / "docs/om.md").symlink_to(tmp_path / "base/docs/om.md")
    assert errors(root) == []
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "legal.yaml").write_text((tmp_path / "base/legal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "base/legal.yaml").unlink()
    (tmp_path / "base/legal.yaml").symlink_to(outside / "legal.yaml")
    (root / "docs/extra.md").symlink_to(outside / "legal.yaml")
    found = [line for line in errors(root) if "[file-outside-root]" in line]
    assert [line.split(": error:")[0] for line in found] == ["../base/legal.yaml:1:1", "docs/extra.md:1:1"]


# --- Layers never widen trust (issue 19 item 6) ---------------------------------------------------

SECRET = "hemlig-rad-som-aldrig-visas"


@pytest.mark.parametrize("with_git", [True, False])
def test_base_outside_the_repository_is_refused(tmp_path, with_git):
    """A base above the repository (or, without one, above the folder beside the root) is one placed problem,
    and nothing of it is read (its published-links.txt is never echoed)."""
    outside = tmp_path / "outside"
    shutil.copytree(LAYERS / "base", outside)
    (outside / "published-links.txt").write_text(f"{SECRET}\n")
    repo = tmp_path / "a" / "repo"
    shutil.copytree(LAYERS / "local", repo / "local")
    if with_git:
        (repo / ".git").mkdir()
    (repo / "local" / "handbook.yml").write_text("base: ../../../outside\n")
    report = check(repo / "local")
    assert SECRET not in report
    assert [line.split(" [")[0] for line in report.splitlines() if ": error: " in line] == ["handbook.yml:1:7: error:"]
    assert "utanför förrådet" in report


def test_the_repository_allows_a_base_beside_the_root(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    copy(repo)
    assert errors(repo / "local") == []


def test_nothing_under_git_is_read(tmp_path):
    """A link to .git/config inside the root is refused like a link out of the root; its text is never shown."""
    root = copy(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[remote]\n  url = {SECRET}\n")
    (root / "published-links.txt").unlink(missing_ok=True)
    (root / "published-links.txt").symlink_to(".git/config")
    report = check(root)
    assert SECRET not in report
    assert "published-links.txt:1:1: error: [file-outside-root] published-links.txt leder in i en .git-mapp" in report
    (root / "handbook.yml").write_text("base: .git\n")
    assert "[value-invalid]" in check(root) and SECRET not in check(root)


def _replace_number(root: Path, source: str) -> None:
    edit(
        root / "contacts.yaml",
        "contacts:\n",
        "contacts:\n  - id: polisen\n    name: Polisen\n    kind: authority\n"
        "    purpose: Polisen.\n    phones:\n      - number: 08-123 456 78\n    always_open: true\n"
        f'    hours_verified: true\n    verification: {{verified: true, on: 2026-11-01, source: "{source}"}}\n',
    )


def test_a_local_number_over_a_verified_base_number_is_unverified(tmp_path):
    """Replacing the base's verified 114 14 with another number: a warning naming both files, and the number is
    unverified (the card never recommends it, the gate lists it) while the source is the base's."""
    from handbook.core.model import has_verified_number

    root = copy(tmp_path)
    base_polisen = load_handbook(LAYERS / "local").handbook.contact("polisen")
    assert has_verified_number(base_polisen)
    _replace_number(root, base_polisen.verification.source)
    report = check(root)
    assert "warning: [contact-number-replaced] Kontakten polisen i contacts.yaml ersätter numret" in report
    assert "../base/contacts.yaml" in report
    assert not has_verified_number(load_handbook(root).handbook.contact("polisen"))


def test_a_local_number_with_its_own_source_stays_verified_but_is_never_silent(tmp_path):
    from handbook.core.model import has_verified_number

    root = copy(tmp_path)
    _replace_number(root, "https://polisen.se/kontakt/exempelby")
    assert "[contact-number-replaced]" in check(root)
    assert has_verified_number(load_handbook(root).handbook.contact("polisen"))

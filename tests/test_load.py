"""The loader: YAML 1.1 traps, YAML mistakes and bad fields all become placed problems, never tracebacks."""

from __future__ import annotations

import time
from textwrap import dedent

import pytest

from helpers import base_root
from handbook.load import load_handbook
from handbook.yamlnodes import read_nodes


def where(problems, code=None):
    return [(p.file, p.line, p.column, p.code) for p in problems if code is None or p.code == code]


def test_sfs_number_stays_text(tmp_path):
    """`sfs: 1990:52` is LVU's SFS number, not the base-60 integer 119452."""
    root = base_root(tmp_path, {"legal.yaml": dedent("""\
        provisions:
          - id: lag-1
            law: Lag med särskilda bestämmelser om vård av unga
            short: LVU
            sfs: 1990:52
            section: 6 §
            title: Omedelbart omhändertagande
            summary: En sammanfattning.
            url: https://lagen.nu/1990:52#P6
            verification: {verified: true, on: 2026-11-01, source: "https://lagen.nu/1990:52"}
        """)})
    loaded = load_handbook(root)
    assert loaded.problems == []
    assert loaded.handbook.provisions[0].sfs == "1990:52"


def test_clock_time_stays_text(tmp_path):
    """`closes: 17:30` is a clock time, not the base-60 integer 1050."""
    contacts = (base_root(tmp_path) / "contacts.yaml").read_text().replace('closes: "16:30"', "closes: 17:30")
    loaded = load_handbook(base_root(tmp_path / "b", {"contacts.yaml": contacts}))
    assert loaded.problems == []
    assert loaded.handbook.contacts[0].hours[0].closes == "17:30"


def test_no_stays_a_language_code(tmp_path):
    """`no` (Norwegian) stays the text "no", not False."""
    contacts = (base_root(tmp_path) / "contacts.yaml").read_text().replace(
        "    always_open: true", "    always_open: true\n    languages: [sv, no]")
    loaded = load_handbook(base_root(tmp_path / "b", {"contacts.yaml": contacts}))
    assert loaded.problems == []
    assert loaded.handbook.contacts[1].languages == ["sv", "no"]


def test_no_is_not_a_boolean(tmp_path):
    """A boolean field refuses yes/no/on/off: only true or false mean what they say."""
    contacts = (base_root(tmp_path) / "contacts.yaml").read_text().replace("always_open: true", "always_open: no")
    loaded = load_handbook(base_root(tmp_path / "b", {"contacts.yaml": contacts}))
    assert where(loaded.problems, "value-invalid") == [("contacts.yaml", 16, 18, "value-invalid")]


def test_dates_are_read_by_us(tmp_path):
    """Dates are checked for form and for the calendar: 2026-02-30 and 26-10-01 are refused."""
    routine = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text()
    broken = routine.replace("reviewed: 2026-10-01", "reviewed: 26-10-01").replace(
        "decided_on: 2026-10-01", "decided_on: 2026-02-30")
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": broken}))
    assert where(loaded.problems) == [("routines/rutin-a.yaml", 11, 15, "date-format"),
                                      ("routines/rutin-a.yaml", 13, 11, "date-format")]


def test_duplicate_key_names_first_line():
    """PyYAML keeps the last of two equal keys; we report the second with the line of the first."""
    node, problems = read_nodes("a.yaml", b"id: a\ntitle: A\ntitle: B\n")
    assert node is None
    assert where(problems) == [("a.yaml", 3, 1, "yaml-duplicate-key")]
    assert "rad 2" in problems[0].message


def test_unknown_key_suggests_the_right_one(tmp_path):
    """A misspelt field gets "Menade du …?" with the closest real field."""
    routine = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text().replace("    instructions: Gör det andra.",
                                                                                  "    instruktions: Gör det andra.")
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": routine}))
    unknown = [p for p in loaded.problems if p.code == "field-unknown"]
    assert where(unknown) == [("routines/rutin-a.yaml", 26, 5, "field-unknown")]
    assert 'Menade du "instructions"?' in unknown[0].message


def test_problems_are_collected_not_stopped_at_first(tmp_path):
    """Several mistakes in one file are all reported in one run."""
    routine = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text()
    broken = routine.replace("title: Rutin A", "titel: Rutin A").replace("process_step: 2", "process_step: sju").replace(
        "reviewed: 2026-10-01", "reviewed: i går")
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": broken}))
    assert sorted(where(loaded.problems)) == [
        ("routines/rutin-a.yaml", 1, 1, "field-missing"),
        ("routines/rutin-a.yaml", 2, 1, "field-unknown"),
        ("routines/rutin-a.yaml", 5, 15, "value-invalid"),
        ("routines/rutin-a.yaml", 13, 11, "date-format"),
    ]


@pytest.mark.parametrize("text, code, line, column", [
    (b"id: a\n\ttitle: A\n", "yaml-tab", 2, 1),
    (b"title: Obs: viktigt\n", "yaml-syntax", 1, 11),
    ('title: "ej stängd\nid: a\n'.encode(), "yaml-syntax", 3, 1),
    (b"a: !!python/object/apply:os.system [ls]\n", "yaml-tag", 1, 4),
    (b"a: !egen x\n", "yaml-tag", 1, 4),
    (b"a: &x 1\nb: *x\n", "yaml-alias", 2, 4),
    (b"<<: {a: 1}\n", "yaml-tag", 1, 1),
    (b"\xff\xfe", "file-encoding", 1, 1),
    (b"", "file-empty", 1, 1),
    (b"# bara en kommentar\n", "file-empty", 1, 1),
])
def test_yaml_mistakes_are_placed(text, code, line, column):
    """Each YAML mistake is one problem with file, line, column and code, and no node is returned."""
    node, problems = read_nodes("f.yaml", text)
    assert node is None
    assert where(problems)[0] == ("f.yaml", line, column, code)
    assert all(p.message and "Traceback" not in p.message for p in problems)


def test_alias_bomb_is_refused_quickly():
    """A billion-laughs document is refused in well under a second, without expanding it."""
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    start = time.perf_counter()
    node, problems = read_nodes("bomb.yaml", "\n".join(lines).encode())
    assert time.perf_counter() - start < 2
    assert node is None
    assert {p.code for p in problems} == {"yaml-alias"}


def test_wrong_shapes_are_placed(tmp_path):
    """A list where text belongs, and text where a list belongs, are field-type problems at the value."""
    routine = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text()
    broken = routine.replace("roles: [Socialsekreterare]", "roles: Socialsekreterare").replace(
        "summary: En kort rutin.", "summary: [a, b]")
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": broken}))
    assert where(loaded.problems) == [("routines/rutin-a.yaml", 3, 10, "field-type"),
                                      ("routines/rutin-a.yaml", 6, 8, "field-type")]


def test_missing_field_points_at_the_record(tmp_path):
    """A required field that is absent is reported at the first line of its record, naming the field."""
    glossary = "terms:\n  - id: lvu\n    term: LVU\n"
    loaded = load_handbook(base_root(tmp_path, {"glossary.yaml": glossary}))
    missing = [p for p in loaded.problems if p.code == "field-missing"]
    assert where(missing) == [("glossary.yaml", 2, 5, "field-missing")]
    assert '"definition"' in missing[0].message


def test_malformed_ids_are_refused(tmp_path):
    """Ids with capitals, å/ä/ö or spaces are refused where they are written."""
    glossary = "terms:\n  - id: Förkortning LVU\n    term: LVU\n    definition: x\n"
    loaded = load_handbook(base_root(tmp_path, {"glossary.yaml": glossary}))
    assert where(loaded.problems, "id-format") == [("glossary.yaml", 2, 9, "id-format")]


def test_loader_never_writes(tmp_path):
    """Loading and checking leave every content file byte-for-byte as it was."""
    root = base_root(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    load_handbook(root)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_reference_keeps_its_place(tmp_path):
    """Every cross-reference remembers the line and column where it was written."""
    loaded = load_handbook(base_root(tmp_path))
    ref = loaded.handbook.routines[0].steps[0].legal[0]
    assert (ref.id, ref.pos.line, ref.pos.column) == ("lag-1", 20, 13)

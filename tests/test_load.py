"""The loader: YAML 1.1 traps, YAML mistakes and bad fields all become placed problems, never tracebacks."""

from __future__ import annotations

import time
import unicodedata
from textwrap import dedent

import pytest
import yaml

from handbook.load import load_handbook, yamlnodes
from handbook.load.yamlnodes import BAD_CHARACTER, MAX_DEPTH, read_nodes
from helpers import base_root


def where(problems, code=None):
    return [(p.file, p.line, p.column, p.code) for p in problems if code is None or p.code == code]


def test_sfs_number_stays_text(tmp_path):
    """`sfs: 1990:52` is LVU's SFS number, not the base-60 integer 119452."""
    root = base_root(
        tmp_path,
        {
            "legal.yaml": dedent("""\
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
        """)
        },
    )
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
    contacts = (
        (base_root(tmp_path) / "contacts.yaml")
        .read_text()
        .replace("    always_open: true", "    always_open: true\n    languages: [sv, no]")
    )
    loaded = load_handbook(base_root(tmp_path / "b", {"contacts.yaml": contacts}))
    assert loaded.problems == []
    assert loaded.handbook.contacts[1].languages == ["sv", "no"]


def test_no_is_not_a_boolean(tmp_path):
    """A boolean field refuses yes/no/on/off: only true or false mean what they say."""
    contacts = (base_root(tmp_path) / "contacts.yaml").read_text().replace("always_open: true", "always_open: no")
    loaded = load_handbook(base_root(tmp_path / "b", {"contacts.yaml": contacts}))
    line = contacts.splitlines().index("    always_open: no") + 1
    assert where(loaded.problems, "value-invalid") == [("contacts.yaml", line, 18, "value-invalid")]


def test_dates_are_read_by_us(tmp_path):
    """Dates are checked for form and for the calendar: 2026-02-30 and 26-10-01 are refused."""
    routine = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text()
    broken = routine.replace("reviewed: 2026-10-01", "reviewed: 26-10-01").replace(
        "decided_on: 2026-10-01", "decided_on: 2026-02-30"
    )
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": broken}))
    assert where(loaded.problems) == [
        ("routines/rutin-a.yaml", 11, 15, "date-format"),
        ("routines/rutin-a.yaml", 13, 11, "date-format"),
    ]


def test_duplicate_key_names_first_line():
    """PyYAML keeps the last of two equal keys; we report the second with the line of the first."""
    node, problems = read_nodes("a.yaml", b"id: a\ntitle: A\ntitle: B\n")
    assert node is None
    assert where(problems) == [("a.yaml", 3, 1, "yaml-duplicate-key")]
    assert "rad 2" in problems[0].message


def test_unknown_key_suggests_the_right_one(tmp_path):
    """A misspelt field gets "Menade du …?" with the closest real field."""
    routine = (
        (base_root(tmp_path) / "routines/rutin-a.yaml")
        .read_text()
        .replace("    instructions: Gör det andra.", "    instruktions: Gör det andra.")
    )
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": routine}))
    unknown = [p for p in loaded.problems if p.code == "field-unknown"]
    assert where(unknown) == [("routines/rutin-a.yaml", 26, 5, "field-unknown")]
    assert 'Menade du "instructions"?' in unknown[0].message


def test_problems_are_collected_not_stopped_at_first(tmp_path):
    """Several mistakes in one file are all reported in one run."""
    routine = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text()
    broken = (
        routine.replace("title: Rutin A", "titel: Rutin A")
        .replace("process_step: 2", "process_step: sju")
        .replace("reviewed: 2026-10-01", "reviewed: i går")
    )
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": broken}))
    assert sorted(where(loaded.problems)) == [
        ("routines/rutin-a.yaml", 1, 1, "field-missing"),
        ("routines/rutin-a.yaml", 2, 1, "field-unknown"),
        ("routines/rutin-a.yaml", 5, 15, "value-invalid"),
        ("routines/rutin-a.yaml", 13, 11, "date-format"),
    ]


@pytest.mark.parametrize(
    "text, code, line, column",
    [
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
    ],
)
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
        "summary: En kort rutin.", "summary: [a, b]"
    )
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": broken}))
    assert where(loaded.problems) == [
        ("routines/rutin-a.yaml", 3, 10, "field-type"),
        ("routines/rutin-a.yaml", 6, 8, "field-type"),
    ]


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


# --- Files: links out of the root, names, folders where files belong and the other way round ----

SECRET = "HEMLIGT-LÖSENORD-123"


def messages(loaded) -> str:
    return "\n".join(p.message for p in loaded.problems)


@pytest.mark.parametrize(
    "rel", ["legal.yaml", "routines/rutin-b.yaml", "docs/sida.md", "published-links.txt", "mkdocs.yml"]
)
def test_link_out_of_the_root_is_never_read(tmp_path, rel):
    """A content file, page or list that is a symbolic link out of the root is refused unread: its
    content never reaches a message, a page or the published-links guard."""
    secret = tmp_path / "hemlig.txt"
    secret.write_text(f"{SECRET}\n")
    root = base_root(tmp_path)
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).unlink(missing_ok=True)
    (root / rel).symlink_to(secret)
    loaded = load_handbook(root)
    assert where(loaded.problems, "file-outside-root") == [(rel, 1, 1, "file-outside-root")]
    assert SECRET not in messages(loaded) + "".join(loaded.pages.values()) + (loaded.published or "")


@pytest.mark.parametrize("rel", ["routines", "docs"])
def test_folder_linked_out_of_the_root_is_never_read(tmp_path, rel):
    """routines/ or docs/ as a link to a folder outside the root: refused, none of its files read."""
    outside = tmp_path / "utanfor"
    outside.mkdir()
    (outside / "rutin-b.yaml").write_text(f"id: {SECRET}\n")
    (outside / "sida.md").write_text(f"{SECRET}\n")
    root = base_root(tmp_path)
    if rel == "routines":
        for path in (root / "routines").iterdir():
            path.unlink()
        (root / "routines").rmdir()
    (root / rel).symlink_to(outside, target_is_directory=True)
    loaded = load_handbook(root)
    assert where(loaded.problems, "file-outside-root") == [(rel, 1, 1, "file-outside-root")]
    assert SECRET not in messages(loaded) + "".join(loaded.pages.values())


def test_folder_inside_docs_linked_out_is_not_followed(tmp_path):
    root = base_root(tmp_path, {"docs/index.md": "# Start\n"})
    outside = tmp_path / "utanfor"
    outside.mkdir()
    (outside / "sida.md").write_text(f"{SECRET}\n")
    (root / "docs" / "extra").symlink_to(outside, target_is_directory=True)
    loaded = load_handbook(root)
    assert where(loaded.problems) == [("docs/extra", 1, 1, "file-outside-root")]
    assert list(loaded.pages) == ["docs/index.md"]


def test_links_inside_the_root_are_read(tmp_path):
    """A link to a file elsewhere inside the root is fine, and a loop of links in docs/ ends."""
    root = base_root(
        tmp_path,
        {
            "delat/ordlista.yaml": (base_root(tmp_path / "b") / "glossary.yaml").read_text(),
            "docs/index.md": "# Start\n",
        },
    )
    (root / "glossary.yaml").unlink()
    (root / "glossary.yaml").symlink_to("delat/ordlista.yaml")
    (root / "docs" / "igen").symlink_to("..", target_is_directory=True)
    loaded = load_handbook(root)
    assert loaded.problems == []
    assert [t.id for t in loaded.handbook.terms] == ["lvu"]
    assert "docs/index.md" in loaded.pages


def test_link_loop_is_a_missing_file(tmp_path):
    root = base_root(tmp_path)
    (root / "glossary.yaml").unlink()
    (root / "glossary.yaml").symlink_to("glossary.yaml")
    assert where(load_handbook(root).problems) == [("glossary.yaml", 1, 1, "file-missing")]


def _routine(tmp_path, rid: str) -> str:
    return (base_root(tmp_path / "r") / "routines/rutin-a.yaml").read_text().replace("id: rutin-a", f"id: {rid}", 1)


@pytest.mark.parametrize(
    "rel, code",
    [
        ("routines/rutin-b.YAML", "file-name"),
        ("routines/rutin-b.Yml", "file-name"),
        ("routines/arkiv/rutin-b.yaml", "file-name"),
        ("routines/arkiv/djupare/rutin-b.yml", "file-name"),
        ("routines/index.yaml", "file-name"),
        ("routines/rutin-a.yml", "id-duplicate"),
    ],
)
def test_routine_file_names(tmp_path, rel, code):
    """Routine files that used to be silently ignored, or that would overwrite a page, are errors."""
    stem = rel.rsplit("/", 1)[1].split(".")[0]
    loaded = load_handbook(base_root(tmp_path, {rel: _routine(tmp_path, stem)}))
    assert where(loaded.problems) == [(rel, 1, 1, code)]


def test_other_files_in_routines_are_ignored(tmp_path):
    """Hidden files and files that are not YAML (a README, an editor's backup) are not routines."""
    root = base_root(
        tmp_path,
        {
            "routines/.gitkeep": "",
            "routines/README.md": "# Rutiner\n",
            "routines/rutin-a.yaml~": "x",
            "routines/.rutin-a.yaml.swp": b"\x00",
        },
    )
    assert load_handbook(root).problems == []


def test_alias_index_collides_with_the_routines_page(tmp_path):
    routine = _routine(tmp_path, "rutin-a").replace("reviewed:", "aliases: [index]\nreviewed:")
    loaded = load_handbook(base_root(tmp_path, {"routines/rutin-a.yaml": routine}))
    assert [p.code for p in loaded.problems] == ["alias-collision"]


@pytest.mark.parametrize(
    "make, rel, message",
    [
        (lambda root: (root / "legal.yaml").unlink() or (root / "legal.yaml").mkdir(), "legal.yaml", "är en mapp"),
        (lambda root: (root / "docs").write_text("x"), "docs", "är en fil"),
        (
            lambda root: (
                [p.unlink() for p in (root / "routines").iterdir()]
                and (root / "routines").rmdir()
                or (root / "routines").write_text("x")
            ),
            "routines",
            "är en fil",
        ),
    ],
)
def test_file_and_folder_swapped(tmp_path, make, rel, message):
    """A folder where a file belongs, or a file where a folder belongs: file-missing saying which."""
    root = base_root(tmp_path)
    make(root)
    found = [p for p in load_handbook(root).problems if p.code == "file-missing"]
    assert [(p.file, p.line) for p in found] == [(rel, 1)]
    assert message in found[0].message


def test_folder_named_like_a_page_is_skipped(tmp_path):
    root = base_root(tmp_path, {"docs/sida.md/annat.txt": "x", "routines/rutin-b.yaml/x.txt": "x"})
    assert where(load_handbook(root).problems) == [("routines/rutin-b.yaml", 1, 1, "file-name")]


# --- Characters: control characters and invisible ones, at their exact place -------------------


@pytest.mark.parametrize(
    "char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x85", "\x9b", "\x9f", "\ufffe"]
)
def test_control_characters_are_placed(char):
    """NUL, Word's line break U+000B, C1 and other control characters: named, at line and column."""
    node, problems = read_nodes("f.yaml", f"id: a\ntitle: Rutin{char} A\n".encode())
    assert node is None
    assert where(problems) == [("f.yaml", 2, 13, "control-character")]
    assert f"U+{ord(char):04X}" in problems[0].message


@pytest.mark.parametrize(
    "char",
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
        "\u061c",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "\u2028",
        "\u2029",
        "\U000e0041",
    ],
)
def test_invisible_characters_are_placed(char):
    """Bidi controls (Trojan Source), zero-width characters, a BOM inside the text, soft hyphens."""
    node, problems = read_nodes("f.yaml", f"id: a\ntitle: 'Ett {char}värde'\n".encode())
    assert node is None
    assert where(problems) == [("f.yaml", 2, 13, "invisible-character")]
    assert f"U+{ord(char):04X}" in problems[0].message


@pytest.mark.parametrize(
    "escape, code",
    [
        (r"\u202E", "invisible-character"),
        (r"\0", "control-character"),
        (r"\x1b", "control-character"),
        (r"\u200B", "invisible-character"),
    ],
)
def test_escaped_characters_are_refused(escape, code):
    """Written as an escape in double quotes, the character is visible in YAML but not on the page."""
    node, problems = read_nodes("f.yaml", f'id: a\ntitle: "Ett {escape}värde"\n'.encode())
    assert node is None
    assert where(problems) == [("f.yaml", 2, 8, code)]


def test_no_break_space_and_ordinary_text_are_allowed():
    """U+00A0 (114\u00a014), tabs inside text, Swedish and Arabic letters, emoji and \\n escapes are text."""
    node, problems = read_nodes("f.yaml", 'a: 114\u00a014\nb: "x\ty\\nz"\nc: "ار 😀 åäö"\n'.encode())
    assert problems == []
    assert node is not None


def test_character_problems_count_crlf_lines_and_are_capped():
    node, problems = read_nodes("f.yaml", b"a: 1\r\nb: \x00\r\n" + b"c: \x00\n" * 30)
    assert where(problems)[0] == ("f.yaml", 2, 4, "control-character")
    assert len(problems) == 10
    assert "21 sådana tecken till" in problems[-1].message


def test_every_format_character_is_invisible():
    """The character class covers every Unicode format character (Cf), the separators and the controls."""
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        expected = category in ("Cf", "Zl", "Zp") or (category == "Cc" and char not in "\t\n\r")
        if expected or code in (0xFFFE, 0xFFFF):
            assert BAD_CHARACTER.match(char), f"U+{code:04X}"
        elif category != "Cn":
            assert not BAD_CHARACTER.match(char), f"U+{code:04X}"


def test_bom_only_at_the_start():
    assert read_nodes("f.yaml", b"\xef\xbb\xbfa: 1\n")[1] == []
    assert where(read_nodes("f.yaml", b"\xef\xbb\xbf")[1]) == [("f.yaml", 1, 1, "file-empty")]


# --- Nesting, numbers, dates and ids that used to crash or pass ---------------------------------

DEEP = {
    "open-10000": "[" * 10_000,
    "closed-10000": "[" * 10_000 + "]" * 10_000,
    "mappings": "{a: " * 10_000,
    "block": "".join(" " * i + "- \n" for i in range(3000)),
    "40-levels": "a: " + "[" * (MAX_DEPTH + 10) + "]" * (MAX_DEPTH + 10) + "\n",
    "200-blocks": "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "x: 1\n",
}
# PyYAML alone needs a second or two to reach its recursion limit on 10 000 [; "block" covers that path.
CASES_DEEP = [(name, True) for name in DEEP] + [(name, False) for name in DEEP if "10000" not in name]


@pytest.mark.parametrize(
    "name, libyaml", CASES_DEEP, ids=[f"{n}-{'libyaml' if c else 'pyyaml'}" for n, c in CASES_DEEP]
)
def test_deep_nesting_is_a_syntax_problem(name, libyaml, monkeypatch):
    """10 000 nested [ (or blocks) is refused quickly with a place, by libyaml and by PyYAML alone."""
    if not libyaml:
        monkeypatch.setattr(yamlnodes, "_FastLoader", yaml.SafeLoader)
    text = DEEP[name]
    start = time.perf_counter()
    node, problems = read_nodes("f.yaml", text.encode())
    assert time.perf_counter() - start < 5
    assert node is None
    assert [p.code for p in problems] == ["yaml-syntax"]
    assert problems[0].line >= 1 and "nivåer" in problems[0].message


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_dates_outside_sensible_years_are_refused(tmp_path, date):
    routine = (
        (base_root(tmp_path) / "routines/rutin-a.yaml")
        .read_text()
        .replace("decided_on: 2026-10-01", f"decided_on: {date}")
    )
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": routine}))
    assert where(loaded.problems) == [("routines/rutin-a.yaml", 11, 15, "date-format")]
    assert "1900 och 2199" in loaded.problems[0].message


@pytest.mark.parametrize(
    "old, new, code",
    [
        ("  - id: andra", "  - id: " + "a" * 300, "id-format"),
        ("owner: enhet", "owner: " + "e" * 61, "id-format"),
        ("  - id: andra", '  - id: "andra\\n"', "id-format"),
        ("process_step: 2", "process_step: " + "9" * 5000, "value-invalid"),
        ("within: PT2H", "within: P99999999999999999999D", "value-invalid"),
        ("roles: [Socialsekreterare]", "roles: [Socialsekreterare]\n? [a, b]\n: c", "field-type"),
    ],
)
def test_extreme_values_are_refused(tmp_path, old, new, code):
    """A 300-character id, an id ending in a line break, a huge number, a list as a field name."""
    text = (base_root(tmp_path) / "routines/rutin-a.yaml").read_text()
    assert old in text
    loaded = load_handbook(base_root(tmp_path / "b", {"routines/rutin-a.yaml": text.replace(old, new, 1)}))
    assert code in [p.code for p in loaded.problems]
    assert all(len(p.message) < 400 for p in loaded.problems)


# --- Text files beside the YAML: pages, published links, mkdocs.yml -----------------------------


@pytest.mark.parametrize("rel", ["published-links.txt", "mkdocs.yml", "docs/sida.md"])
def test_latin1_text_files_are_placed(tmp_path, rel):
    loaded = load_handbook(base_root(tmp_path, {rel: b"# Rubrik\n/r\xe4tt/\n"}))
    assert where(loaded.problems) == [(rel, 2, 1, "file-encoding")]


@pytest.mark.parametrize("rel", ["published-links.txt", "docs/sida.md"])
def test_control_characters_in_text_files(tmp_path, rel):
    """A NUL in a page or in the links list is placed, and the text is not judged (or quoted) further."""
    loaded = load_handbook(base_root(tmp_path, {rel: "/\n/rutiner/\x00x/\n"}))
    assert where(loaded.problems) == [(rel, 2, 10, "control-character")]
    assert rel not in loaded.pages and loaded.published is None

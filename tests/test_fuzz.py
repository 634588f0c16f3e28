"""Fuzzing: the real content files, mutated at random, never crash the loader, the check or the CLI.

The real files of the repository root are copied once to a temporary root. Each example mutates
one of them (bytes flipped, cut or inserted, among them NUL, C1 controls, invisible characters and
invalid UTF-8; lines deleted, duplicated, swapped or re-indented; a value replaced by random text,
numbers, dates or ids), runs, and puts the file back. A failing example prints as the file name
and a short list of mutations, to replay with `mutate`. Every run is the same run (derandomize,
no example database, no deadline): a test must never fail by chance or by timing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.cli import main
from handbook.core.model import ContactsFile, GlossaryFile, LegalFile, Routine
from handbook.core.problems import RULES
from handbook.core.published import LINKS_FILE
from handbook.load import CONTENT_FILES
from handbook.load.convert import Converter
from handbook.load.yamlnodes import read_nodes
from helpers import REPO

FILES = [*CONTENT_FILES, *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "routines").glob("*.yaml"))]
ORIGINAL = {rel: (REPO / rel).read_bytes() for rel in FILES}
RECORD = {"legal.yaml": LegalFile, "contacts.yaml": ContactsFile, "glossary.yaml": GlossaryFile}

# Bytes that have broken YAML readers before: controls, C1 and invisible characters (as UTF-8),
# a BOM, Latin-1 and other invalid UTF-8, line breaks, and YAML's own punctuation.
SPECIAL_BYTES = [
    b"\x00",
    b"\x01",
    b"\x0b",
    b"\x0c",
    b"\x1b",
    b"\x7f",
    b"\xc2\x85",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xe2\x81\xa6",
    b"\xe2\x80\x8b",
    b"\xe2\x80\xa8",
    b"\xef\xbb\xbf",
    b"\xc2\xad",
    b"\xc2\xa0",
    b"\xef\xbf\xbe",
    b"\xff",
    b"\xe4",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"!x ",
    b"<<: ",
    b"'",
    b'"',
    b"#",
    b"|",
    b">",
    b"? ",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"~",
    b"\\",
    b"@",
    b"`",
]
SPECIAL_VALUES = [
    "",
    "~",
    "null",
    "true",
    "no",
    "yes",
    "0",
    "-1",
    "1e9",
    "0x1F",
    "P99999999D",
    "P",
    "PT",
    "PT0H",
    "P4M",
    "24:00",
    "25:61",
    "1990:52",
    '"1990:52"',
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-11-27",
    "[]",
    "{}",
    "[a, [b]]",
    "{a: 1}",
    "&a x",
    "*a",
    "!!binary aGVq",
    "|",
    ">-",
    "a" * 300,
    "https://",
    "javascript:alert(1)",
    "end",
    "index",
    '"\\0\\u202e"',
    "'it''s'",
    "- a",
    "a: b: c",
    "199001015678",
    "<script>",
    "[x](rutin:saknas)",
]
LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_]+:)[ \t]*(.*)$")

values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.from_regex(r"[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,4}", fullmatch=True),
)


KINDS = [
    "flip",
    "insert",
    "insert",
    "cut",
    "truncate",
    "delete-line",
    "duplicate-line",
    "swap-lines",
    "indent",
    "value",
    "value",
    "nest",
]
# A mutation is (kind, where, how): where picks a byte or a line (modulo the length), how says what to
# do there. Small tuples, so that a failing example prints as something a person can replay.
mutation = st.tuples(
    st.sampled_from(KINDS),
    st.integers(min_value=0, max_value=10**6),
    st.one_of(
        st.sampled_from(SPECIAL_BYTES),
        st.binary(min_size=1, max_size=4),
        st.integers(-4, 40),
        values.map(lambda v: v.encode("utf-8")),
    ),
)
mutated = st.tuples(st.sampled_from(FILES), st.lists(mutation, min_size=1, max_size=3))
# The CLI also reads published-links.txt, and measures review dates from --today.
mutated_root = st.tuples(st.sampled_from([*FILES, LINKS_FILE]), st.lists(mutation, min_size=1, max_size=3))
TODAY = st.sampled_from(["2026-11-27", "9999-12-31", "1900-01-01"])


def mutate(data: bytes, kind: str, where: int, how: bytes | int) -> bytes:
    """One mutation of a file's bytes."""
    number = how if isinstance(how, int) else len(how)
    chunk = how if isinstance(how, bytes) else bytes([how % 256])
    at = where % (len(data) + 1)
    if kind == "flip":
        return data[:at] + chunk[:1] + data[at + 1 :]
    if kind == "insert":
        return data[:at] + chunk + data[at:]
    if kind == "cut":
        return data[:at] + data[at + abs(number) + 1 :]
    if kind == "truncate":
        return data[:at]
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = where % len(lines)
    if kind == "delete-line":
        del lines[i]
    elif kind == "duplicate-line":
        lines.insert(i, lines[i])
    elif kind == "swap-lines":
        j = (where // len(lines) + number) % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        shift = number % 9 - 4
        indent = len(lines[i]) - len(lines[i].lstrip(b" "))
        lines[i] = b" " * shift + lines[i] if shift >= 0 else lines[i][min(-shift, indent) :]
    else:  # replace the value of a "key: value" line, by the chunk or ("nest") by lists in lists
        candidates = [n for n, line in enumerate(lines) if LINE.match(line.rstrip(b"\r\n"))]
        if not candidates:
            return data
        n = candidates[where % len(candidates)]
        value = b"[" * (number % 3 * 600 + 40) if kind == "nest" else chunk
        lines[n] = LINE.match(lines[n].rstrip(b"\r\n")).group(1) + b" " + value + b"\n"
    return b"".join(lines)


def apply(case: tuple[str, list]) -> tuple[str, bytes]:
    rel, plan = case
    data = ORIGINAL[rel] if rel in ORIGINAL else (REPO / rel).read_bytes()
    for step in plan:
        data = mutate(data, *step)
    return rel, data


def assert_placed(problems) -> None:
    for p in problems:
        assert p["file"] and p["line"] >= 1 and p["column"] >= 1, p
        assert p["code"] in RULES and p["message"], p


# Deterministic and untimed: the same examples on every run, none of them judged by how long it took.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@settings(FUZZ, max_examples=300)
@given(mutated)
def test_mutated_file_never_crashes_the_loader(case):
    """One mutated file through the YAML reader and the converter: problems, never an exception."""
    rel, data = apply(case)
    node, problems = read_nodes(rel, data)
    if node is not None:
        conv = Converter(rel)
        conv.record(RECORD.get(rel, Routine), node, rel)
        problems = problems + conv.problems
    assert_placed(
        [{"file": p.file, "line": p.line, "column": p.column, "code": p.code, "message": p.message} for p in problems]
    )


@pytest.fixture(scope="module")
def real_root(tmp_path_factory) -> Path:
    """The real content files (and the published-links list) in a temporary root."""
    root = tmp_path_factory.mktemp("fuzz") / "root"
    for rel in [*FILES, LINKS_FILE]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, root / rel)
    return root


def test_real_root_copy_checks(real_root):
    """The unmutated copy loads: the fuzzing below starts from real, working content."""
    result = CliRunner().invoke(main, ["check", "--root", str(real_root), "--today", "2026-11-27", "--format", "json"])
    assert result.exit_code in (0, 1) and json.loads(result.stdout)["problems"] is not None


@settings(FUZZ, max_examples=50)
@given(case=mutated_root, today=TODAY)
def test_mutated_root_never_crashes_the_cli(real_root, case, today):
    """`handbook check` on the real root with one mutated file: exit 0 or 1, every problem placed."""
    rel, data = apply(case)
    path = real_root / rel
    original = path.read_bytes()
    try:
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["check", "--root", str(real_root), "--today", today, "--format", "json"])
    finally:
        path.write_bytes(original)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stdout + result.stderr
    assert_placed(json.loads(result.stdout)["problems"])

"""`handbook check`: exit codes 0/1/2, formats, --strict and --today, as ARCHITECTURE.md promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from handbook.cli import main
from helpers import REPO, base_root


def run(*args):
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_clean_root_exits_0(tmp_path):
    """No problems: exit 0, nothing on stdout, a Swedish summary on stderr."""
    assert run("--root", str(base_root(tmp_path)), "--today", "2026-11-27") == (0, "", "Inga problem hittades.\n")


def test_warnings_pass_unless_strict(tmp_path):
    """An overdue review is a warning (exit 0); with --strict it is an error (exit 1)."""
    root = str(base_root(tmp_path))
    code, out, _ = run("--root", root, "--today", "2028-01-01")
    assert code == 0 and "warning: [review-overdue]" in out
    code, out, _ = run("--root", root, "--today", "2028-01-01", "--strict")
    assert code == 1 and "error: [review-overdue]" in out


def test_errors_exit_1_with_json(tmp_path):
    """An error exits 1; --format json gives the documented object."""
    root = base_root(tmp_path, {"glossary.yaml": "terms:\n  - id: X\n"})
    code, out, _ = run("--root", str(root), "--today", "2026-11-27", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["counts"]["error"] >= 1
    assert {"file", "line", "column", "severity", "code", "message"} == set(data["problems"][0])


def test_cannot_run_exits_2(tmp_path):
    """A missing root, a bad date or an unknown format: exit 2, no traceback."""
    assert run("--root", str(tmp_path / "saknas"))[0] == 2
    assert run("--root", str(tmp_path), "--today", "igår")[0] == 2
    assert run("--root", str(tmp_path), "--format", "xml")[0] == 2


def test_python_dash_m(tmp_path):
    """`python -m handbook check` works like the installed command."""
    result = subprocess.run(
        [sys.executable, "-m", "handbook", "check", "--root", str(base_root(tmp_path)), "--today", "2026-11-27"],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_broken_content_never_tracebacks(tmp_path):
    """Even a root whose every file is broken gives problems and exit 1, not a traceback."""
    root = base_root(
        tmp_path,
        {
            "legal.yaml": "- [",
            "contacts.yaml": b"\xff",
            "glossary.yaml": "a: &x 1\nb: *x\n",
            "routines/rutin-a.yaml": "id: rutin-a\n\tsteps: []\n",
            "routines/b.yaml": "42\n",
        },
    )
    code, out, err = run("--root", str(root), "--today", "2026-11-27")
    assert code == 1
    assert "Traceback" not in out + err
    assert {line.split("[")[1].split("]")[0] for line in out.splitlines()} >= {
        "yaml-syntax",
        "file-encoding",
        "yaml-alias",
        "yaml-tab",
        "field-type",
    }


# --- Bad input never gives a traceback (issue 11) ------------------------------------------------


def _swap(rel: str, kind: str):
    """Replace a file or folder of the root by a folder (kind "dir") or a file (kind "file")."""

    def make(root):
        path = root / rel
        if path.is_dir():
            for child in path.iterdir():
                child.unlink()
            path.rmdir()
        elif path.exists():
            path.unlink()
        path.mkdir() if kind == "dir" else path.write_text("x")

    return make


def _routine(old: str, new: str):
    def make(root):
        path = root / "routines/rutin-a.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return make


def _write(rel: str, data: bytes):
    def make(root):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)

    return make


# Inputs that once gave a Python traceback (T) or were silently accepted (S).
BAD_INPUTS = {
    "nul (T)": (_routine("title: Rutin A", "title: Rutin\x00 A"), "control-character"),
    "word line break (T)": (_routine("title: Rutin A", "title: Rutin\x0b A"), "control-character"),
    "c1 (T)": (_routine("title: Rutin A", "title: Rutin\x9b A"), "control-character"),
    "nel (S)": (_routine("title: Rutin A", "title: Rutin\x85 A"), "control-character"),
    "escaped nul (S)": (_routine("title: Rutin A", 'title: "Rutin\\0 A"'), "control-character"),
    "right-to-left override (S)": (_routine("title: Rutin A", "title: Rutin\u202e A"), "invisible-character"),
    "deep nesting (T)": (_write("glossary.yaml", b"[" * 10_000), "yaml-syntax"),
    "latin-1 in published-links.txt (T)": (_write("published-links.txt", b"/\n/r\xe4\n"), "file-encoding"),
    "latin-1 in mkdocs.yml (T with --format github)": (_write("mkdocs.yml", b"site_name: H\xe4\n"), "file-encoding"),
    "year 9999 (T with --today 9999-12-31)": (_routine("reviewed: 2026-10-01", "reviewed: 9999-06-01"), "date-format"),
    "year 0001 (S)": (_routine("reviewed: 2026-10-01", "reviewed: 0001-01-01"), "date-format"),
    "300-character id (S)": (_routine("  - id: andra", "  - id: " + "a" * 300), "id-format"),
    "huge duration (S)": (_routine("within: PT2H", "within: P99999999999999999999D"), "value-invalid"),
    "routines is a file": (_swap("routines", "file"), "file-missing"),
    "docs is a file (S)": (_swap("docs", "file"), "file-missing"),
    "legal.yaml is a folder": (_swap("legal.yaml", "dir"), "file-missing"),
    "page is a folder (T)": (_swap("docs/sida.md", "dir"), None),
    "empty file": (_write("glossary.yaml", b""), "file-empty"),
    "only a BOM": (_write("glossary.yaml", b"\xef\xbb\xbf"), "file-empty"),
    "huge integer": (_routine("process_step: 2", "process_step: " + "9" * 5000), "value-invalid"),
    ".YAML (S)": (_write("routines/rutin-b.YAML", b"id: rutin-b\n"), "file-name"),
    "subfolder (S)": (_write("routines/arkiv/rutin-b.yaml", b"id: rutin-b\n"), "file-name"),
    "index (S)": (_write("routines/index.yaml", b"id: index\n"), "file-name"),
    "yaml and yml (S)": (_write("routines/rutin-a.yml", b"id: rutin-a\n"), "id-duplicate"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
@pytest.mark.parametrize(
    "args",
    [[], ["--format", "github", "--today", "9999-12-31"], ["--format", "json"]],
    ids=["text", "github-9999", "json"],
)
def test_bad_input_is_a_placed_problem(tmp_path, name, args):
    """Each bad input gives its problem with a place and exit 1 (or 0), never a traceback."""
    make, code = BAD_INPUTS[name]
    root = base_root(tmp_path, {"docs/index.md": "# Start\n"})
    make(root)
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--today", "2026-11-27", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == (1 if code else 0)
    if code and not args:
        assert f"error: [{code}]" in result.stdout
        assert all(line.split(":")[1].isdigit() and int(line.split(":")[1]) >= 1 for line in result.stdout.splitlines())


def test_symbolic_link_out_of_the_root_is_not_shown(tmp_path):
    """The target of a link out of the root is never read: its content is in no output format."""
    secret = tmp_path / "hemlig.txt"
    secret.write_text("HEMLIGT-LÖSENORD\n")
    root = base_root(tmp_path)
    for rel in ("legal.yaml", "published-links.txt", "docs/sida.md", "routines/rutin-b.yaml"):
        (root / rel).parent.mkdir(exist_ok=True)
        (root / rel).unlink(missing_ok=True)
        (root / rel).symlink_to(secret)
    for fmt in ("text", "json", "github"):
        result = CliRunner().invoke(main, ["check", "--root", str(root), "--today", "2026-11-27", "--format", fmt])
        assert result.exit_code == 1
        assert "HEMLIGT" not in result.stdout + result.stderr
        assert result.stdout.count("file-outside-root") == 4


def test_new_with_a_300_character_id_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["new", "routine", "a" * 300, "--root", str(base_root(tmp_path))])
    assert (result.exit_code, isinstance(result.exception, SystemExit)) == (2, True)
    assert "högst 60 tecken" in result.stderr


# --- handbook links --write: never glues, never loses, never writes outside ---------------------


def write_links(root):
    result = CliRunner().invoke(main, ["links", "--root", str(root), "--write"])
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exception
    return result


@pytest.mark.parametrize("before", [b"/", b"# kommentar\n/", b"/\r\n/rutiner/", b"\xef\xbb\xbf/\n", b"/\r/rutiner/\r"])
def test_links_write_appends_on_new_lines(tmp_path, before):
    """A last line without a line break is not glued to the first new link; every old byte stays, and
    the file's own line endings are used."""
    root = base_root(tmp_path, {"published-links.txt": before})
    assert write_links(root).exit_code == 0
    after = (root / "published-links.txt").read_bytes()
    assert after.startswith(before)
    newline = b"\r\n" if b"\r\n" in before else b"\n"
    assert b"/rutiner/rutin-a/" + newline in after
    lines = after.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").splitlines()
    assert "/" in lines and "//rutiner/" not in after.decode() and len(lines) == len(set(lines))
    assert write_links(root).exit_code == 0
    assert (root / "published-links.txt").read_bytes() == after  # nothing new the second time


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda root, outside: (root / "published-links.txt").symlink_to(outside), "file-outside-root"),
        (
            lambda root, outside: (root / "published-links.txt").symlink_to(outside.parent / "saknas.txt"),
            "file-outside-root",
        ),
        (lambda root, outside: (root / "published-links.txt").mkdir(), "file-missing"),
        (lambda root, outside: (root / "published-links.txt").write_bytes(b"/\n/r\xe4\n"), "file-encoding"),
    ],
)
def test_links_write_refuses_what_it_cannot_keep(tmp_path, make, code):
    """A link out of the root, a folder or a Latin-1 file: exit 1, the problem, nothing written anywhere."""
    outside = tmp_path / "utanfor.txt"
    outside.write_text("/\n")
    root = base_root(tmp_path)
    make(root, outside)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = write_links(root)
    assert result.exit_code == 1 and f"[{code}]" in result.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert not (tmp_path / "saknas.txt").exists()


# --- make release: a to-do list (issue 18 item 12) --------------------------------------------


def cli(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_release_is_a_to_do_list(tmp_path):
    """Blockers grouped by kind with one fix hint per kind, other errors and warnings after, a count at the end;
    exit 1 with one clear closing line and no traceback."""
    root = base_root(tmp_path)
    routine = root / "routines" / "rutin-a.yaml"
    routine.write_text(routine.read_text().replace("  state: approved\n", "  state: draft\n"))
    code, out, err = cli("check", "--root", str(root), "--release", "--today", "2026-11-27")
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert lines[0] == "Det här hindrar publicering. Ta en grupp i taget:"
    assert lines[2] == "1. Adresser i mkdocs.yml (3)" and lines[3].startswith("   Gör så här: Skriv kommunens riktiga")
    assert "2. Beslut om rutinerna (1)" in lines
    assert sum(line.startswith("   Gör så här:") for line in lines) == 2  # one hint per kind, not per blocker
    assert lines.index("2. Beslut om rutinerna (1)") < lines.index("Varningar (1), som inte hindrar publicering:")
    assert "   - routines/rutin-a.yaml:9:3: [routine-draft]" in out
    assert lines[-1] == ("Kvar att göra: 4 hinder för publicering i 2 grupper, 0 andra fel och 1 varning.")
    assert err.strip().splitlines()[-1] == (
        "Handboken kan inte publiceras än: gör listan ovan, kör sedan make release igen."
    )


def test_release_json_keeps_the_machine_format(tmp_path):
    code, out, _ = cli(
        "check", "--root", str(base_root(tmp_path)), "--release", "--format", "json", "--today", "2026-11-27"
    )
    assert code == 1 and {p["code"] for p in json.loads(out)["problems"]} == {"release-blocker"}


def test_new_contact_writes_no_invented_hours(tmp_path):
    """Issue 18 item 13: `handbook new contact` leaves hours out, with a comment; the check finds no hours."""
    root = base_root(tmp_path)
    code, out, err = cli("new", "contact", "ny-kontakt", "--root", str(root))
    text = (root / "contacts.yaml").read_text()
    assert code == 0 and "08:00" not in text.split("ny-kontakt", 1)[1] and "opens" not in text.split("ny-kontakt", 1)[1]
    assert "# hours: skriv öppettiderna som källan anger dem" in text
    assert "bara som källan anger dem" in out


# --- Output folders: links and file types never end in a traceback or a write elsewhere (issue 19) -------

MKDOCS = "site_name: Handbok\ntheme:\n  name: material\n"


def handbook_in(cwd, *args):
    """The command run from another folder (the checkout), importing this worktree's engine."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "handbook", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture()
def checkout(tmp_path):
    root = base_root(tmp_path, {"mkdocs.yml": MKDOCS})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("annan utcheckning\n")
    (tmp_path / "a-file").write_text("x\n")
    return root


def test_committed_build_link_is_refused(checkout, tmp_path):
    """A `build` symlink in the checkout would make render write (and rmtree) outside it: refused, nothing written."""
    (checkout / "build").symlink_to(tmp_path / "elsewhere")
    result = handbook_in(checkout, "render")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "går via en symbolisk länk" in result.stderr
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("make", ["file", "link-to-file", "dangling-link", "link-to-folder"])
@pytest.mark.parametrize("option", ["--out", "--site-dir", "finish"])
def test_output_folder_kinds_are_plain_messages(checkout, tmp_path, make, option):
    target = checkout / "target"
    if make == "file":
        target.write_text("x\n")
    elif make == "link-to-file":
        target.symlink_to(tmp_path / "a-file")
    elif make == "dangling-link":
        target.symlink_to(tmp_path / "missing")
    else:
        target.symlink_to(tmp_path / "elsewhere")
    args = (
        ["finish", "target"]
        if option == "finish"
        else (["render", "--out", "target"] if option == "--out" else ["build", "--site-dir", "target"])
    )
    result = handbook_in(checkout, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip()
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["keep.txt"]

"""The JSON Schemas in schemas/: generated from the model, committed, and in step with the loader.

Content is validated the way an editor sees it: our own node reader, typed the YAML 1.2 way
(`handbook.tools.schema.editor_data`), because PyYAML's YAML 1.1 would turn `1990:52` into a number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from handbook.cli import main
from handbook.load.yamlnodes import read_nodes
from handbook.tools.schema import FILE_KINDS, all_schema_texts, editor_data, editor_value, schema_file, schema_text
from helpers import BASE, REPO, TESTS, base_root

KIND_OF_FILE = {"legal.yaml": "legal", "contacts.yaml": "contacts", "glossary.yaml": "glossary"}
# Rules the loader reports while typing single values: the schema must catch each of them too.
STRUCTURAL = ("field-unknown", "field-missing", "field-type", "id-format", "date-format", "value-invalid")
STRUCTURAL_CASES = sorted(p for code in STRUCTURAL for p in (TESTS / "cases" / code).iterdir() if p.is_dir())


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((REPO / f"schemas/{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def kind_of(rel: str) -> str:
    return "routine" if rel.startswith("routines/") else KIND_OF_FILE[rel]


def errors(root: Path, rel: str) -> list[str]:
    """Schema errors for one content file, as 'path: message' lines."""
    node, problems = read_nodes(rel, (root / rel).read_bytes())
    assert node is not None, problems
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator(kind_of(rel)).iter_errors(editor_data(node))
    ]


def content_files(root: Path) -> list[str]:
    return [*KIND_OF_FILE, *sorted(p.relative_to(root).as_posix() for p in (root / "routines").glob("*.yaml"))]


@pytest.mark.parametrize("kind", FILE_KINDS, ids=lambda k: k.name)
def test_committed_schema_is_generated(kind):
    """The committed schema file is exactly what the model generates (run `make schema` if not)."""
    assert (REPO / schema_file(kind)).read_text(encoding="utf-8") == schema_text(kind)


def test_schema_dir_holds_only_generated_files():
    """schemas/ holds one generated file per kind of content file and nothing stale."""
    assert sorted(p.name for p in (REPO / "schemas").iterdir()) == [
        "contacts.schema.json",
        "glossary.schema.json",
        "legal.schema.json",
        "roles.schema.json",
        "routine.schema.json",
    ]


@pytest.mark.parametrize("kind", FILE_KINDS, ids=lambda k: k.name)
def test_schema_is_valid_draft_2020_12(kind):
    """Each schema is itself valid against the draft 2020-12 meta-schema."""
    schema = json.loads(schema_text(kind))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_follows_the_model():
    """Spot checks: required fields, closed records, Swedish docs, enums, patterns and bounds."""
    routine = json.loads(schema_text(FILE_KINDS[0]))
    assert routine["required"] == [
        "id",
        "title",
        "summary",
        "applies_when",
        "process_step",
        "roles",
        "owner",
        "status",
        "reviewed",
        "steps",
    ]
    assert routine["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in routine["$defs"].values())
    assert routine["properties"]["process_step"] == {
        "description": "Steg i den nationella manualen (1–6).",
        "type": "integer",
        "minimum": 1,
        "maximum": 6,
        "examples": [2],
    }
    assert routine["$defs"]["Decision"]["properties"]["state"]["enum"] == ["draft", "approved"]
    assert routine["properties"]["reviewed"] == {
        "description": "Senast granskad (ÅÅÅÅ-MM-DD).",
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}$",
        "format": "date",
    }
    assert routine["$defs"]["Step"]["properties"]["repeat"]["type"] == "boolean"
    assert routine["$defs"]["NextStep"]["properties"]["to"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    contacts = json.loads(schema_text(FILE_KINDS[2]))
    assert contacts["$defs"]["Phone"]["properties"]["number"]["type"] == ["string", "number"]
    assert contacts["$defs"]["Hours"]["properties"]["opens"]["pattern"] == r"^(?:([01]\d|2[0-3]):[0-5]\d|24:00)$"
    assert contacts["$defs"]["Contact"]["properties"]["web"]["pattern"] == r"^https://\S+$"


def test_editor_view_is_yaml_1_2():
    """Plain scalars are typed as YAML 1.2 does; PyYAML's 1.1 readings (1990:52, no, dates) stay text."""
    values = [
        "1990:52",
        "17:30",
        "08:00",
        "no",
        "yes",
        "2026-11-27",
        "112",
        "-3",
        "1.5",
        "true",
        "False",
        "",
        "~",
        "null",
        "114 14",
        "08-508 25 000",
        "0x1F",
    ]
    assert [editor_value(v) for v in values] == [
        "1990:52",
        "17:30",
        "08:00",
        "no",
        "yes",
        "2026-11-27",
        112,
        -3,
        1.5,
        True,
        False,
        None,
        None,
        None,
        "114 14",
        "08-508 25 000",
        31,
    ]


def test_editor_data_keeps_quoted_text():
    """Quoted and block scalars are text even when they look like numbers or booleans."""
    node, _ = read_nodes("x.yaml", b'a: "112"\nb: 112\nc: |\n  true\nd: [no, true]\n')
    assert editor_data(node) == {"a": "112", "b": 112, "c": "true\n", "d": ["no", True]}


@pytest.mark.parametrize(
    "root", [REPO, TESTS / "fixture-handbook", BASE], ids=["content", "fixture-handbook", "cases-base"]
)
def test_schema_accepts_handbook(root):
    """Every content file of the real handbook, the fixture handbook and the case base passes its schema."""
    assert {rel: errors(root, rel) for rel in content_files(root)} == {rel: [] for rel in content_files(root)}


def test_schema_accepts_what_yaml_1_2_leaves_as_text(tmp_path):
    """Unquoted SFS numbers, clock times, language codes and a bare phone number are valid in the editor too."""
    root = base_root(
        tmp_path,
        {
            "legal.yaml": (BASE / "legal.yaml").read_text(encoding="utf-8").replace('sfs: "1990:52"', "sfs: 1990:52"),
            "contacts.yaml": (BASE / "contacts.yaml")
            .read_text(encoding="utf-8")
            .replace('opens: "08:00", closes: "16:30"', "opens: 08:00, closes: 16:30")
            .replace("number: 08-508 25 000", "number: 112")
            .replace("    always_open: true\n", "    always_open: true\n    languages: [sv, no]\n"),
        },
    )
    assert errors(root, "legal.yaml") == []
    assert errors(root, "contacts.yaml") == []


@pytest.mark.parametrize("case", STRUCTURAL_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_schema_rejects_structural_case(case):
    """A broken fixture the loader rejects while typing values is rejected by the schema as well."""
    changed = sorted(p.relative_to(case).as_posix() for p in case.rglob("*.yaml"))
    assert changed
    assert all(errors(case, rel) != [] for rel in changed), {rel: errors(case, rel) for rel in changed}


def test_schema_rejects_at_the_loaders_place():
    """For each structural case the schema complains about the same field, for the same reason.

    Cases added later are covered by test_schema_rejects_structural_case; these are pinned exactly.
    """
    found = {}
    for case in STRUCTURAL_CASES:
        for path in sorted(case.rglob("*.yaml")):
            rel = path.relative_to(case).as_posix()
            node, _ = read_nodes(rel, path.read_bytes())
            found[f"{case.parent.name}/{case.name}"] = sorted(
                ("/".join(map(str, e.absolute_path)), e.validator)
                for e in validator(kind_of(rel)).iter_errors(editor_data(node))
            )
    expected = {
        "date-format/no-such-day": [("reviewed", "format")],
        "field-missing/no-role": [("steps/1", "required")],
        "field-type/list-for-text": [("title", "type")],
        "field-unknown/misspelt-title": [("", "additionalProperties"), ("", "required")],
        "id-format/swedish-letters": [("steps/0/next/0/to", "pattern"), ("steps/1/id", "pattern")],
        "value-invalid/bad-duration": [("steps/0/deadline/within", "pattern")],
        "value-invalid/sfs-as-number": [("provisions/0/sfs", "pattern")],
        "value-invalid/yes-for-bool": [("contacts/1/always_open", "type")],
    }
    assert {name: found.get(name) for name in expected} == expected


def run(*args: str):
    result = CliRunner().invoke(main, ["schema", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_prints_one_schema():
    """`handbook schema routine` prints the committed routine schema."""
    assert run("routine") == (0, schema_text(FILE_KINDS[0]), "")


def test_cli_prints_all_schemas():
    """Without a kind, every schema is printed as one JSON object keyed by file."""
    code, out, _ = run()
    assert code == 0
    assert json.loads(out) == {rel: json.loads(text) for rel, text in all_schema_texts().items()}


def test_cli_write_and_check(tmp_path):
    """--write creates the files, --check passes then, and fails (exit 1) once a file is stale."""
    assert run("--root", str(tmp_path), "--check")[0] == 1
    code, _, err = run("--root", str(tmp_path), "--write")
    assert code == 0
    assert err == "".join(f"{rel}: skrevs om\n" for rel in all_schema_texts())
    assert {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "schemas").iterdir()} == set(all_schema_texts())
    assert run("--root", str(tmp_path), "--check") == (0, "", "Alla filer i schemas/ stämmer med datamodellen.\n")
    (tmp_path / "schemas/legal.schema.json").write_text("{}\n", encoding="utf-8")
    assert run("--root", str(tmp_path), "--check") == (
        1,
        "",
        "schemas/legal.schema.json: stämmer inte med datamodellen\n"
        "Kör handbook schema --write och lägg till filerna i ändringen.\n",
    )


def test_cli_refuses_write_with_check(tmp_path):
    """--write and --check together is a usage error (exit 2)."""
    assert run("--root", str(tmp_path), "--write", "--check")[0] == 2


def test_vscode_maps_every_schema():
    """.vscode/settings.json maps each schema to exactly its files, and recommends the YAML extension."""
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {f"./{schema_file(k)}": list(k.files) for k in FILE_KINDS}
    assert settings["yaml.yamlVersion"] == "1.2"
    extensions = json.loads((REPO / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]

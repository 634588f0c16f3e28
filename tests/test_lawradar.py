"""`handbook law-radar`: recorded register and Riksdag responses (tests/lawradar/), never the network.

tests/lawradar/root/legal.yaml names one provision per case; tests/lawradar/responses/ holds hand-written
responses in the shapes of rkrattsbaser.gov.se/sfsr and data.riksdagen.se/dokumentstatus.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error

import pytest
from click.testing import CliRunner

from handbook.cli import main
from handbook.load import load_handbook
from handbook.tools import lawradar
from handbook.tools.sfsscope import (
    CHANGED,
    HEADING,
    NEW,
    OTHER,
    RENUMBERED,
    REPEALED,
    UNCLEAR,
    parse_citation,
    parse_scope,
)
from helpers import TESTS, base_root, golden

FIXTURES = TESTS / "lawradar"
RESPONSES = FIXTURES / "responses"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def root(tmp_path):
    return base_root(tmp_path, {"legal.yaml": (FIXTURES / "root" / "legal.yaml").read_text(encoding="utf-8")})


def run(root, *args):
    result = CliRunner().invoke(main, ["law-radar", "--root", str(root), "--today", TODAY.isoformat(), *args])
    return result.exit_code, result.stdout, result.stderr


def offline_report(root, responses=RESPONSES):
    return lawradar.radar(load_handbook(root).handbook, lawradar.offline_fetch(responses), TODAY)


# --- The scope text ------------------------------------------------------------------------


def test_scope_reads_chapters_sections_ranges_and_verbs():
    touches = parse_scope(
        "upph. 18 kap 2 §; ändr. 4 kap 6, 13 §§, 15 kap 7-10 §§, 2 kap, rubr. närmast före "
        "7 kap 1 §, 9 p övergångsbest.; ny 16 kap. 2 a §; omtryck"
    )
    got = [
        (
            t.action,
            t.place.chapter if t.place else None,
            t.place.first if t.place else None,
            t.place.last if t.place else None,
        )
        for t in touches
    ]
    assert got == [
        (REPEALED, "18", (2, ""), (2, "")),
        (CHANGED, "4", (6, ""), (6, "")),
        (CHANGED, "4", (13, ""), (13, "")),
        (CHANGED, "15", (7, ""), (10, "")),
        (CHANGED, "2", None, None),
        (HEADING, "7", (1, ""), (1, "")),
        (OTHER, None, None, None),
        (NEW, "16", (2, "a"), (2, "a")),
        (OTHER, None, None, None),
    ]


def test_scope_renumbering_touches_the_old_and_the_new_number():
    touches = parse_scope("nuvarande 1 kap 2-8 §§ betecknas 1 kap 3-9 §§")
    assert [t.action for t in touches] == [RENUMBERED, RENUMBERED]
    assert touches[0].place.covers("1", (2, "")) and touches[1].place.covers("1", (9, ""))
    assert not touches[0].place.covers("1", (9, ""))


def test_an_a_section_is_not_its_neighbour_and_a_range_includes_a_sections():
    (new,) = parse_scope("ny 7 a §")
    assert not new.place.covers(None, (7, "")) and new.place.covers(None, (7, "a"))
    (span,) = parse_scope("ändr. 6 kap 9-12 §§")
    assert span.place.covers("6", (10, "a")) and not span.place.covers("6", (13, ""))


def test_scope_it_cannot_read_is_unclear_not_ignored():
    assert [t.action for t in parse_scope("ändrad på okänt sätt")] == [UNCLEAR]
    assert [t.action for t in parse_scope("ändr. paragrafen om x")] == [UNCLEAR]


def test_citations():
    assert parse_citation("11 kap. 1 a § första stycket") == ("11", (1, "a"))
    assert parse_citation("6 §") == (None, (6, ""))
    assert parse_citation("art. 13") is None and parse_citation("") is None


# --- Each case of the fixture ----------------------------------------------------------------


def verdict(report, provision: str) -> dict[str | None, str]:
    """{amending SFS: state} for one provision (None: a finding about no amendment, e.g. no baseline)."""
    return {f.amendment: f.state for f in report.findings if f.provision == provision}


def test_each_fixture_case_gets_its_verdict(root):
    report = offline_report(root)
    # An amendment to the cited section; 2024:50, the baseline, is not listed again.
    assert verdict(report, "lag-1") == {
        "2025:10": "reread",
        "2025:20": "elsewhere",
        "2025:30": "elsewhere",
        "2026:900": "elsewhere",
    }
    # Amendments to other sections, among them a new 7 a §, are listed and not alarmed.
    assert set(verdict(report, "annan-paragraf").values()) == {"elsewhere"}
    assert set(verdict(report, "ny-a-paragraf").values()) == {"elsewhere"}
    assert verdict(report, "omnumrerad")["2025:20"] == "reread"  # renumbering
    assert verdict(report, "kommande") == {"2025:20": "elsewhere", "2025:30": "elsewhere", "2026:900": "coming"}
    assert verdict(report, "utan-baslinje") == {None: "no-baseline"}
    assert verdict(report, "fel-baslinje") == {None: "no-baseline"}  # not among the act's amendments: a typo
    assert verdict(report, "kapitel-andrad") == {"2025:5": "reread"}
    assert verdict(report, "kapitel-intervall") == {"2025:5": "reread"}  # inside 6 kap 9-12 §§
    assert verdict(report, "kapitel-rubrik") == {"2025:5": "elsewhere"}  # only the heading before it
    assert verdict(report, "upphavd-lag") == {"2025:400": "reread"}  # repeal; its 2025:200 is the baseline
    assert verdict(report, "inga-andringar") == {}  # an act with no amendments
    assert verdict(report, "reservkalla") == {None: "reread"}  # register malformed; the Riksdag's t.o.m. is newer
    assert verdict(report, "ingen-kalla") == {} and verdict(report, "direktiv") == {}


def test_malformed_responses_are_problems_and_exit_3(root):
    report = offline_report(root)
    assert report.exit_code == lawradar.EXIT_SOURCE
    assert any("SFS 2009:400: Regeringskansliets SFS-register" in p and "okänt format" in p for p in report.problems)
    assert any(
        p.startswith("SFS 2005:716: ingen källa svarade; 1 lagrum kontrollerades inte (ingen-kalla)")
        for p in report.problems
    )


def test_a_repeal_in_the_future_is_coming(root):
    report = lawradar.radar(load_handbook(root).handbook, lawradar.offline_fetch(RESPONSES), dt.date(2025, 6, 1))
    (repeal,) = [f for f in report.findings if f.provision == "upphavd-lag"]
    assert repeal.state == "coming" and "upphävs genom SFS 2025:400 från 2025-07-01" in repeal.message


def test_a_provision_already_marked_repealed_is_not_alarmed(root):
    text = (FIXTURES / "root" / "legal.yaml").read_text(encoding="utf-8")
    text = text.replace("    title: Lagen är upphävd\n", "    title: Lagen är upphävd\n    status: repealed\n")
    (root / "legal.yaml").write_text(text, encoding="utf-8")
    assert verdict(offline_report(root), "upphavd-lag") == {}


def test_timeout_is_a_problem_not_a_pass(root):
    """A fetcher that times out (no socket): every act is a reported problem, nothing passes silently."""

    def timeout(url, recorded):
        raise lawradar.SourceError("gick inte att nå (TimeoutError)")

    report = lawradar.radar(load_handbook(root).handbook, timeout, TODAY)
    assert report.findings == [] and report.exit_code == lawradar.EXIT_SOURCE
    assert any("1990:52" in p and "TimeoutError" in p for p in report.problems)
    assert any(p.startswith("SFS 1990:52: ingen källa svarade; 7 lagrum") for p in report.problems)


def test_http_fetch_turns_a_timeout_into_a_source_error(monkeypatch):
    def slow(request, timeout):
        assert timeout == lawradar.TIMEOUT and "handbook-law-radar" in request.get_header("User-agent")
        raise urllib.error.URLError(TimeoutError("timed out"))

    monkeypatch.setattr(lawradar.urllib.request, "urlopen", slow)
    with pytest.raises(lawradar.SourceError, match="gick inte att nå \\(inget svar inom 20 sekunder"):
        lawradar.http_fetch(lawradar.REGISTER.format(sfs="1990:52"))


def test_no_amendments_after_the_baseline_exits_0(tmp_path):
    root = base_root(
        tmp_path,
        {
            "legal.yaml": (FIXTURES / "root" / "legal.yaml")
            .read_text(encoding="utf-8")
            .split("  - id: annan-paragraf")[0]
            .replace('consolidated_through: "2024:50"', 'consolidated_through: "2026:900"')
        },
    )
    code, out, err = run(root, "--offline", str(RESPONSES))
    assert (code, out) == (0, "Inga lagändringar efter det som lagrummen lästes mot.\n")


def test_riksdagen_uppgift_may_be_one_object_and_carries_the_repeal():
    text = json.dumps(
        {
            "dokumentstatus": {
                "dokument": {"beteckning": "2001:453", "subtitel": "t.o.m. SFS 2025:200"},
                "dokuppgift": {"uppgift": {"kod": "upphnr", "text": "SFS 2025:400"}},
            }
        }
    )
    act = lawradar.parse_riksdagen("2001:453", text)
    assert (act.through, act.repealed_by, act.amendments) == ("2025:200", "2025:400", None)
    with pytest.raises(lawradar.SourceError):
        lawradar.parse_riksdagen("2001:453", json.dumps({"dokumentstatus": {"dokument": {"beteckning": "1:1"}}}))


# --- The command ----------------------------------------------------------------------------


def test_report_matches_the_expected_text(root, request):
    code, out, err = run(root, "--offline", str(RESPONSES))
    assert code == lawradar.EXIT_SOURCE
    golden(FIXTURES / "expected.txt", out, request.config.getoption("--update-golden"))
    assert "6 lagrum att läsa om, 1 kommande ändringar" in err


def test_one_line_per_provision_to_reread_with_place_sfs_date_and_link(root):
    _, out, _ = run(root, "--offline", str(RESPONSES))
    assert (
        "legal.yaml:3: 6 § LVU (lag-1): SFS 2025:10 ändrar paragrafen (ändr. 6, 11 §§), i kraft sedan "
        "2025-07-01. https://rkrattsbaser.gov.se/sfsr?bet=1990:52"
    ) in out.splitlines()[1]


def test_json_and_data_file(root, tmp_path):
    data = tmp_path / "lawradar.json"
    code, out, _ = run(root, "--offline", str(RESPONSES), "--format", "json", "--data-out", str(data))
    parsed = json.loads(out)
    assert parsed == json.loads(data.read_text(encoding="utf-8"))
    assert parsed["counts"] == {"reread": 6, "coming": 1, "elsewhere": parsed["counts"]["elsewhere"], "no-baseline": 2}
    first = parsed["findings"][0]
    assert {k: first[k] for k in ("state", "provision", "file", "line", "amendment", "in_force")} == {
        "state": "reread",
        "provision": "lag-1",
        "file": "legal.yaml",
        "line": 3,
        "amendment": "2025:10",
        "in_force": "2025-07-01",
    }


def test_github_format_annotates_the_provision(root):
    _, out, _ = run(root, "--offline", str(RESPONSES), "--format", "github")
    assert out.startswith("::warning file=legal.yaml,line=3::legal.yaml:3: 6 § LVU (lag-1)")
    assert "::notice file=legal.yaml,line=43::" in out and "::error::SFS 2005:716" in out


def test_errors_in_legal_yaml_stop_the_radar(tmp_path):
    root = base_root(
        tmp_path,
        {
            "legal.yaml": (FIXTURES / "root" / "legal.yaml")
            .read_text(encoding="utf-8")
            .replace('consolidated_through: "2024:50"', "consolidated_through: 2024-100", 1)
        },
    )
    code, out, err = run(root, "--offline", str(RESPONSES))
    assert code == lawradar.EXIT_CANNOT_RUN and out == ""
    assert "legal.yaml:11:" in err and "[value-invalid]" in err and "SFS-nummer" in err


def test_missing_recording_is_reported_not_passed(root, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = run(root, "--offline", str(empty))
    assert code == lawradar.EXIT_SOURCE and "sfsr-1990-52.html saknas" in out


def test_fixture_responses_are_the_ones_used():
    used = {
        name
        for sfs in ("1990:52", "1962:700", "2001:453", "1994:137", "2009:400", "2005:716")
        for _, _, _, recorded, _ in lawradar.SOURCES
        for name in [recorded(sfs)]
    }
    assert {p.name for p in RESPONSES.iterdir()} <= used


# --- The page /redigera/lagandringar/ ---------------------------------------------------------


def radar_page(root, data) -> str:
    from handbook.render.pages import Renderer

    return Renderer(load_handbook(root).handbook, law_radar=data).pages()["redigera/lagandringar.md"]


def test_page_lists_the_data_file(root, tmp_path):
    data = tmp_path / "lawradar.json"
    run(root, "--offline", str(RESPONSES), "--data-out", str(data))
    page = radar_page(root, json.loads(data.read_text(encoding="utf-8")))
    assert "Senaste körningen: 2026-11-27." in page
    assert (
        "| `legal.yaml:3` | 6 § LVU | SFS 2025:10 ändrar paragrafen &#40;ändr. 6, 11 §§&#41;, i kraft sedan "
        "2025-07-01 | [källan](https://rkrattsbaser.gov.se/sfsr?bet=1990:52) |"
    ) in page
    assert "- `legal.yaml:43` 43 § LVU: SFS 2026:900" in page and "- `legal.yaml:53` 2 § LVU" in page
    assert "SFS 2005:716: ingen källa svarade" in page


def test_no_data_file_no_page(root):
    from handbook.render.pages import Renderer

    assert "redigera/lagandringar.md" not in Renderer(load_handbook(root).handbook).pages()


def test_page_escapes_and_tolerates_a_hostile_or_broken_data_file(root):
    hostile = {
        "checked_on": "<script>alert(1)</script>",
        "problems": ["[x](javascript:alert(1))", 3],
        "findings": [
            {
                "state": "reread",
                "file": "legal.yaml",
                "line": 1,
                "citation": "<b>6 §</b>",
                "message": "<img src=x onerror=alert(1)>",
                "url": "javascript:alert(1)",
            },
            "nonsens",
        ],
    }
    page = radar_page(root, hostile)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "](javascript" not in page and "(javascript" not in page  # text, never a link
    for broken in ("inte en lista", [], {"findings": "x", "problems": {"a": 1}}):
        assert "Inga. Inget lagrum behöver läsas om" in radar_page(root, broken)


def test_workflow_runs_weekly_commits_the_data_and_keeps_one_issue():
    import yaml

    from helpers import REPO

    workflow = yaml.safe_load((REPO / ".github/workflows/law-radar.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    runs = "\n".join(s.get("run", "") for s in workflow["jobs"]["radar"]["steps"])
    assert "handbook law-radar --format text --data-out lawradar.json" in runs
    assert "git add lawradar.json" in runs
    assert "gh issue list --label law-radar --state open" in runs and "gh issue edit" in runs
    assert "3) headline=" in runs and "okänt format" in runs  # a source problem is said in the issue


def test_the_readme_command_reproduces_the_expected_report():
    """The README's offline command, on the fixture root as it is committed."""
    from helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "handbook law-radar --root tests/lawradar/root --offline tests/lawradar/responses --today 2026-11-27"
    assert command in readme
    code, out, _ = run(FIXTURES / "root", "--offline", str(RESPONSES))
    assert code == lawradar.EXIT_SOURCE and out == (FIXTURES / "expected.txt").read_text(encoding="utf-8")


def _provision(section: str, baseline: str = "2024:50"):
    import dataclasses

    hb = load_handbook(FIXTURES / "root").handbook
    return dataclasses.replace(hb.provision("lag-1"), section=section, consolidated_through=baseline)


def _act(*amendments):
    return lawradar.Act(
        "1990:52",
        "register",
        lawradar.REGISTER.format(sfs="1990:52"),
        (lawradar.Amendment("2024:50", "ändr. 1 §", dt.date(2024, 7, 1)), *amendments),
    )


def test_an_amendment_without_scope_is_reread_not_passed():
    (finding,) = lawradar.judge(_provision("6 §"), _act(lawradar.Amendment("2026:1", "", None)), TODAY)
    assert finding.state == "reread" and "anger inte vilka paragrafer" in finding.message
    assert "datum för ikraftträdande saknas" in finding.message


def test_a_provision_without_a_section_is_reread_on_any_change_but_not_on_a_heading():
    act = _act(
        lawradar.Amendment("2026:1", "ändr. 40 §", dt.date(2026, 1, 1)),
        lawradar.Amendment("2026:2", "ändr. rubr. närmast före 40 §", dt.date(2026, 1, 1)),
    )
    found = {f.amendment: f.state for f in lawradar.judge(_provision(""), act, TODAY)}
    assert found == {"2026:1": "reread", "2026:2": "elsewhere"}


# --- The release gate reads the radar's last data file ---------------------------------------


def _release(root) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--release", "--today", TODAY.isoformat()])
    return result.exit_code, result.stdout


def test_release_names_the_provisions_the_last_run_marked_to_reread(root):
    """lawradar.json, as the weekly job commits it, turns each "to re-read" into a release blocker at the
    provision; a provision read against a text that includes the amendment is no longer named."""
    data = json.loads(lawradar.format_json(offline_report(root)))
    reread = {f["provision"] for f in data["findings"] if f["state"] == "reread"}
    assert "lag-1" in reread and "annan-paragraf" not in reread
    (root / "lawradar.json").write_text(json.dumps(data), encoding="utf-8")
    _, out = _release(root)
    named = {pid for pid in reread if f"({pid}) har ändrats" in out}
    assert named == {
        f["provision"]
        for f in data["findings"]
        if f["state"] == "reread" and load_handbook(root).handbook.provision(f["provision"]) is not None
    }
    assert "annan-paragraf) har ändrats" not in out

    amendment = next(f["amendment"] for f in data["findings"] if f["provision"] == "lag-1" and f["state"] == "reread")
    legal = root / "legal.yaml"
    text = legal.read_text(encoding="utf-8")
    start = text.index("  - id: lag-1")
    legal.write_text(
        text[:start]
        + text[start:].replace('consolidated_through: "2024:50"', f'consolidated_through: "{amendment}"', 1),
        encoding="utf-8",
    )
    _, out = _release(root)
    assert "(lag-1) har ändrats" not in out


def test_a_hostile_or_broken_data_file_never_breaks_the_gate(root):
    """The data file comes from the network: wrong types and unknown ids are ignored; text that is no JSON
    object is one placed problem, not a traceback."""
    (root / "lawradar.json").write_text(
        json.dumps(
            {
                "findings": [
                    "x",
                    {"state": "reread", "provision": "finns-inte"},
                    {"state": "reread", "provision": ["lag-1"]},
                    {"state": "reread", "provision": "lag-1", "amendment": "<script>"},
                ]
            }
        ),
        encoding="utf-8",
    )
    code, out = _release(root)
    assert code == 1 and "(lag-1) har ändrats." in out and "<script>" not in out and "finns-inte" not in out
    (root / "lawradar.json").write_text("[1, 2", encoding="utf-8")
    loaded = load_handbook(root)
    assert loaded.law_radar is None
    assert [(p.file, p.code) for p in loaded.problems] == [("lawradar.json", "value-invalid")]

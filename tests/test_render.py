"""Golden pages: the fixture handbook renders to exactly the committed Markdown.

`pytest --update-golden` rewrites tests/golden/; review the diff like any content change.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from handbook.check import check_handbook
from handbook.load import load_handbook
from handbook.render.attachments import static_files
from handbook.render.pages import Renderer, fill_markers, local_settings
from handbook.site.config import read_config
from helpers import TESTS, TODAY, golden

FIXTURE = TESTS / "fixture-handbook"
GOLDEN = TESTS / "golden"
# The fixture's words for its own place (mkdocs.yml extra), read as `handbook render` reads them.
LOCAL = local_settings(read_config(FIXTURE / "mkdocs.yml").get("extra"))


@pytest.fixture(name="handbook", scope="module")
def _fixture_handbook():
    loaded = load_handbook(FIXTURE)
    assert loaded.problems == []
    return loaded.handbook


def test_pages_are_the_golden_ones(handbook, update_golden):
    """Every generated page equals its golden file, and no golden file is left over."""
    pages = Renderer(handbook, local=LOCAL).pages()
    for path, markdown in pages.items():
        golden(GOLDEN / path, markdown, update_golden)
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert on_disk == set(pages)


def test_attachments_are_the_golden_ones(handbook, update_golden):
    """Redirect pages, vCard and CSV equal their golden files."""
    for path, text in static_files(handbook).items():
        golden(GOLDEN / "attachments" / path, text, update_golden)


def test_call_now_card(handbook, update_golden):
    """The start page marker becomes the who-to-call-now card, with holidays made at build time."""
    page = fill_markers("# Start\n\n<!-- handbook:ring-nu -->\n", handbook, "index.md", dt.date(2026, 11, 27))
    assert '"2026-12-24"' in page and '"2027-06-25"' in page  # julafton and midsommarafton, de facto holidays
    golden(GOLDEN / "call-now.txt", page, update_golden)


def test_abbreviations_only_those_used(handbook):
    """A page carries the definitions of the abbreviations it uses, and no others."""
    from handbook.render.pages import abbreviations

    assert abbreviations(handbook, "Beslut enligt 6 § LVU.") == (
        "\n\n*[LVU]: Lag med särskilda bestämmelser om vård av unga\n"
    )
    assert abbreviations(handbook, "Inga förkortningar här. LVUX är inte LVU-lik") == (
        "\n\n*[LVU]: Lag med särskilda bestämmelser om vård av unga\n"
    )
    assert abbreviations(handbook, "Ingenting.") == ""


def _without_phones(handbook, contact_id: str):
    """The handbook with one contact's numbers taken away (a contact the handbook has no number for)."""
    import dataclasses

    from handbook.core.model import Handbook

    contacts = [dataclasses.replace(c, phones=[]) if c.id == contact_id else c for c in handbook.contacts]
    return Handbook(
        routines=handbook.routines,
        provisions=handbook.provisions,
        contacts=contacts,
        terms=handbook.terms,
        roles=handbook.roles,
        call_now=handbook.call_now,
    )


def _card(markdown: str, contact_id: str) -> str:
    start = markdown.index(f'<span id="kontakt-{contact_id}"></span>')
    return markdown[start : markdown.index("</div>", start)]


def test_missing_number_is_neutral_by_default_and_said_once(handbook):
    """Without config a missing number is the engine's neutral sentence with the contact's website, said once on
    the routine page (in the contact's card, never in the steps) and never sending the reader to the police."""
    from handbook.render.pages import Renderer

    hb = _without_phones(handbook, "polisen")
    page = Renderer(hb).pages()["rutiner/akut-skydd.md"]
    assert page.count("Numret saknas i handboken.") == 1
    card = _card(page, "polisen")
    assert 'Numret saknas i handboken. Webbplats: <a href="https://polisen.se">polisen.se</a>.' in card
    assert "114 14" not in card and "stadens växel" not in page


def test_missing_number_names_the_configured_contact(handbook):
    """extra.missing_number's text and contact: the contact's number is given, for the kinds listed only."""
    from handbook.render.pages import Renderer, missing_number_setting

    setting = missing_number_setting(
        {
            "missing_number": {
                "text": "Numret finns inte här.",
                "contact": "socialjouren",
                "ask": "Fråga",
                "kinds": ["authority"],
            }
        }
    )
    hb = _without_phones(handbook, "polisen")
    card = _card(Renderer(hb, missing_number=setting).pages()["rutiner/akut-skydd.md"], "polisen")
    assert "Numret finns inte här." in card
    assert (
        'Fråga: <a href="../../kontakter/#socialjouren">Socialjouren Stockholm</a>, <a href="tel:+46850800000">' in card
    )
    other_kind = missing_number_setting({"missing_number": {"contact": "socialjouren", "kinds": ["ngo"]}})
    card = _card(Renderer(hb, missing_number=other_kind).pages()["rutiner/akut-skydd.md"], "polisen")
    assert "Socialjouren" not in card.split("Numret saknas", 1)[1]
    excepted = missing_number_setting({"missing_number": {"contact": "socialjouren", "except": ["polisen"]}})
    card = _card(Renderer(hb, missing_number=excepted).pages()["rutiner/akut-skydd.md"], "polisen")
    assert "Socialjouren" not in card.split("Numret saknas", 1)[1]


@pytest.mark.parametrize(
    "extra",
    [
        {"missing_number": {"text": "Ring växeln:", "contact": "finns-inte"}},
        {"missing_number": "en sträng"},
        {"missing_number": {"text": 5}},
        None,
    ],
)
def test_missing_number_falls_back_to_the_neutral_text(handbook, extra):
    """A contact id that does not exist (or a value of the wrong type) gives the neutral text, not half a sentence."""
    from handbook.render.pages import Renderer, missing_number_setting

    hb = _without_phones(handbook, "polisen")
    card = _card(Renderer(hb, missing_number=missing_number_setting(extra)).pages()["rutiner/akut-skydd.md"], "polisen")
    assert "Numret saknas i handboken. Webbplats:" in card and "växeln" not in card


def test_start_page_lists_every_routine_and_says_draft_in_one_line(handbook):
    """The routine marker lists every routine; the publication marker is one line linking to the blockers' page."""
    from handbook.core.problems import Problem
    from handbook.render.pages import Renderer

    blockers = [Problem("contacts.yaml", 1, 1, "error", "x", f"Sak {n}") for n in range(3)]
    page = fill_markers(
        "<!-- handbook:rutiner -->\n\n<!-- handbook:publicering -->\n",
        Renderer(handbook, blockers=blockers),
        "index.md",
        dt.date(2026, 11, 27),
    )
    for routine in handbook.routines:
        assert f"(rutiner/{routine.id}.md)" in page
    assert "Sak 0" not in page and page.count('href="redigera/publicering/"') == 1
    assert "3 saker återstår" in page


@pytest.mark.parametrize(
    "html, line",
    [
        ("<p>Första meningen. Andra.</p>", "Första meningen."),
        (
            "<ul>\n<li>Ring <strong>112</strong> om barnet är i fara. Mer.</li>\n<li>b</li>\n</ul>",
            "Ring <strong>112</strong> om barnet är i fara.",
        ),
        (
            "<p>Det här ska du <strong>inte</strong> göra:</p>\n<ul>\n<li>Lämna inte över barnet. Sedan.</li>\n</ul>",
            "Det här ska du <strong>inte</strong> göra: Lämna inte över barnet.",
        ),
    ],
)
def test_short_version_gives_every_step_an_essential_line(html, line):
    """A step that starts with a list, or with a lead-in ending in a colon, is never a bare title."""
    from handbook.render.pages import essential_line

    assert essential_line(f'<div class="hb-prose">\n{html}\n</div>') == line


def test_missing_number_setting_is_read_from_mkdocs_and_mkdocs_own_config():
    """mkdocs.yml names the city's switchboard for the city's own units; MkDocs' `extra` (a Mapping, not a dict,
    in `make serve`) is read the same way."""
    from collections import UserDict

    from handbook.render.pages import missing_number_setting
    from handbook.render.tree import site_options
    from handbook.site.config import read_config
    from helpers import REPO

    setting = site_options(read_config(REPO / "mkdocs.yml")).missing_number
    assert setting.contact == "kontakt-stockholm" and set(setting.kinds) == {"city-unit", "district"}
    assert "114" not in setting.text + setting.ask
    assert missing_number_setting(UserDict({"missing_number": {"contact": "x"}})).contact == "x"


def test_next_step_is_named_only_when_the_order_does_not_say_it():
    """A step whose one unconditional next step is the step right below gets no "Nästa steg" line (the page's
    order says it); the last step still says that the routine ends."""
    from handbook.render.pages import Renderer
    from helpers import BASE

    hb = load_handbook(BASE).handbook
    page = Renderer(hb).routine(hb.routine("rutin-a"))
    first, second = page.split("### 1. ")[1].split("### 2. ")
    assert "Nästa steg" not in first  # forsta -> andra, the step right below
    assert "**Nästa steg:** Rutinen slutar här." in second


def test_a_role_link_in_prose_links_to_the_role_page(tmp_path):
    """[](roll:id) and [text](roll:id) in a step's instructions link to the role's page, the empty one named by
    the role. (Render crashed on the empty one with an AttributeError: the link text was taken from a `term`.)"""
    root = tmp_path / "handbook"
    shutil.copytree(FIXTURE, root)
    (root / "roles.yaml").write_text(
        "roles:\n  - id: socialjouren\n    name: Socialjouren\n    description: Stadens socialjour.\n", encoding="utf-8"
    )
    routine = root / "routines" / "akut-skydd.yaml"
    routine.write_text(
        routine.read_text(encoding="utf-8").replace(
            "instructions: Ring [polisen](kontakt:polisen).",
            "instructions: Ring [polisen](kontakt:polisen). Fråga [](roll:socialjouren) eller "
            "[jouren](roll:socialjouren).",
        ),
        encoding="utf-8",
    )
    loaded = load_handbook(root)
    assert [p for p in check_handbook(loaded, TODAY) if p.severity == "error"] == []
    pages = Renderer(loaded.handbook, "", True, []).pages()
    assert "roller/socialjouren.md" in pages
    page = pages["rutiner/akut-skydd.md"]
    assert '<a href="../../roller/socialjouren/">Socialjouren</a>' in page
    assert '<a href="../../roller/socialjouren/">jouren</a>' in page


def test_a_page_made_only_with_its_data_gets_into_the_nav():
    """The law radar's page exists only once lawradar.json does; a strict build refuses a page in no nav, so
    render puts it after its folder's pages (or last), and leaves a nav that names it alone."""
    from handbook.core.paths import PAGE
    from handbook.render.pages import with_occasional_pages

    radar = PAGE["law-radar"].path
    nav = [{"Start": "index.md"}, {"Om": [{"Så": "redigera/index.md"}, "redigera/regler.md", "om.md"]}]
    assert with_occasional_pages(nav, {radar: "x"}) == [
        {"Start": "index.md"},
        {"Om": [{"Så": "redigera/index.md"}, "redigera/regler.md", radar, "om.md"]},
    ]
    assert nav[1]["Om"] == [{"Så": "redigera/index.md"}, "redigera/regler.md", "om.md"]  # not changed in place
    assert with_occasional_pages(nav, {}) == nav
    assert with_occasional_pages([{"Start": "index.md"}], {radar: "x"}) == [{"Start": "index.md"}, radar]
    named = [{"Start": "index.md"}, {"Lagändringar": radar}]
    assert with_occasional_pages(named, {radar: "x"}) == named

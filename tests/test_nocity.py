"""No city in the engine: a handbook whose content and config name no place gets a site that names none.

A city's own words (the heading of its units, the numbers at the top of a short version, which routine the
search puts first) live in its content and in mkdocs.yml `extra:` (contact_kinds, urgent_numbers,
search_boost, missing_number); the engine's defaults are neutral.
"""

from __future__ import annotations

import re
import shutil
from collections import UserDict

import yaml

from handbook.render.pages import CONTACT_KINDS, URGENT, field_tables, local_settings
from handbook.render.tree import site_options
from handbook.site.config import read_config
from handbook.site.output import render_out
from helpers import REPO, TESTS, TODAY

# What the Stockholm handbook says and the engine must not, whatever handbook it renders.
CITY_WORDS = re.compile(r"stockholm|socialjouren|ungdomsjouren|114 14|11414|forsta-atgarder", re.IGNORECASE)
# The IANA name of Sweden's time zone, the one time the call-now card counts opening hours in: the country's
# legal time, not a city's. The only place a city's name may stand in the engine's output.
SWEDISH_TIME_ZONE = "Europe/Stockholm"
# The data model's example values (core/model.py), as the field reference (/redigera/falt/) shows them: examples
# of how a value is written, which may come from any handbook.
EXAMPLES = sorted(
    {f"`{row['example']}`" for table in field_tables() for row in table["fields"] if isinstance(row["example"], str)},
    key=len,
    reverse=True,
)
# The fixture handbook made neutral: its content names Stockholm's services and the police's 114 14.
NEUTRAL = [
    ("Socialjouren Stockholm", "Jouren i Exempelby"),
    ("socialjouren@stockholm.se", "jouren@exempelby.se"),
    ("Socialjouren", "Jouren"),
    ("socialjouren", "jouren"),
    ("Stockholm", "Exempelby"),
    ("114 14", "113 13"),
]


def neutral_handbook(tmp_path):
    """A copy of tests/fixture-handbook whose content and mkdocs.yml name no city."""
    root = tmp_path / "exempelby"
    shutil.copytree(TESTS / "fixture-handbook", root)
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for city, neutral in NEUTRAL:
                text = text.replace(city, neutral)
            path.write_text(text, encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"] = {"generator": False}  # the engine's defaults only
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for path in root.rglob("*"):
        assert not path.is_file() or not CITY_WORDS.search(path.read_text(encoding="utf-8")), path
    return root


def test_a_handbook_that_names_no_city_gets_a_site_that_names_none(tmp_path):
    """`handbook render` of a neutral handbook: no page, attachment, script, stylesheet, theme partial or builder
    config names Stockholm, its night services, the police's non-emergency number or one of its routines."""
    out = tmp_path / "out"
    rendered = render_out(neutral_handbook(tmp_path), out, "mkdocs.yml", TODAY)
    assert rendered.config is not None, [str(p) for p in rendered.problems]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 20 and (out / "docs/kortversion/akut-skydd.md").is_file()
    found = {}
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace").replace(SWEDISH_TIME_ZONE, "")
        for example in EXAMPLES if path.name == "falt.md" else []:
            text = text.replace(example, "")
        found.update({f"{path.relative_to(out)}:{m.start()}": m.group() for m in CITY_WORDS.finditer(text)})
    assert found == {}
    # What the engine says instead: its neutral heading, and 112 alone at the top of a short version.
    assert "## Kommunen\n" in (out / "docs/kontakter.md").read_text(encoding="utf-8")
    short = (out / "docs/kortversion/akut-skydd.md").read_text(encoding="utf-8")
    assert '<p class="hb-short-urgent"><strong>Akut fara: ring <a href="tel:112">112</a>.</strong> <a ' in short


def test_the_citys_words_are_read_from_its_mkdocs_yml():
    """mkdocs.yml (and the offline edition, which inherits it) gives the Stockholm site its words, as before."""
    for config in ["mkdocs.yml", "mkdocs-offline.yml"]:
        local = site_options(read_config(REPO / config)).local
        assert local.contact_kinds == {**CONTACT_KINDS, "city-unit": "Stockholms stad"}
        assert local.search_boost == {"forsta-atgarder": 3}
        assert [(u.text, u.display, u.tel) for u in local.urgent] == [
            ("Akut fara: ring", "112", "tel:112"),
            ("Polisen i övrigt:", "114 14", "tel:11414"),
        ]


def test_a_setting_of_the_wrong_kind_is_left_at_the_engines_default():
    """Like extra.missing_number: what the engine cannot use is left out, never shown half-read."""
    assert local_settings(None).urgent == URGENT and local_settings(None).search_boost == {}
    local = local_settings(
        UserDict(
            {  # MkDocs' own config gives extra as a Mapping, not a dict
                "contact_kinds": {"city-unit": "  Exempelby\n kommun ", "district": 3, "unknown-kind": "X"},
                "search_boost": {"a": 2, "b": 0, "c": True, "d": "hög", "e": float("inf"), "f": 0.5},
                "urgent_numbers": [
                    {"text": "Ring", "number": 112},
                    {"text": "Ring", "number": "ett nummer"},
                    {"text": "", "number": "112"},
                    "112",
                    {"text": "Jouren:", "number": "08-123 456 78"},
                ],
            }
        )
    )
    assert local.contact_kinds == {**CONTACT_KINDS, "city-unit": "Exempelby kommun"}
    assert local.search_boost == {"a": 2, "f": 0.5}
    assert [(u.text, u.display, u.tel) for u in local.urgent] == [
        ("Ring", "112", "tel:112"),
        ("Jouren:", "08-123 456 78", "tel:+46812345678"),
    ]
    assert local_settings({"urgent_numbers": []}).urgent == ()  # a handbook may name no number at all
    assert local_settings({"urgent_numbers": "112", "contact_kinds": ["x"], "search_boost": 3}) == local_settings({})

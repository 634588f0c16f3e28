"""The engine's scripts (handbook/render/assets/*.js) read without a browser: what the DOM contract promises
(ARCHITECTURE.md, "The engine's DOM contract") that a look at the source can prove.

The browser tests prove the behaviour (tests/browser/test_districts_and_roles.py opens pages with malformed
address fragments and fails on any page error; test_hostile.py puts a fake call chain before the card); these
tests keep the source from drifting back to what those tests would only catch in the case they try.
"""

from __future__ import annotations

import re

import pytest

from handbook.render.tree import SCRIPTS
from handbook.site.output import PACKAGE_ASSETS

ASSETS = sorted(PACKAGE_ASSETS.glob("*.js"))
HANDBOOK_JS = PACKAGE_ASSETS / "handbook.js"
STRING = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
# Every DOM call that takes a CSS selector.
SELECTOR_CALL = re.compile(r"\.(?:querySelector|querySelectorAll|closest|matches)\(")
LITERAL_SELECTOR_CALL = re.compile(r"\.(?:querySelector|querySelectorAll|closest|matches)\(\s*" + STRING + r"\s*\)")


def _code(path) -> str:
    """The script without its comments (a comment may mention anything)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", text)


def test_the_engines_scripts_are_all_checked():
    assert {p.name for p in ASSETS} >= {s.rsplit("/", 1)[1] for s in SCRIPTS} | {"search.js"}


@pytest.mark.parametrize("path", ASSETS, ids=lambda p: p.name)
def test_every_selector_is_a_literal(path):
    """No selector is built from anything: not from the address (#fragment, ?roll=, ?stadsdel=), not from data.
    An element the address names is found with getElementById and compared, never with a selector."""
    code = _code(path)
    calls = [code[m.start() : code.find("\n", m.start())] for m in SELECTOR_CALL.finditer(code)]
    literal = [m.group() for m in LITERAL_SELECTOR_CALL.finditer(code)]
    assert calls and len(literal) == len(calls), [c for c in calls if not LITERAL_SELECTOR_CALL.match(c)]


@pytest.mark.parametrize("path", ASSETS, ids=lambda p: p.name)
def test_no_data_in_the_scripts(path):
    """Holidays, numbers and the call chain come from the page (the card's own JSON element), never from the
    script: no date, no number to dial, no contact in the source."""
    code = _code(path)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", code)
    assert not re.search(r"tel:\+?\d|\+46|\b1\d{2} ?\d{2,3}\b", code)
    assert not re.search(r"polisen|jour", code, re.IGNORECASE)


def test_the_call_chain_is_read_only_from_the_cards_own_json_element():
    code = _code(HANDBOOK_JS)
    assert code.count("JSON.parse(") == 1 and "JSON.parse(own[0].textContent)" in code
    assert 'getElementById("hb-call-now' not in code and "fetch(" not in code


def test_each_feature_starts_on_its_own_and_the_page_is_marked_ready_after_all():
    """init() starts every feature through each() (one that throws leaves the others working), then sets
    html[data-hb-ready], which the browser tests wait for."""
    code = _code(HANDBOOK_JS)
    body = re.search(r"function init\(\) \{(.*?)\n  \}", code, re.DOTALL).group(1)
    started = re.fullmatch(
        r"\s*each\(\[([\w,\s]+)\], document\);\s*"
        r"document\.documentElement\.setAttribute\(\"data-hb-ready\", \"\"\);\s*",
        body,
    )
    assert started, body
    features = [name.strip() for name in started.group(1).split(",")]
    assert len(features) >= 9 and all(f"function {name}(root)" in code for name in features)
    each = re.search(r"function attempt\(feature, root\) \{(.*?)\n  \}", code, re.DOTALL).group(1)
    assert "try {" in each and "catch (e)" in each
    # Events after the start go through the same guard: the address changing, printing, the card's minute.
    for handler in ("hashchange", "beforeprint", "afterprint"):
        start = code.index(f'addEventListener("{handler}"')
        assert "each([" in code[start : code.index("});", start)], handler
    assert code.count("attempt(card.hbUpdate)") == 3

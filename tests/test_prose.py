"""The prose fast path (core/prose.Prose.plain) gives exactly what Markdown and the sanitiser give, and what one
Prose keeps for the next is what the next would render."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from handbook.core.prose import Prose, inspect
from handbook.core.walk import values
from handbook.load import load_handbook
from helpers import REPO

GLOSSARY = {"LVU": "Lag med särskilda bestämmelser om vård av unga", "BBIC": "Barns behov i centrum"}
# Everyday Swedish prose and everything Markdown or the sanitiser reads, so both sides of the fast path are hit.
ALPHABET = st.sampled_from(
    list("abcåäöABCÅÄÖ019 .,;:?()-–\"'/%§=+\u00a0") + list("\\`*_[]<>&#|!~{}\n\t\u2028") + ["LVU", "BBIC", "1. "]
)


def slow(text: str) -> str:
    """The full path alone: Markdown, then the sanitiser (never the memory of an earlier Prose)."""
    return Prose(GLOSSARY).full(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(ALPHABET, max_size=30).map("".join))
@example("Ring 114\u00a014 nu.")
@example("1990. Lagen")
@example("- inte en lista")
@example("Se LVU.")
@example(" inledande mellanslag")
@example("Två rader\nhär")
@example("slut med radbrytning\n")
def test_the_fast_path_gives_what_markdown_and_the_sanitiser_give(text):
    assert Prose(GLOSSARY).html(text) == slow(text)


def test_the_fast_path_is_taken_for_plain_prose_and_not_for_markup():
    prose = Prose(GLOSSARY)
    assert prose.plain("Ring polisen (112) och säg: barnet är borta.\n") is not None
    for text in ("Ring *nu*.", "Se [lagen](lagrum:lvu-6).", "1. Ett", "Enligt LVU.", "a\nb", "x &amp; y"):
        assert prose.plain(text) is None, text


def test_every_text_of_the_real_handbook_renders_the_same_either_way():
    hb = load_handbook(REPO).handbook
    glossary = {t.abbreviation: t.term for t in hb.terms if t.abbreviation}
    fast, full = Prose(glossary), Prose(glossary)
    texts = {v.value for v in values(hb) if isinstance(v.value, str) and v.value.strip()}
    taken = sum(fast.plain(t) is not None for t in texts)
    assert taken > 0
    assert [t for t in texts if fast.html(t) != full.full(t)] == []


def _unrenderable(text: str) -> str:
    raise AssertionError(f"rendered again: {text!r}")


def test_the_next_prose_reuses_what_the_last_rendered():
    """make serve renders the whole handbook on every save: an unchanged text is not rendered again."""
    texts = ["Ring *nu*.", "Se LVU.", "Ring polisen."]
    prose = Prose(GLOSSARY)
    first = [prose.html(t) for t in texts]
    again = Prose(dict(GLOSSARY))
    again.full = _unrenderable  # type: ignore[method-assign]
    again.plain = _unrenderable  # type: ignore[method-assign]
    assert [again.html(t) for t in texts] == first


def test_the_memory_follows_the_glossary():
    """The same text under another glossary (a title changed, an abbreviation added) is rendered again."""
    assert 'title="Lag med' in Prose(GLOSSARY).html("Se LVU.")
    changed = Prose({**GLOSSARY, "LVU": "Lagen om vård av unga"}).html("Se LVU.")
    assert 'title="Lagen om vård av unga"' in changed and "Lag med" not in changed
    assert "<abbr" not in Prose({}).html("Se LVU.")
    assert 'title="Lag med' in Prose(GLOSSARY).html("Se LVU.")


def test_inspect_is_kept_by_text_and_kind():
    """inspect keeps its parses for the process: a changed text, or the same text as a page, is parsed anew, and a
    caller's changes to what it got do not reach the next caller."""
    assert inspect("Ring <b>nu</b>.").findings[0].kind == "raw-html"
    assert inspect("Ring nu.").findings == []
    heading = "## Steg {: #steg }\n"
    assert inspect(heading, page=True).names == [("id", "steg")]
    assert inspect(heading).names == [] and inspect(heading).findings
    got = inspect("Se [lagen](https://example.org/).")
    got.links.clear()
    assert inspect("Se [lagen](https://example.org/).").links == ["https://example.org/"]

"""The prose fast path (core/prose.Prose.plain) gives exactly what Markdown and the sanitiser give."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from handbook.core.prose import Prose
from handbook.core.walk import values
from handbook.load import load_handbook
from helpers import REPO

GLOSSARY = {"LVU": "Lag med särskilda bestämmelser om vård av unga", "BBIC": "Barns behov i centrum"}
# Everyday Swedish prose and everything Markdown or the sanitiser reads, so both sides of the fast path are hit.
ALPHABET = st.sampled_from(
    list("abcåäöABCÅÄÖ019 .,;:?()-–\"'/%§=+\u00a0") + list("\\`*_[]<>&#|!~{}\n\t\u2028") + ["LVU", "BBIC", "1. "]
)


def slow(text: str) -> str:
    """The full path alone: Markdown, then the sanitiser."""
    prose = Prose(GLOSSARY)
    prose.plain = lambda text: None  # type: ignore[method-assign]
    return prose.html(text)


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
    full.plain = lambda text: None  # type: ignore[method-assign]
    texts = {v.value for v in values(hb) if isinstance(v.value, str) and v.value.strip()}
    taken = sum(fast.plain(t) is not None for t in texts)
    assert taken > 0
    assert [t for t in texts if fast.html(t) != full.html(t)] == []

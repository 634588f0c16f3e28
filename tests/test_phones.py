"""Phone values: one number, nothing else, and every tel: dials exactly what it shows.

Property-based (hypothesis, derandomized, no database, no deadline: never fails by chance or timing).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.core.phones import digits, parse_phone

SAME_RUN = settings(derandomize=True, database=None, deadline=None, max_examples=400)

# What an editor might type into a phone field, well-meant or hostile.
ALPHABET = st.sampled_from(list("0123456789 0123456789-+/,.()aAnkext²³¹０８١٢#*;\t"))
TEXT = st.text(ALPHABET, min_size=1, max_size=24)
# Numbers as written in Sweden: area code and subscriber digits in groups.
GROUP = st.text(st.sampled_from("0123456789"), min_size=1, max_size=4)
WRITTEN = st.builds(
    lambda area, groups, sep: "0" + area + sep + " ".join(groups),
    st.sampled_from(["8", "20", "31", "40", "771", "90", "11", "13"]),
    st.lists(GROUP, min_size=1, max_size=4),
    st.sampled_from(["-", " ", ""]),
)


def dialled_as_shown(text: str) -> None:
    """The tel: link and the display carry the same digits, and those are the digits the editor wrote."""
    info = parse_phone(text)
    if info is None:
        return
    tel = info.tel.removeprefix("tel:")
    written, shown = digits(text), digits(info.display)
    if tel.startswith("+"):
        national = "46" + written[1:] if written.startswith("0") else written
        assert tel[1:] == national, (text, info)
        assert ("46" + shown[1:] if shown.startswith("0") else shown) == tel[1:], (text, info)
    else:  # a short number: dialled as written, never with a country code
        assert tel == written == shown and not text.strip().startswith("+"), (text, info)
    assert info.display.strip() == info.display and "\n" not in info.display


@SAME_RUN
@given(TEXT)
def test_any_text_dials_what_it_shows(text):
    dialled_as_shown(text)


@SAME_RUN
@given(WRITTEN)
def test_written_numbers_dial_what_they_show(text):
    dialled_as_shown(text)


@SAME_RUN
@given(
    st.sampled_from(["112", "114 14", "08-508 00 000", "020-39 00 00"]),
    st.sampled_from([" ank. 2", " / 112", ", 112", " ext. 5", "²", " växel", "a", ";", " (2)", "#5"]),
)
def test_a_number_with_anything_after_it_is_refused(number, tail):
    assert parse_phone(number + tail) is None


@pytest.mark.parametrize(
    "text",
    [
        "114 14 ank. 2",
        "114 14 / 112",
        "+46 114 14",
        "114 14, 112",
        "114 14 ext. 5",
        "etthundratolv",
        "08-508 00 000²",
        "０８-５０８ ００ ０００",
        "١١٢",
        "8-508 00 000",
        "0046 8 508 00 000",
        "",
    ],
)
def test_guesses_are_refused(text):
    assert parse_phone(text) is None


@pytest.mark.parametrize(
    "text, tel",
    [
        ("112", "tel:112"),
        ("114 14", "tel:11414"),
        ("116 111", "tel:116111"),
        ("08-508 00 000", "tel:+46850800000"),
        ("+46 8 508 00 000", "tel:+46850800000"),
        ("020-39 00 00", "tel:+4620390000"),
        ("+44 20 7946 0958", "tel:+442079460958"),
    ],
)
def test_real_numbers_are_accepted(text, tel):
    assert parse_phone(text).tel == tel

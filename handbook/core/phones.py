"""Phone numbers: parsed and validated with the phonenumbers library (region SE).

Used by the check (is it a number?) and by render (display form and tel: link).

A value is one number and nothing else. The library is lenient: it reads letters as a vanity
number ("ank. 2" becomes digits), glues two numbers together and drops a country code in front of a
short number. So the written form is held to digits, spaces and hyphens (a + only first), and the
parsed number must dial exactly the digits that were written; anything the library would have to
guess at is refused rather than shown as a number nobody wrote.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo

# ASCII digits only: \d would accept other scripts' digits, which the library silently converts.
WRITTEN = re.compile(r"\+?[0-9]+(?:[ -][0-9]+)*")
SWEDEN = 46


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    display: str  # as a Swedish reader expects it
    tel: str  # the href: E.164 for ordinary numbers, bare digits for short numbers such as 112


def digits(text: str) -> str:
    """The ASCII digits of a text, in order (what a tel: link dials, without its +)."""
    return re.sub(r"[^0-9]", "", text)


@functools.cache
def parse_phone(text: str) -> PhoneInfo | None:
    """Parse one number as written in Sweden (or in +country form); None when it is not exactly one valid number."""
    if not WRITTEN.fullmatch(text.strip()):
        return None
    text = " ".join(text.split())
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        return None
    if shortnumberinfo.is_valid_short_number(number):
        # 112, 114 14, 116 111: dialled as written, so never with a country code in front.
        return None if text.startswith("+") else PhoneInfo(text, f"tel:{digits(text)}")
    if not phonenumbers.is_valid_number(number) or number.italian_leading_zero:
        return None
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == SWEDEN
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    info = PhoneInfo(
        phonenumbers.format_number(number, style),
        "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
    )
    return info if _dials_as_written(text, info) else None


def _dials_as_written(text: str, info: PhoneInfo) -> bool:
    """The tel: link dials the written digits (a national 0 becomes +46) and shows the same number."""
    written = digits(text)
    national = "46" + written[1:] if not text.startswith("+") and written.startswith("0") else written
    if text.startswith("+"):
        expected = written
    elif written.startswith("0"):
        expected = national
    else:
        return False  # a Swedish number without its leading 0 (or an area code) is a guess
    dialled = info.tel.removeprefix("tel:+")
    shown = digits(info.display)
    shown = "46" + shown[1:] if shown.startswith("0") else shown
    return dialled == expected and shown == expected

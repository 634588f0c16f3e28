"""Phone numbers: parsed and validated with the phonenumbers library (region SE).

Used by the check (is it a number?) and by render (display form and tel: link).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    display: str  # as a Swedish reader expects it
    tel: str  # the href: E.164 for ordinary numbers, bare digits for short numbers such as 112


@functools.cache
def parse_phone(text: str) -> PhoneInfo | None:
    """Parse a number as written in Sweden (or in +country form); None when it is not a valid number."""
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        return None
    if shortnumberinfo.is_valid_short_number(number):
        # 112, 114 14, 116 111: keep the writer's grouping; dial the digits as they are.
        digits = re.sub(r"\D", "", text)
        return PhoneInfo(" ".join(text.split()), f"tel:{digits}")
    if not phonenumbers.is_valid_number(number):
        return None
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 46
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return PhoneInfo(phonenumbers.format_number(number, style),
                     "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))

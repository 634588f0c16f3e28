"""kontakter.vcf: a value with a line break can never forge a property or a second card."""

from __future__ import annotations

import dataclasses

from handbook.load import load_handbook
from handbook.render.attachments import vcard
from helpers import BASE

FORGED = "https://start.stockholm/\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Falsk\r\nTEL:0700000000"


def test_a_line_break_in_a_url_or_email_forges_nothing():
    hb = load_handbook(BASE).handbook
    enhet = hb.contact("enhet")
    forged = dataclasses.replace(enhet, web=FORGED, email="a@b.se\nTEL:0700000000")
    hb = dataclasses.replace(hb, contacts=[forged, *hb.contacts[1:]])
    card = vcard(hb)
    assert card.count("BEGIN:VCARD") == len(hb.contacts)
    assert "Falsk" not in card and "0700000000" not in card
    assert all(
        line.split(":")[0].split(";")[0] in {"BEGIN", "VERSION", "FN", "ORG", "TEL", "EMAIL", "URL", "NOTE", "END"}
        for line in card.split("\r\n")
        if line
    )

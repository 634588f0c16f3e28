"""Full-page screenshots of the start page and a routine page, desktop and 360 px phone, for people to look at.

They land in tests/_artifacts/ (gitignored). The clock is fixed to a weekday noon so the
who-to-call-now card always looks the same. The test checks they are real PNGs of the whole page
and that nothing on the page forces sideways scrolling.
"""

from __future__ import annotations

import datetime as dt
import struct
from zoneinfo import ZoneInfo

import pytest

from helpers import REPO

ARTIFACTS = REPO / "tests" / "_artifacts"
PAGES = {"start": "", "rutin": "rutiner/forsta-atgarder/"}
WIDTHS = {"desktop": 1280, "phone": 360}
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("page_name", PAGES)
def test_full_page_screenshot(page, site_url, recorder, page_name, width_name):
    """The full-page screenshot is a non-empty PNG as wide as the viewport and taller than one screen."""
    width = WIDTHS[width_name]
    page.set_viewport_size({"width": width, "height": 800})
    page.clock.set_fixed_time(dt.datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm")))
    page.goto(site_url + PAGES[page_name])
    page.wait_for_load_state("load")
    if page_name == "start":
        page.locator(".hb-call-now__now").wait_for(state="visible")
    else:
        page.locator(".hb-copy-link").first.wait_for(state="visible")
    # Nothing may force sideways scrolling (WCAG 1.4.10 reflow at 360 px).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{page_name}-{width_name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert len(data) > 10_000
    shot_width, shot_height = png_size(data)
    assert shot_width == width
    assert shot_height > 800
    assert recorder.external == []

"""Narrow screens: at 360 px and at 200 % zoom no page scrolls sideways and nothing sticks out of the screen.

200 % zoom is emulated as the browser does it: a 1280×900 window zoomed to 200 % lays the page out
in a 640×450 CSS-pixel viewport with two device pixels per CSS pixel, so media queries, fixed
elements and text wrapping behave as for a reader who zooms. CSS `zoom` on the root element would
not: it leaves the viewport width and the media queries as they were.
"""

from __future__ import annotations

import pytest

from conftest import PAGE_TYPES

SIZES = {
    "phone-360": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2},
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}

# Every rendered element whose box reaches past the left or right edge of the viewport and is not inside
# a box the reader can scroll sideways (the flowchart's and tables' wrappers). Invisible things (the
# closed search dialog, screen-reader-only text) cannot be cut off and are left out.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const scrollsSideways = n => ["auto", "scroll"].includes(getComputedStyle(n).overflowX);
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.left >= -0.5 && r.right <= width + 0.5)) continue;
    const cs = getComputedStyle(e);
    if (cs.visibility !== "visible" || e.closest("[hidden], [aria-hidden=true]")) continue;
    let hidden = false, scroller = false;
    for (let n = e; n && n !== document.body; n = n.parentElement) {
      const ns = getComputedStyle(n);
      if (parseFloat(ns.opacity) === 0 || ns.clip === "rect(0px, 0px, 0px, 0px)" ||
          ns.clipPath === "inset(50%)") hidden = true;
      if (n !== e && scrollsSideways(n)) scroller = true;
    }
    if (hidden || scroller) continue;
    out.push(e.tagName.toLowerCase() +
      (typeof e.className === "string" && e.className ? "." + e.className.trim().split(/\\s+/).join(".") : "")
             + (e.id ? "#" + e.id : "") + ` [${Math.round(r.left)}, ${Math.round(r.right)}]`);
  }
  return out;
}"""


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_no_sideways_scrolling_and_nothing_cut_off(new_page, site_url, size, path):
    """The page is no wider than the screen and no element reaches past its edges outside a scroll box."""
    page = new_page(**size)
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    page.wait_for_selector("button.hb-copy-link" if path.startswith("rutiner/") and path != "rutiner/" else "body")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]
    assert page.evaluate(STICKING_OUT) == []


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_flowchart_scrolls_inside_its_own_box(new_page, site_url, size):
    """On a narrow screen the drawing is one tap away (closed); opened, it scrolls inside .hb-flowchart-wrap,
    which itself fits the screen."""
    page = new_page(**size)
    page.goto(site_url + "rutiner/identifiering/")
    figure = page.locator("details.hb-flowchart-figure")
    assert figure.evaluate("d => d.open") is False
    figure.locator("summary").click()
    wrap = page.evaluate("""() => {
      const w = document.querySelector(".hb-flowchart-wrap"), r = w.getBoundingClientRect();
        return {right: r.right, left: r.left, overflow: getComputedStyle(w).overflowX}; }""")
    assert wrap["left"] >= 0 and wrap["right"] <= page.evaluate("document.documentElement.clientWidth")
    assert wrap["overflow"] == "auto"

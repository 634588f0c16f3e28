"""The reader's own district and the role view, in Chromium on the real site.

Districts: without a choice every district is listed; a choice on the start page goes into the address
(?stadsdel=…), survives a reload from that address, and narrows both the call-now card and a routine's
"kontakta stadsdelen" step to that district's card. Roles: "Visa steg för" hides other roles' steps, and a
published step link still shows its step whichever view is chosen.
"""

from __future__ import annotations

import contextlib

import pytest

from handbook.load import load_handbook
from helpers import REPO

HB = load_handbook(REPO).handbook
GROUP = next(c for c in HB.contacts if c.members)
DISTRICTS = [d.id for d in HB.districts(GROUP)]
CHOSEN = "sdf-skarholmen"
ROUTINE = "forsta-atgarder"
STEP_WITH_GROUP = next(s.id for s in HB.routine(ROUTINE).steps if any(r.id == GROUP.id for r in s.contacts))


def visible_districts(page, scope: str) -> list[str]:
    return page.eval_on_selector_all(
        f"{scope} [data-hb-districts] [data-hb-district]",
        "marks => marks.filter(m => m.closest('li').offsetParent !== null).map(m => m.dataset.hbDistrict)",
    )


def step_districts(page, step_id: str) -> list[str]:
    """The visible districts in one step's "Kontakta" block (the first one after the step's heading)."""
    return page.evaluate(
        """id => {
        let el = document.getElementById(id).nextElementSibling;
        while (el && !el.classList.contains('hb-step-contacts')) el = el.nextElementSibling;
        return Array.from(el.querySelectorAll('[data-hb-district]'))
            .filter(m => m.closest('li').offsetParent !== null).map(m => m.dataset.hbDistrict);
    }""",
        step_id,
    )


def test_every_district_is_listed_without_a_choice(page, site_url):
    assert len(DISTRICTS) == 11 and CHOSEN in DISTRICTS
    _goto(page, site_url)
    assert visible_districts(page, ".hb-call-now") == DISTRICTS
    _goto(page, f"{site_url}rutiner/{ROUTINE}/#{STEP_WITH_GROUP}")
    assert step_districts(page, STEP_WITH_GROUP) == DISTRICTS


def test_a_chosen_district_lives_in_the_address(page, recorder, site_url):
    _goto(page, site_url)
    page.select_option("[data-hb-district-select]", CHOSEN)
    assert f"stadsdel={CHOSEN}" in page.url
    assert visible_districts(page, ".hb-call-now") == [CHOSEN]
    # A trainer's link: a new page opened from the address alone shows the same district.
    fresh = page.context.new_page()
    fresh.goto(page.url)
    assert fresh.input_value("[data-hb-district-select]") == CHOSEN
    assert visible_districts(fresh, ".hb-call-now") == [CHOSEN]
    fresh.reload()
    assert visible_districts(fresh, ".hb-call-now") == [CHOSEN]
    # The routine's "kontakta stadsdelen" step shows that district's card, with its link and the number's state.
    fresh.goto(f"{site_url}rutiner/{ROUTINE}/?stadsdel={CHOSEN}#{STEP_WITH_GROUP}")
    assert step_districts(fresh, STEP_WITH_GROUP) == [CHOSEN]
    card = fresh.locator(f".hb-step-contacts li:has([data-hb-district='{CHOSEN}'])").first
    assert card.is_visible()  # the step's collapsed district list opens for a chosen district
    assert "Skärholmens stadsdelsförvaltning" in card.inner_text()
    # A missing number is said once on the page: in the district's line of the group's card, not in the step.
    group_card = fresh.locator(f".hb-contact li:has([data-hb-district='{CHOSEN}'])").first
    assert "Numret saknas i handboken" in group_card.text_content()
    assert fresh.locator(f"#{STEP_WITH_GROUP}").is_visible()
    assert recorder.external == [] and recorder.console_errors == [] and recorder.csp_violations == []


def test_the_choice_is_kept_only_when_the_reader_agrees(new_page, site_url):
    page = new_page()
    _goto(page, site_url)
    page.select_option("[data-hb-district-select]", CHOSEN)
    assert page.evaluate("() => localStorage.getItem('hb-stadsdel')") is None
    page.check("[data-hb-district-remember]")
    assert page.evaluate("() => localStorage.getItem('hb-stadsdel')") == CHOSEN
    assert page.context.cookies() == []
    # Another tab without the address parameter finds it in local storage.
    other = page.context.new_page()
    other.goto(site_url)
    assert visible_districts(other, ".hb-call-now") == [CHOSEN]
    other.uncheck("[data-hb-district-remember]")
    assert other.evaluate("() => localStorage.getItem('hb-stadsdel')") is None


def _goto(page, url: str) -> None:
    """Open a page and wait until handbook.js has applied the reader's choices (Material runs it on its
    own document$ signal, which can come after the load event)."""
    page.goto(url)
    page.wait_for_selector("html[data-hb-ready]", state="attached")


VISIBLE_STEPS = "() => [...document.querySelectorAll('h3.hb-step')].filter(h => h.offsetParent !== null).map(h => h.id)"


def _visible_steps(page) -> list[str]:
    return page.evaluate(VISIBLE_STEPS)


def _settled_steps(page, expected: list[str]) -> list[str]:
    """The visible steps once they equal expected, or after 10 s whatever they are (the assert then shows
    the difference). A navigation to a fragment the browser cannot decode can be a new document whose
    layout comes a moment after the load event."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            f"e => JSON.stringify(({VISIBLE_STEPS})()) === JSON.stringify(e)", arg=expected, timeout=10_000
        )
    return _visible_steps(page)


EVERYONE = "alla"


def _in_view(step, role: str) -> bool:
    """A step is in a role's view when it names the role or is for everyone."""
    return any(r.id in (role, EVERYONE) for r in step.roles)


def _role_with_fewer_steps():
    routine = HB.routine(ROUTINE)
    counts = {}
    for step in routine.steps:
        for ref in step.roles:
            if ref.id != EVERYONE:
                counts[ref.id] = counts.get(ref.id, 0) + 1
    role = min(counts, key=lambda r: (counts[r], r))
    mine = [s.id for s in routine.steps if _in_view(s, role)]
    other = next(s.id for s in routine.steps if s.id not in mine)
    return role, mine, other


def test_role_view_hides_other_roles_steps(page, site_url):
    role, mine, _ = _role_with_fewer_steps()
    _goto(page, f"{site_url}rutiner/{ROUTINE}/")
    everything = _visible_steps(page)
    assert len(everything) == len(HB.routine(ROUTINE).steps)
    page.select_option("[data-hb-role-select]", role)
    assert _visible_steps(page) == mine
    assert "dolda" in page.inner_text(".hb-role-view__note")
    page.select_option("[data-hb-role-select]", "")
    assert _visible_steps(page) == everything


@pytest.mark.parametrize("how", ["address", "link"])
def test_a_step_link_works_in_another_roles_view(page, site_url, how):
    """A trainer's step link opens its step even when the reader's view is set to a role the step is not for."""
    role, mine, other = _role_with_fewer_steps()
    if how == "address":
        _goto(page, f"{site_url}rutiner/{ROUTINE}/?roll={role}#{other}")
    else:
        _goto(page, f"{site_url}rutiner/{ROUTINE}/")
        page.select_option("[data-hb-role-select]", role)
        assert other not in _visible_steps(page)
        page.evaluate(f"() => {{ location.hash = '{other}'; }}")
        # Material's instant navigation may fetch the page again for the new address: wait until it has
        # settled and the engine has applied the view to the page that stays.
        page.wait_for_load_state("networkidle")
        page.wait_for_function(f"""() => document.getElementById('{other}')?.offsetParent !== null
            && document.querySelector('.hb-role-view__note')?.textContent.includes('visas ändå')""")
    assert page.input_value("[data-hb-role-select]") == role
    assert other in _visible_steps(page)
    assert page.locator(f"#{other}").is_visible()
    assert "visas ändå" in page.inner_text(".hb-role-view__note")


def _overview_and_headings(page) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(step id, number) of every visible summary item and every visible step heading."""
    summary = page.eval_on_selector_all(
        ".hb-overview li",
        """lis => lis.filter(li => li.offsetParent !== null)
        .map(li => [li.querySelector('a').getAttribute('href').split('#').pop(), li.value])""",
    )
    headings = page.eval_on_selector_all(
        "h3.hb-step",
        """hs => hs.filter(h => h.offsetParent !== null)
        .map(h => [h.id, parseInt(h.textContent, 10)])""",
    )
    return [tuple(x) for x in summary], [tuple(x) for x in headings]


def test_no_role_view_hides_a_step_for_everyone_or_renumbers(page, site_url):
    """Issue 18 item 7: a step for "alla" is in every view, and the summary keeps the headings' numbers."""
    routine = HB.routine(ROUTINE)
    for_everyone = [s.id for s in routine.steps if any(r.id == EVERYONE for r in s.roles)]
    assert for_everyone, "the routine has steps for everyone"
    _goto(page, f"{site_url}rutiner/{ROUTINE}/")
    roles = page.eval_on_selector_all("[data-hb-role-select] option", "os => os.map(o => o.value)")
    assert EVERYONE not in roles  # "alla" is every view, not a choice of its own
    for role in roles:
        page.select_option("[data-hb-role-select]", role)
        visible = _visible_steps(page)
        assert set(for_everyone) <= set(visible), role
        assert visible == [s.id for s in routine.steps if not role or _in_view(s, role)], role
        summary, headings = _overview_and_headings(page)
        assert summary == headings, role


def test_role_alla_in_the_address_shows_every_step(page, site_url):
    _goto(page, f"{site_url}rutiner/{ROUTINE}/?roll={EVERYONE}")
    assert _visible_steps(page) == [s.id for s in HB.routine(ROUTINE).steps]
    assert page.input_value("[data-hb-role-select]") == ""


def test_a_copied_step_link_does_not_carry_the_role_view(new_page, site_url):
    role, mine, _ = _role_with_fewer_steps()
    page = new_page()
    page.add_init_script("navigator.clipboard.writeText = t => { window.hbCopied = t; return Promise.resolve(); };")
    _goto(page, f"{site_url}rutiner/{ROUTINE}/?roll={role}&stadsdel={CHOSEN}")
    page.locator(f"#{mine[-1]} .hb-copy-link").click()
    copied = page.evaluate("window.hbCopied")
    assert copied == f"{site_url}rutiner/{ROUTINE}/?stadsdel={CHOSEN}#{mine[-1]}"


@pytest.mark.parametrize("fragment", ["%0A", "%27%5D", "%", "%E0%A4%A"])
def test_a_malformed_address_breaks_no_feature(new_page, recorder, site_url, fragment):
    """An address fragment is data: on load and on hashchange no feature throws, and each still works."""
    role, expected, _ = _role_with_fewer_steps()
    page = new_page()
    _goto(page, f"{site_url}rutiner/{ROUTINE}/?roll={role}")
    assert _settled_steps(page, expected) == expected
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _goto(page, f"{site_url}rutiner/{ROUTINE}/?roll={role}#{fragment}")
    assert _settled_steps(page, expected) == expected
    for hash in ("x" + fragment, fragment):  # each differs from the current one, so hashchange fires
        # Resolves after the engine's own hashchange listener (registered first) has run.
        page.evaluate(
            """h => new Promise(r => { addEventListener('hashchange', () => r(), { once: true });
            location.hash = h; })""",
            hash,
        )
    assert page.locator(".hb-copy-link").count() == len(HB.routine(ROUTINE).steps)
    assert errors == [] and recorder.console_errors == []


def test_print_shows_every_step_and_district(page, site_url):
    """A printout outlives the reader's choices: before printing every step and district is shown, after it
    the reader's view comes back."""
    role, mine, _ = _role_with_fewer_steps()
    _goto(page, f"{site_url}rutiner/{ROUTINE}/?roll={role}&stadsdel={CHOSEN}")
    assert _visible_steps(page) == mine
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert len(_visible_steps(page)) == len(HB.routine(ROUTINE).steps)
    assert step_districts(page, STEP_WITH_GROUP) == DISTRICTS
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert _visible_steps(page) == mine
    shown = page.eval_on_selector_all(
        "[data-hb-district]", "ms => ms.filter(m => !m.closest('li').hidden).map(m => m.dataset.hbDistrict)"
    )
    assert set(shown) == {CHOSEN}

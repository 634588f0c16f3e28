"""The reader's own district and the role view, in Chromium on the real site.

Districts: without a choice every district is listed; a choice on the start page goes into the address
(?stadsdel=…), survives a reload from that address, and narrows both the call-now card and a routine's
"kontakta stadsdelen" step to that district's card. Roles: "Visa steg för" hides other roles' steps, and a
published step link still shows its step whichever view is chosen.
"""

from __future__ import annotations

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
        "marks => marks.filter(m => m.closest('li').offsetParent !== null).map(m => m.dataset.hbDistrict)")


def step_districts(page, step_id: str) -> list[str]:
    """The visible districts in one step's "Kontakta" block (the first one after the step's heading)."""
    return page.evaluate("""id => {
        let el = document.getElementById(id).nextElementSibling;
        while (el && !el.classList.contains('hb-step-contacts')) el = el.nextElementSibling;
        return Array.from(el.querySelectorAll('[data-hb-district]'))
            .filter(m => m.closest('li').offsetParent !== null).map(m => m.dataset.hbDistrict);
    }""", step_id)


def test_every_district_is_listed_without_a_choice(page, site_url):
    assert len(DISTRICTS) == 11 and CHOSEN in DISTRICTS
    page.goto(site_url)
    assert visible_districts(page, ".hb-call-now") == DISTRICTS
    page.goto(f"{site_url}rutiner/{ROUTINE}/#{STEP_WITH_GROUP}")
    assert step_districts(page, STEP_WITH_GROUP) == DISTRICTS


def test_a_chosen_district_lives_in_the_address(page, recorder, site_url):
    page.goto(site_url)
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
    page.goto(site_url)
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


def _visible_steps(page) -> list[str]:
    return page.eval_on_selector_all("h3.hb-step", "hs => hs.filter(h => h.offsetParent !== null).map(h => h.id)")


def _role_with_fewer_steps():
    routine = HB.routine(ROUTINE)
    counts = {}
    for step in routine.steps:
        for ref in step.roles:
            counts[ref.id] = counts.get(ref.id, 0) + 1
    role = min(counts, key=lambda r: (counts[r], r))
    mine = [s.id for s in routine.steps if any(r.id == role for r in s.roles)]
    other = next(s.id for s in routine.steps if s.id not in mine)
    return role, mine, other


def test_role_view_hides_other_roles_steps(page, site_url):
    role, mine, _ = _role_with_fewer_steps()
    page.goto(f"{site_url}rutiner/{ROUTINE}/")
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
        page.goto(f"{site_url}rutiner/{ROUTINE}/?roll={role}#{other}")
    else:
        page.goto(f"{site_url}rutiner/{ROUTINE}/")
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


def test_print_shows_every_step_and_district(page, site_url):
    """A printout outlives the reader's choices: before printing every step and district is shown, after it
    the reader's view comes back."""
    role, mine, _ = _role_with_fewer_steps()
    page.goto(f"{site_url}rutiner/{ROUTINE}/?roll={role}&stadsdel={CHOSEN}")
    assert _visible_steps(page) == mine
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert len(_visible_steps(page)) == len(HB.routine(ROUTINE).steps)
    assert step_districts(page, STEP_WITH_GROUP) == DISTRICTS
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert _visible_steps(page) == mine
    shown = page.eval_on_selector_all("[data-hb-district]", "ms => ms.filter(m => !m.closest('li').hidden)"
                                      ".map(m => m.dataset.hbDistrict)")
    assert set(shown) == {CHOSEN}

"""In a real browser at 360×740: today's reflection within two taps of signing in, its first
field on the first screen; an htmx refusal next to its control with focus on it."""

from datetime import UTC, date, datetime

import pytest

from portfolio.domain.mentor_links import issue_link

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _in_viewport(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_phone_from_login_to_typing_todays_reflection_in_two_taps(
    page, live_server, browser_login, world, make_placement, db
):
    # A next placement exists already: the running one stays in front.
    make_placement(
        world.student,
        site_name="Volgende stage",
        first_day=date(2026, 2, 9),
        last_day=date(2026, 3, 6),
        semester=2,
    )
    page.set_viewport_size(PHONE)
    browser_login(page, world.student)  # the clock: Wed 8 Oct 2025, a stage day
    assert page.get_by_role("heading", name="Vandaag").is_visible()
    assert page.get_by_text("Kleuterschool Testplein").first.is_visible()
    link = page.get_by_role("link", name="Reflectie van vandaag")
    assert _in_viewport(link), "today's reflection is on the first screen"
    link.click()  # tap 1
    page.wait_for_load_state("networkidle")
    first_field = page.locator("textarea[name=wat_gebeurde]")
    assert _in_viewport(first_field), first_field.bounding_box()
    first_field.click()  # tap 2
    page.keyboard.type("De kinderen bouwden een toren.")
    assert first_field.input_value() == "De kinderen bouwden een toren."
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"] + 1


def test_phone_menu_is_one_button(page, live_server, browser_login, world):
    page.set_viewport_size(PHONE)
    browser_login(page, world.student)
    wide_menu = page.get_by_role("navigation", name="Hoofdmenu", exact=True)
    assert not wide_menu.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Mijn portfolio").is_visible()


def test_htmx_refusal_is_shown_beside_its_control_with_focus(page, live_server, world, db):
    _, token = issue_link(
        db, world.mentor, moment=datetime(2025, 10, 8, 9, 0, tzinfo=UTC), actor=world.coordinator
    )
    db.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/m/{token}")
    day = page.locator(".attendance-day").nth(2)  # today, well below the top of the page
    day.scroll_into_view_if_needed()
    day.get_by_label("Afwezig", exact=True).check()
    day.get_by_role("button", name="Bewaren").click()
    message = day.locator("[data-control-error]")
    message.wait_for()
    assert "reden van de afwezigheid" in message.inner_text()
    assert _in_viewport(message), message.bounding_box()
    assert page.evaluate("document.activeElement.hasAttribute('data-control-error')")
    assert (
        day.get_by_label("Opmerking (verplicht bij afwezigheid)").get_attribute("aria-invalid")
        == "true"
    )
    assert page.locator("#meldingen [role=alert]").count() == 0
    # Corrected and saved: the message goes, focus stays inside the swapped day.
    day.get_by_label("Opmerking (verplicht bij afwezigheid)").fill("Ziek")
    day.get_by_role("button", name="Bewaren").click()
    page.get_by_text("afwezig: Ziek").wait_for()
    assert page.locator("[data-control-error]").count() == 0
    # Focus moves once htmx has settled the swap, a moment after the text shows.
    # A function, not an expression string: Playwright polls a string with eval, which the CSP
    # refuses once the first check fails (the focus moves after htmx settles).
    page.wait_for_function("() => document.activeElement.closest('.attendance-day') !== null")

"""In a real browser: the mentor opens their link and fills in the attendance card; the
coordinator edits a calendar with htmx and a 7th OPR day is refused beside its button."""

from datetime import UTC, datetime

import pytest

from portfolio.domain.mentor_links import issue_link

pytestmark = pytest.mark.browser


def test_mentor_opens_the_link_and_confirms_presence(page, live_server, world, db):
    _, token = issue_link(
        db, world.mentor, moment=datetime(2025, 10, 8, 9, 0, tzinfo=UTC), actor=world.coordinator
    )
    db.commit()
    page.goto(f"{live_server}/m/{token}")
    assert page.get_by_role("heading", name="Mijn stagiairs").is_visible()
    assert page.get_by_role("heading", name="Student Een").is_visible()
    assert page.get_by_text("Student Twee").count() == 0

    first_day = page.locator(".attendance-day").first
    first_day.get_by_label("Aanwezig").check()
    first_day.get_by_role("button", name="Bewaren").click()
    page.locator(".attendance-day").first.get_by_text("aanwezig bevestigd").wait_for()
    # Swapped in place: still on the same page, the other days unchanged.
    assert page.url.endswith("/mentor")
    assert page.get_by_text("nog niet ingevuld").count() == 14

    page.goto(f"{live_server}/m/ongeldig-{token[:10]}")
    assert page.get_by_role("heading", name="Deze link is niet (meer) geldig").is_visible()


def test_coordinator_calendar_htmx_and_opr_limit(page, live_server, browser_login, world):
    browser_login(page, world.coordinator)
    page.goto(f"{live_server}/beheer/stages/{world.placement.id}")
    rows = page.locator("#kalender-beheer tbody tr")
    assert rows.count() == 15
    # The 8th day is an R-day; making it OPR would be the 7th: refused, shown beside the button.
    rows.nth(7).get_by_role("button", name="Maak OPR-dag").click()
    alert = rows.nth(7).locator("[data-control-error] [role=alert]")
    alert.wait_for()
    assert "hoogstens 6 OPR-dagen" in alert.inner_text()
    # Removing a day swaps the calendar in place and logs it.
    rows.last.get_by_role("button", name="Verwijderen").click()
    page.get_by_text("14 stagedagen").wait_for()
    assert page.get_by_text("Stagedag verwijderd").count() == 1

"""In a real browser: two tabs conflict, and the text that lost is then found in the history."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.models import StageDay

pytestmark = pytest.mark.browser
FIELD = "3) Wat neem ik mee naar de toekomst?"


def _reflection_url(live_server, db, world):
    day = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).first()
    return f"{live_server}/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie"


def _conflict_between_two_tabs(page, url):
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    page.get_by_label(FIELD, exact=True).fill("Verloren tekst uit venster A")
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    other.get_by_label(FIELD, exact=True).fill("Tekst uit venster B")
    conflict = other.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("blijft bewaard als aparte versie")
    return other


def test_keeping_mine_leaves_the_other_tabs_text_in_the_history(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    other = _conflict_between_two_tabs(page, _reflection_url(live_server, db, world))
    history_link = other.get_by_role("link", name="geschiedenis van dit onderdeel")
    href = history_link.get_attribute("href")
    other.get_by_role("button", name="Mijn tekst houden").click()
    expect(other.locator(".save-status").first).to_contain_text("Bewaard om")
    other.goto(live_server + href)
    expect(other.locator("tbody tr")).to_have_count(2)
    older = other.locator("tbody tr").nth(1).get_by_role("link").first
    older.click()
    expect(other.locator("main")).to_contain_text("Verloren tekst uit venster A")


def test_taking_the_saved_version_leaves_my_text_in_the_history(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    other = _conflict_between_two_tabs(page, _reflection_url(live_server, db, world))
    href = other.get_by_role("link", name="geschiedenis van dit onderdeel").get_attribute("href")
    other.get_by_role("button", name="De bewaarde versie nemen").click()
    expect(other.get_by_label(FIELD, exact=True)).to_have_value("Verloren tekst uit venster A")
    expect(other.locator(".save-status").first).to_contain_text(
        "jouw tekst staat in de geschiedenis"
    )
    other.goto(live_server + href)
    rows = other.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("teruggezet van versie")
    rows.nth(1).get_by_role("link").first.click()
    expect(other.locator("main")).to_contain_text("Tekst uit venster B")

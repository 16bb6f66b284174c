"""In a real browser with a fake microphone: record in the reflection page, offline and online."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.models import Item, ItemKind, StageDay, Upload
from tests.conftest import CHROMIUM

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def media_browser():
    """Chromium with a fake microphone and camera that needs no permission prompt."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def media_page(media_browser, live_server):
    context = media_browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    context.grant_permissions(["microphone", "camera"], origin=live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _first_reflection(live_server, db, world):
    day = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).first()
    return day, f"{live_server}/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie"


def _recordings(db, day):
    db.expire_all()
    item = db.exec(
        select(Item).where(Item.kind == ItemKind.REFLECTIE, Item.stage_day_id == day.id)
    ).one()
    return db.exec(select(Upload).where(Upload.item_id == item.id)).all()


def _record(page, seconds=1.5):
    page.get_by_role("button", name="Audio opnemen").click()
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Opname stoppen").click()
    expect(page.get_by_text("Opname klaar")).to_be_visible()


def test_a_recording_is_listened_to_kept_and_uploaded(
    media_page, live_server, browser_login, world, db
):
    page = media_page
    browser_login(page, world.student)
    day, url = _first_reflection(live_server, db, world)
    page.goto(url)
    _record(page)
    assert page.locator("[data-recorder-audio]").get_attribute("src").startswith("blob:")
    page.get_by_role("button", name="Houden en opladen").click()
    expect(page.locator(".upload-list audio")).to_have_count(1)
    [upload] = _recordings(db, day)
    assert upload.category == "audio" and upload.mime == "audio/webm"
    assert upload.client_key and upload.size > 0


def test_a_discarded_recording_is_not_uploaded(media_page, live_server, browser_login, world, db):
    page = media_page
    browser_login(page, world.student)
    day, url = _first_reflection(live_server, db, world)
    page.goto(url)
    _record(page, seconds=0.5)
    page.get_by_role("button", name="Weggooien").click()
    expect(page.get_by_text("Opname weggegooid.")).to_be_visible()
    assert _recordings(db, day) == []


def test_offline_text_and_recording_arrive_when_back_online(
    media_page, live_server, browser_login, world, db
):
    page = media_page
    browser_login(page, world.student)
    day, url = _first_reflection(live_server, db, world)
    page.goto(url)
    expect(page.locator("html[data-offline-ready]")).to_have_count(1)
    page.context.set_offline(True)
    page.reload()
    page.get_by_label("1) Wat gebeurde er?", exact=True).fill("Opgenomen op de bus.")
    _record(page)
    page.get_by_role("button", name="Houden en opladen").click()
    expect(page.get_by_text("Opname op je toestel bewaard, nog niet verstuurd")).to_be_visible()
    assert _recordings(db, day) == []
    page.context.set_offline(False)
    expect(page.locator(".upload-list audio")).to_have_count(1)
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    assert len(_recordings(db, day)) == 1
    db.expire_all()
    item = db.exec(
        select(Item).where(Item.kind == ItemKind.REFLECTIE, Item.stage_day_id == day.id)
    ).one()
    assert item.content["wat_gebeurde"] == "Opgenomen op de bus."

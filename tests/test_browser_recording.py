"""In a real browser with a fake microphone: record in the reflection page, offline and online."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.models import Item, ItemKind, StageDay, Upload

pytestmark = pytest.mark.browser


@pytest.fixture
def reflection(page, live_server, browser_login, world, db):
    """The student on the first stage day's reflection, microphone allowed; (page, day)."""
    page.context.grant_permissions(["microphone", "camera"], origin=live_server)
    page.set_default_timeout(15_000)
    browser_login(page, world.student)
    day = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).first()
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie")
    return page, day


def _recordings(db, day):
    db.expire_all()
    item = db.exec(
        select(Item).where(Item.kind == ItemKind.REFLECTIE, Item.stage_day_id == day.id)
    ).first()
    if item is None:  # opening the page creates nothing; the first upload or save does
        return []
    return db.exec(select(Upload).where(Upload.item_id == item.id)).all()


def _record(page, seconds=1.5):
    page.get_by_role("button", name="Audio opnemen").click()
    page.wait_for_timeout(seconds * 1000)
    page.get_by_role("button", name="Opname stoppen").click()
    expect(page.get_by_text("Opname klaar")).to_be_visible()


def test_a_recording_is_listened_to_kept_and_uploaded(reflection, db):
    page, day = reflection
    _record(page)
    assert page.locator("[data-recorder-audio]").get_attribute("src").startswith("blob:")
    page.get_by_role("button", name="Houden en opladen").click()
    expect(page.locator(".upload-list audio")).to_have_count(1)
    [upload] = _recordings(db, day)
    assert upload.category == "audio" and upload.mime == "audio/webm"
    assert upload.client_key and upload.size > 0


def test_a_discarded_recording_is_not_uploaded(reflection, db):
    page, day = reflection
    _record(page, seconds=0.5)
    page.get_by_role("button", name="Weggooien").click()
    expect(page.get_by_text("Opname weggegooid.")).to_be_visible()
    assert _recordings(db, day) == []


def test_offline_text_and_recording_arrive_when_back_online(reflection, db):
    page, day = reflection
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

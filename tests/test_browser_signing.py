"""In a real browser: the student offers the stagepakket, the mentor opens their personal
link, reads the package and signs it; the page then shows the signature."""

import pytest
from playwright.sync_api import expect
from signing_support import MOMENT, write_package
from sqlmodel import select

from portfolio.domain.mentor_links import issue_link
from portfolio.models import Item, ItemKind, Signature

pytestmark = pytest.mark.browser


def test_mentor_opens_the_link_and_signs(page, live_server, browser_login, world, db):
    write_package(db, world, "Een wandeling ontwerpen")
    _, token = issue_link(db, world.mentor, moment=MOMENT, actor=world.coordinator)
    db.commit()

    browser_login(page, world.student)
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/stagepakket")
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    page.get_by_text("Ter ondertekening aangeboden").first.wait_for()
    page.context.clear_cookies()

    page.goto(f"{live_server}/m/{token}")
    page.get_by_role("link", name="Stagepakket bekijken en ondertekenen").click()
    assert page.get_by_text("Een wandeling ontwerpen").is_visible()
    page.get_by_role("button", name="Onderteken als mentor").click()
    page.get_by_text("Je ondertekende het stagepakket.").wait_for()
    assert page.locator(".signatures li", has_text="Mentor").get_by_text("ondertekend").count() == 1
    assert page.get_by_role("button", name="Onderteken als mentor").count() == 0
    signature = db.exec(select(Signature)).one()
    assert signature.signer_id == world.mentor.id and signature.role == "mentor"


def test_autosave_updates_the_signing_status(page, live_server, browser_login, world, db):
    write_package(db, world, "Een wandeling")
    browser_login(page, world.student)
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/stagepakket")
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    status = page.locator("#signing-status")
    status.get_by_text("Ter ondertekening aangeboden").wait_for()
    page.locator("textarea[name=taken]").fill("Een wandeling en een lied")
    # No reload: the autosave answer brings the new status along.
    status.get_by_text("Gewijzigd sinds je het ter ondertekening aanbood").wait_for(timeout=30_000)


def test_a_blank_package_is_created_by_its_first_autosave_and_offered(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/stagepakket")
    assert db.exec(select(Item).where(Item.kind == ItemKind.STAGEPAKKET)).first() is None
    page.locator("textarea[name=taken]").fill("Een wandeling ontwerpen")
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    db.expire_all()
    [package] = db.exec(select(Item).where(Item.kind == ItemKind.STAGEPAKKET)).all()
    assert package.content["taken"] == "Een wandeling ontwerpen"
    # No reload: the offer button posts the package the autosave just created.
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    page.locator("#signing-status").get_by_text("Ter ondertekening aangeboden").wait_for()
    page.locator("textarea[name=taken]").fill("Een wandeling en een lied")
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    db.expire_all()
    assert len(db.exec(select(Item).where(Item.kind == ItemKind.STAGEPAKKET)).all()) == 1

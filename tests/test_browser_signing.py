"""In a real browser: the student offers the stagepakket, the mentor opens their personal
link, reads the package and signs it; the page then shows the signature."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portfolio.domain import items as ops
from portfolio.domain.mentor_links import issue_link
from portfolio.models import ItemKind, Signature, User

pytestmark = pytest.mark.browser
MOMENT = datetime(2025, 10, 8, 9, 0, tzinfo=UTC)


def test_mentor_opens_the_link_and_signs(page, live_server, browser_login, world, db):
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(
        db, world.placement, ItemKind.STAGEPAKKET, actor=student, moment=MOMENT
    )
    ops.save_item(
        db,
        item,
        content={"taken": "Een wandeling ontwerpen"},
        base_version=item.version,
        actor=student,
        moment=MOMENT,
    )
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
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(
        db, world.placement, ItemKind.STAGEPAKKET, actor=student, moment=MOMENT
    )
    ops.save_item(
        db,
        item,
        content={"taken": "Een wandeling"},
        base_version=item.version,
        actor=student,
        moment=MOMENT,
    )
    db.commit()
    browser_login(page, world.student)
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/stagepakket")
    page.get_by_role("button", name="Ter ondertekening aanbieden").click()
    status = page.locator("#signing-status")
    status.get_by_text("Ter ondertekening aangeboden").wait_for()
    page.locator("textarea[name=taken]").fill("Een wandeling en een lied")
    # No reload: the autosave answer brings the new status along.
    status.get_by_text("Gewijzigd sinds je het ter ondertekening aanbood").wait_for()

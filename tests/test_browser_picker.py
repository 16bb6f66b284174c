"""The Student field of a new placement in Chromium: suggestions while typing, picked with the
keyboard only, focus kept where the coordinator works, no axe violation with the choices open,
and the placement made for the student picked."""

from pathlib import Path

import pytest

from portfolio.models import Placement

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
ACTIVE = "() => document.activeElement.id || document.activeElement.textContent.trim()"
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def _assert_no_axe_violations(page) -> None:
    page.evaluate(AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], v["nodes"][0]["html"]) for v in result["violations"]] == []


def test_pick_a_student_with_the_keyboard(browser, live_server, browser_login, world, db):
    # axe is injected; the page's own scripts stay under the CSP.
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels", bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        browser_login(page, world.coordinator)
        page.goto(f"{live_server}/beheer/stages/nieuw")
        field = page.get_by_label("Student", exact=True)
        field.press_sequentially("stud")
        choices = page.locator("#student-keuzes button")
        choices.nth(1).wait_for()
        page.wait_for_function(HTMX_IDLE)
        assert choices.count() == 2
        assert page.evaluate(ACTIVE) == "student"  # the answer did not take the focus
        assert page.locator("#student-status").inner_text().startswith("2 studenten passen")

        _assert_no_axe_violations(page)

        one, two = (world.student, world.other_student)
        page.keyboard.press("ArrowDown")
        assert page.evaluate(ACTIVE) == f"Student Een ({one.student_number})"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")  # the last one stays
        assert page.evaluate(ACTIVE) == f"Student Twee ({two.student_number})"
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate(ACTIVE) == "student"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert field.input_value() == two.student_number
        assert page.evaluate(ACTIVE) == "student"
        assert choices.count() == 0
        assert page.locator("#student-status").inner_text() == (
            f"Gekozen: Student Twee ({two.student_number})"
        )

        field.press_sequentially("x")  # typing again searches again; Escape closes
        page.locator("#student-status").get_by_text("Geen student gevonden").wait_for()
        field.fill("stud")
        choices.first.wait_for()
        page.keyboard.press("Escape")
        assert choices.count() == 0 and page.evaluate(ACTIVE) == "student"

        field.fill(two.email.upper())
        page.get_by_label("Stageplaats").fill("Speelpleinwerking Het Bos")
        page.get_by_label("Semester").select_option("2")
        page.get_by_label("Eerste stagedag").fill("2026-02-09")
        page.get_by_label("Laatste stagedag").fill("2026-02-20")
        page.get_by_role("button", name="Stage aanmaken").click()
        page.wait_for_url(f"{live_server}/beheer/stages/*")
        db.expire_all()
        placement = db.get(Placement, int(page.url.rsplit("/", 1)[1]))
        assert placement.student_id == two.id

        # From the people list: the link fills the field in and names the student.
        page.goto(f"{live_server}/beheer/personen?rol=student")
        _assert_no_axe_violations(page)
        page.get_by_role("link", name="Nieuwe stage voor Student Een").click()
        page.wait_for_url(f"{live_server}/beheer/stages/nieuw?student={one.student_number}")
        assert field.input_value() == one.student_number
        assert page.locator("#student-status").inner_text() == (
            f"Gekozen: Student Een ({one.student_number})"
        )
        _assert_no_axe_violations(page)
    finally:
        context.close()

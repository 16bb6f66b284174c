"""In a real browser: a supervisor gives feedback on a reflection; the student sees it and answers."""

from datetime import date

import pytest

from portfolio.models import ItemKind

pytestmark = pytest.mark.browser


def test_supervisor_gives_feedback_and_student_answers(
    browser, page, live_server, browser_login, world, make_item
):
    reflection = make_item(
        world.placement,
        ItemKind.REFLECTIE,
        day=date(2025, 10, 6),
        content={
            "wat_gebeurde": "De kleuters bouwden een toren.",
            "waaraan_lag": "Ik gaf weinig tijd.",
            "meenemen": "Meer wachttijd geven.",
        },
    )
    url = f"{live_server}/stages/{world.placement.id}/items/{reflection.id}/feedback"

    # The supervisor finds the student in the overview and opens the reflection.
    browser_login(page, world.supervisor)
    page.goto(f"{live_server}/studenten")
    page.get_by_role("link", name="Student Een").click()
    page.get_by_role("link", name="Reflectie ma 6 oktober").click()
    assert page.url.startswith(url)
    assert page.get_by_text("De kleuters bouwden een toren.").is_visible()
    page.get_by_label("Groeipunt").check()
    page.get_by_label("Je feedback").fill("Wat zag je bij **de kinderen**?")
    page.get_by_label("Kritische ingesteldheid").check()
    page.get_by_role("button", name="Feedback geven").click()
    panel = page.locator(f"#feedback-{reflection.id}")
    panel.get_by_text("Je feedback is bewaard.").wait_for()
    assert panel.locator("strong", has_text="de kinderen").is_visible()
    assert panel.locator(".badge-attitude", has_text="Kritische ingesteldheid").is_visible()

    # The student, in a fresh browser context, sees it beside the item and answers.
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    student_page = context.new_page()
    student_page.set_default_timeout(10_000)
    try:
        browser_login(student_page, world.student)
        student_page.goto(url)
        student_panel = student_page.locator(f"#feedback-{reflection.id}")
        assert student_panel.get_by_text("Groeipunt").first.is_visible()
        assert student_panel.get_by_text("Vaste Begeleider").is_visible()
        assert student_panel.get_by_text("(vaste stagebegeleider)").is_visible()
        assert student_page.get_by_role("button", name="Feedback geven").count() == 0
        student_page.get_by_label("Antwoord op deze feedback").fill("Ze wilden zelf bouwen.")
        student_page.get_by_role("button", name="Antwoord").click()
        student_panel.get_by_text("Je antwoord is bewaard.").wait_for()
        assert student_panel.get_by_text("Ze wilden zelf bouwen.").is_visible()
    finally:
        context.close()

    # Back in the supervisor's browser: the answer is there after a reload.
    page.reload()
    assert page.get_by_text("Ze wilden zelf bouwen.").is_visible()

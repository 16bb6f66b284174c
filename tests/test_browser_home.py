"""In a real browser: the demo-like student signs in and sees the countdown."""

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.browser


def test_student_logs_in_and_sees_the_countdown(page, live_server, browser_login, world, set_now):
    set_now(datetime(2025, 11, 1, 12, 0, tzinfo=UTC))
    browser_login(page, world.student)
    countdown = page.locator("[data-countdown]")
    assert countdown.is_visible()
    assert countdown.inner_text().startswith("Nog ")
    assert page.get_by_role("heading", name="Afsluiten portfolio").is_visible()
    assert page.locator("main#inhoud").count() == 1

"""With the keyboard only: the skip link comes first and lands in main; a reflection's first
field is reachable with Tab."""

import pytest
from crawl_support import demo_world  # noqa: F401 - the fixture: the demo seeded in the test db

from portfolio.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ACTIVE = "(() => { const e = document.activeElement; return [e.tagName, e.id, e.className]; })()"


def _skip_to_main(page) -> None:
    page.keyboard.press("Tab")
    tag, _, classes = page.evaluate(ACTIVE)
    assert (tag, classes) == ("A", "skip-link"), "the skip link is the first Tab stop"
    assert page.locator(".skip-link").is_visible()  # it shows itself when focused
    page.keyboard.press("Enter")
    assert page.evaluate(ACTIVE)[:2] == ["MAIN", "inhoud"]


def test_skip_link_then_tab_into_the_reflection(page, live_server, browser_login, demo_world):  # noqa: F811
    browser_login(page, demo_world.users["student"], DEMO_PASSWORD)
    page.goto(f"{live_server}/")
    _skip_to_main(page)

    reflection = page.locator("a[href*='/reflectie']").first.get_attribute("href")
    page.goto(f"{live_server}{reflection}")
    page.wait_for_load_state("networkidle")
    first_field = page.locator("main textarea").first.get_attribute("id")
    assert first_field
    _skip_to_main(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)[1] == first_field:
            break
    else:
        pytest.fail(f"40 Tabs after the skip link and #{first_field} never got focus")
    page.keyboard.type("Met het toetsenbord getypt.")
    assert "toetsenbord" in page.locator(f"#{first_field}").input_value()

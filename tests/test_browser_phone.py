"""On a 360 px wide phone no page scrolls sideways: wide tables scroll inside their wrapper."""

import pytest
from crawl_support import demo_world  # noqa: F401 - the fixture: the demo seeded in the test db

from portfolio.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def _assert_fits(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1, url
    # What sticks out of the viewport (outside a table wrapper), to say why if it fails.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && !e.closest('.table-wrap'))
            .slice(0, 12).map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert _scroll_width(page) <= PHONE["width"] + 1, (url, wide)


def test_phone_pages_do_not_scroll_sideways(page, live_server, browser_login, demo_world):  # noqa: F811
    page.set_viewport_size(PHONE)
    placement = demo_world.placements["student"]
    pid = placement.id
    browser_login(page, demo_world.users["student"], DEMO_PASSWORD)
    _assert_fits(page, f"{live_server}/")
    day = page.locator("a[href*='/reflectie']").first.get_attribute("href")
    assert day, "the student's home links to a reflection"
    _assert_fits(page, f"{live_server}{day}")
    _assert_fits(page, f"{live_server}/stages/{pid}/evaluatie")
    # Forms in a grid, and headings with long attitude names ("Verantwoordelijkheidszin").
    _assert_fits(page, f"{live_server}/stages/{pid}/portfolio/stap-3")
    _assert_fits(page, f"{live_server}/stages/{pid}/portfolio/presentatie")

    page.context.clear_cookies()
    browser_login(page, demo_world.users["begeleider"], DEMO_PASSWORD)
    _assert_fits(page, f"{live_server}/studenten")
    _assert_fits(page, f"{live_server}/stages/{pid}/evaluatie")
    _assert_fits(page, f"{live_server}/stages/{pid}/evaluatie/tussentijds")
    _assert_fits(page, f"{live_server}/stages/{pid}/synthese")
    _assert_fits(page, f"{live_server}/stages/{pid}/feedback")

    page.context.clear_cookies()
    browser_login(page, demo_world.users["coordinator"], DEMO_PASSWORD)
    _assert_fits(page, f"{live_server}/beheer")
    _assert_fits(page, f"{live_server}/studenten")

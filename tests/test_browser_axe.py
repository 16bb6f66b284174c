"""axe-core (vendored from its npm package, tests/vendor/) on sample pages of every role at
360 px and 1280 px wide: no violations. Sampled, not crawled: the crawl (test_crawl.py) checks
every page with our own rules; axe adds rendered-page rules (contrast, scroll regions, focus)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from crawl_support import demo_world  # noqa: F401 - the fixture: the demo seeded in the test db

from portfolio.demo import DEMO_PASSWORD
from portfolio.domain.mentor_links import issue_link

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
WIDTHS = (360, 1280)


def _pages(demo) -> dict[str, list[str]]:
    pid = demo.placements["student"].id
    base = f"/stages/{pid}"
    return {
        "student": [
            "/",
            f"{base}/portfolio",
            f"{base}/portfolio/stap-3",
            f"{base}/portfolio/stap-5",
            f"{base}/portfolio/stagepakket",
            f"{base}/feedback",
            f"{base}/evaluatie",
        ],
        "begeleider": ["/studenten", f"{base}/feedback", f"{base}/evaluatie", f"{base}/synthese"],
        "coordinator": ["/beheer", f"/beheer/stages/{pid}", "/beheer/pools", "/beheer/personen"],
    }


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{url} @{page.viewport_size['width']}: {v['id']} "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
    ]


@pytest.fixture
def axe_page(browser):
    # Page scripts stay under our CSP; only the injected axe source bypasses it.
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_no_axe_violations_for_any_role(axe_page, live_server, browser_login, demo_world, db):  # noqa: F811
    found = []
    for role, urls in _pages(demo_world).items():
        axe_page.context.clear_cookies()
        browser_login(axe_page, demo_world.users[role], DEMO_PASSWORD)
        for width in WIDTHS:
            axe_page.set_viewport_size({"width": width, "height": 800})
            found += [v for url in urls for v in _violations(axe_page, live_server + url)]
    mentor = demo_world.users["mentor"]
    _, token = issue_link(db, mentor, moment=datetime(2025, 10, 8, 9, 0, tzinfo=UTC), actor=None)
    db.commit()
    axe_page.context.clear_cookies()
    axe_page.goto(f"{live_server}/m/{token}")
    for width in WIDTHS:
        axe_page.set_viewport_size({"width": width, "height": 800})
        found += _violations(axe_page, f"{live_server}/mentor")
    assert found == [], "\n".join(found)

"""axe-core (vendored from its npm package, tests/vendor/) finds no violation on any page of
any role, on a 360x740 phone and a 1280x800 screen.

"Every page" is what the crawl (crawl_support.py) reaches as each role over the demo world,
links inside htmx-loaded parts included: of every shape (URLs that differ only in numbers and
query values render one template) the first page reached is opened in Chromium as that role:
the student, the supervisor, a pool colleague, the coordinator, and the mentor (signed in
through a mentor link); about 210 pages. axe runs once what htmx loads on page load is in.
Each page is loaded once and checked at both widths (the viewport is resized in between); one
browser context per role. Every <details> is opened first (the phone menu, a day's offers),
so what folds away is checked too. Not covered: further instances of a shape (another item
kind on the same item URL) and states reached only by a POST (a form with errors). The
crawl's own checks (test_crawl.py) run on every URL it reaches; axe adds the rules that
need a rendered page (contrast, scrollable regions, landmarks, names).
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from crawl_support import ROLES, crawl_every_role, demo_world  # noqa: F401 - demo_world: a fixture

from portfolio.demo import DEMO_PASSWORD
from portfolio.domain.mentor_links import issue_link

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
# What htmx loads on page load has come in and settled (classes htmx sets while it works).
HTMX_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
VIEWPORTS = ({"width": 360, "height": 740}, {"width": 1280, "height": 800})


def _violations(page, url: str) -> list[str]:
    """Open the page at the first viewport, run axe at every viewport."""
    found = []
    page.set_viewport_size(VIEWPORTS[0])
    page.goto(url)  # waits for the load event
    if page.url != url:  # signed out, refused or sent elsewhere: axe would check another page
        return [f"{url}: opened {page.url} instead"]
    page.wait_for_function(HTMX_IDLE)
    # Open what folds away (the phone menu, a day's offers, more prompts): axe then checks it
    # too, at both widths. Closed, a <details> shows only its summary, which stays in view.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true })")
    page.evaluate(AXE)
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [
            f"{url} @{viewport['width']}: {v['id']} "
            + "; ".join(f"{n['target']} {n['html'][:120]}" for n in v["nodes"][:3])
            for v in result["violations"]
        ]
    return found


def _sign_in(page, role: str, demo, db, live_server, browser_login) -> None:
    if role != "mentor":
        browser_login(page, demo.users[role], DEMO_PASSWORD)
        return
    moment = datetime(2025, 10, 8, 9, 0, tzinfo=UTC)
    _, token = issue_link(db, demo.users["mentor"], moment=moment, actor=None)
    db.commit()
    page.goto(f"{live_server}/m/{token}")


def test_no_axe_violations_on_any_page_of_any_role(
    app,
    browser,
    live_server,
    browser_login,
    demo_world,  # noqa: F811
    login_as,
    db,
):
    crawled = crawl_every_role(app, demo_world, login_as, db)
    found, covered = [], {}
    for role in ROLES:
        urls = crawled[role].one_per_shape()
        covered[role] = len(urls)
        # Page scripts stay under our CSP; only the injected axe source bypasses it.
        context = browser.new_context(
            locale="nl-BE",
            timezone_id="Europe/Brussels",
            bypass_csp=True,
            # The service worker would fetch pages for offline use in the background: that
            # is no part of any page axe checks, and only slows every page down.
            service_workers="block",
        )
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            _sign_in(page, role, demo_world, db, live_server, browser_login)
            for url in urls:
                found += _violations(page, live_server + url)
        finally:
            context.close()
    # The crawl saw the app: every role has a good number of distinct pages.
    assert min(covered.values()) > 5, covered
    assert found == [], f"{len(found)} violations on {covered} pages:\n" + "\n".join(found)

"""In a real browser: injection strings typed into a reflection never run, saved or previewed."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.models import Item, ItemKind, StageDay

pytestmark = pytest.mark.browser

# Each payload would set window.__xss (or open a dialog) if it ever ran.
PAYLOADS = "\n\n".join(
    [
        "<script>window.__xss = 'script'</script>",
        "<img src=x onerror=\"window.__xss = 'img'\">",
        "<svg onload=\"window.__xss = 'svg'\"></svg>",
        "[klik](javascript:window.__xss='link')",
        "[x](javascript:alert(1))",
        '<a href="vbscript:msgbox(1)">vb</a>',
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<div hx-get="/portfolio" hx-trigger="load" hx-on::load="window.__xss=\'htmx\'">hx</div>',
        '<iframe src="javascript:alert(1)"></iframe>',
        "![beeld](x\" onerror=\"window.__xss='alt')",
        "**vet** blijft gewoon werken",
    ]
)


def _check_region(page, selector):
    region = page.locator(selector)
    assert region.locator("script, iframe, svg, img[onerror], [hx-get], [onload]").count() == 0
    hrefs = region.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        assert not href.lower().startswith(("javascript:", "vbscript:", "data:text")), href


def test_injections_in_a_reflection_never_run(page, live_server, browser_login, world, db):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_login(page, world.student)
    day = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).first()
    base = f"{live_server}/stages/{world.placement.id}/portfolio"
    page.goto(f"{base}/dagen/{day.id}/reflectie")
    field = page.get_by_label("1) Wat gebeurde er?", exact=True)
    page.get_by_role("button", name="Voorbeeld van 1) Wat gebeurde er?").click()
    field.fill(PAYLOADS)
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    preview = page.get_by_label("Voorbeeld van 1) Wat gebeurde er?")
    expect(preview.locator("strong")).to_have_text("vet")
    expect(preview).to_contain_text("<script>")  # shown as text, not run
    _check_region(page, ".md-preview")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None

    db.expire_all()
    # The service worker opens the other recent days' reflections too: pick this day's.
    item = db.exec(
        select(Item).where(Item.kind == ItemKind.REFLECTIE, Item.stage_day_id == day.id)
    ).one()
    assert item.content["wat_gebeurde"].replace("\r\n", "\n") == PAYLOADS
    page.goto(f"{base}/items/{item.id}/versies/{item.version}")
    expect(page.locator(".version-content strong")).to_have_text("vet")
    _check_region(page, ".version-content")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None

    # The supervisor's read-only view renders the same text.
    page.context.clear_cookies()
    browser_login(page, world.supervisor)
    page.goto(f"{base}/dagen/{day.id}/reflectie")
    expect(page.locator(".md strong").first).to_have_text("vet")
    _check_region(page, ".item-main")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []

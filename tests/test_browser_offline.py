"""In a real browser: the installed app offline (service worker + offline store), the per-user
page cache cleared on sign-out, and a plain form's draft restored after an expired form."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.models import Item, ItemKind, StageDay

pytestmark = pytest.mark.browser

WHAT = "1) Wat gebeurde er?"
KEPT_PAGES = "caches.keys().then(names => names.filter(n => n.startsWith('pages-')))"


def _today(db, world) -> StageDay:
    """Wednesday 8 October 2025 (the pinned clock) or the last stage day before it."""
    days = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).all()
    return [d for d in days if d.day.isoformat() <= "2025-10-08"][-1]


def _reflection_url(live_server, world, day: StageDay) -> str:
    return f"{live_server}/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie"


def _reflection(db, day: StageDay) -> Item | None:
    """The day's reflection; None until its first save (opening the page creates nothing)."""
    db.expire_all()
    query = select(Item).where(Item.kind == ItemKind.REFLECTIE, Item.stage_day_id == day.id)
    return db.exec(query).one_or_none()


def _open_online(page, url):
    """Open a page online and wait until the service worker kept the pages for offline use."""
    page.goto(url)
    expect(page.locator("html[data-offline-ready]")).to_have_count(1)


def test_todays_reflection_opens_offline_and_arrives_when_back_online(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    day = _today(db, world)
    url = _reflection_url(live_server, world, day)
    _open_online(page, url)
    page.context.set_offline(True)
    page.reload()  # served by the service worker from the phone
    field = page.get_by_label(WHAT, exact=True)
    field.fill("Op de bus getypt.")
    status = page.locator(".save-status").first
    expect(status).to_contain_text("Op je toestel bewaard, nog niet verstuurd")
    assert _reflection(db, day) is None  # nothing sent yet, not even an empty reflection
    page.context.set_offline(False)
    expect(status).to_contain_text("Bewaard om")
    assert _reflection(db, day).content["wat_gebeurde"] == "Op de bus getypt."


def test_a_page_not_kept_says_plainly_it_needs_the_server(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    _open_online(page, _reflection_url(live_server, world, _today(db, world)))
    page.context.set_offline(True)
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio/stap-1")
    expect(page.get_by_role("heading", name="Geen verbinding")).to_be_visible()


def test_a_newer_save_elsewhere_while_offline_is_shown_not_overwritten(
    page, browser, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    day = _today(db, world)
    url = _reflection_url(live_server, world, day)
    _open_online(page, url)
    page.context.set_offline(True)
    page.get_by_label(WHAT, exact=True).fill("Tekst van de telefoon")
    expect(page.locator(".save-status").first).to_contain_text("nog niet verstuurd")

    laptop = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels").new_page()
    browser_login(laptop, world.student)
    laptop.goto(url)
    laptop.get_by_label(WHAT, exact=True).fill("Tekst van de laptop")
    expect(laptop.locator(".save-status").first).to_contain_text("Bewaard om")
    laptop.context.close()

    page.context.set_offline(False)
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Tekst van de laptop")
    expect(conflict).to_contain_text("Tekst van de telefoon")
    assert _reflection(db, day).content["wat_gebeurde"] == "Tekst van de laptop"


def test_signing_out_deletes_the_kept_pages(page, live_server, browser_login, world, db):
    browser_login(page, world.student)
    url = _reflection_url(live_server, world, _today(db, world))
    _open_online(page, url)
    assert page.evaluate(KEPT_PAGES) == [f"pages-{world.student.id}"]
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    # Polled from here: page.evaluate awaits the promise (wait_for_function would take the
    # promise itself as a truthy answer, and polls strings with eval, which the CSP refuses).
    for _ in range(100):
        if page.evaluate(KEPT_PAGES) == []:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(KEPT_PAGES) == []
    page.context.set_offline(True)
    page.goto(url)
    expect(page.get_by_role("heading", name="Geen verbinding")).to_be_visible()


def test_an_expired_form_gets_its_typed_text_back(app, page, live_server, browser_login, world):
    app.config["WTF_CSRF_ENABLED"] = True
    browser_login(page, world.supervisor)
    url = f"{live_server}/stages/{world.placement.id}/waarschuwingen"
    page.goto(url)
    page.get_by_label("Feiten").fill("Drie keer te laat in de klas.")
    page.get_by_label("Wat is onwenselijk en waarom?").fill("De kinderen wachtten.")
    # The form grew old: its token no longer matches the session.
    page.evaluate(
        "document.querySelector('form[action$=waarschuwingen] [name=csrf_token]').value = 'oud'"
    )
    page.get_by_role("button", name="Waarschuwing bewaren").click()
    expect(page.get_by_role("heading", name="Formulier verlopen")).to_be_visible()
    expect(page.get_by_text("staat op dit toestel bewaard")).to_be_visible()

    page.goto(url)
    expect(page.get_by_label("Feiten")).to_have_value("Drie keer te laat in de klas.")
    expect(page.get_by_label("Wat is onwenselijk en waarom?")).to_have_value(
        "De kinderen wachtten."
    )
    expect(page.get_by_text("Hersteld: tekst die je op dit toestel typte")).to_be_visible()
    page.get_by_role("button", name="Waarschuwing bewaren").click()
    expect(page.get_by_text("Waarschuwing 1 bewaard.")).to_be_visible()
    # Accepted by the server: the draft is gone and the empty form stays empty.
    page.reload()
    expect(page.get_by_label("Feiten")).to_have_value("")
    assert page.evaluate("OfflineStore.list('form:').then(ds => ds.length)") == 0

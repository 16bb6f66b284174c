"""In a real browser: autosave while typing, offline drafts, conflicts, the Markdown preview."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.models import Item, ItemKind, StageDay

pytestmark = pytest.mark.browser

# The keys of the drafts waiting in the offline store (IndexedDB, see offline-store.js).
WAITING_DRAFTS = "OfflineStore.list('portfolio:').then(ds => ds.map(d => d.key))"


def _first_day(db, world):
    return db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).first()


def _reflection_url(live_server, db, world):
    day = _first_day(db, world)
    return f"{live_server}/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie"


def _reflection(db, world):
    """The first stage day's reflection (the service worker opens other days' pages too)."""
    db.expire_all()
    day_id = _first_day(db, world).id
    query = select(Item).where(Item.kind == ItemKind.REFLECTIE, Item.stage_day_id == day_id)
    return db.exec(query).one()


def test_autosave_survives_reload_and_going_offline(page, live_server, browser_login, world, db):
    console = []
    page.on("console", lambda message: console.append(message.text))
    browser_login(page, world.student)
    url = _reflection_url(live_server, db, world)
    page.goto(url)
    status = page.locator(".save-status").first
    field = page.get_by_label("1) Wat gebeurde er?", exact=True)
    field.fill("De onthaalkring liep uit.")
    expect(status).to_contain_text("Bewaard om")
    page.reload()
    expect(page.get_by_label("1) Wat gebeurde er?", exact=True)).to_have_value(
        "De onthaalkring liep uit."
    )
    assert _reflection(db, world).content["wat_gebeurde"] == "De onthaalkring liep uit."

    page.context.set_offline(True)
    field = page.get_by_label("1) Wat gebeurde er?", exact=True)
    field.fill("De onthaalkring liep uit. Daarna turnen.")
    expect(status).to_contain_text("Op je toestel bewaard, nog niet verstuurd")
    assert _reflection(db, world).content["wat_gebeurde"] == "De onthaalkring liep uit."
    page.context.set_offline(False)
    expect(status).to_contain_text("Bewaard om")
    assert (
        _reflection(db, world).content["wat_gebeurde"] == "De onthaalkring liep uit. Daarna turnen."
    )
    page.reload()
    expect(page.get_by_label("1) Wat gebeurde er?", exact=True)).to_have_value(
        "De onthaalkring liep uit. Daarna turnen."
    )
    assert page.evaluate(WAITING_DRAFTS) == []
    assert not [m for m in console if "Content Security Policy" in m]  # no inline script/style


def test_draft_typed_offline_is_sent_when_the_page_loads_again(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    url = _reflection_url(live_server, db, world)
    page.goto(url)
    page.get_by_label("2) Waaraan lag dit?", exact=True).fill("Eerste versie.")
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    page.context.set_offline(True)
    page.get_by_label("2) Waaraan lag dit?", exact=True).fill("Offline getypt.")
    expect(page.locator(".save-status").first).to_contain_text("nog niet verstuurd")
    # The tab is closed while offline; the draft waits in IndexedDB for the next visit.
    # Let the delayed save run (and wait, offline) before the tab closes: a request made while
    # a tab closes escapes Playwright's offline emulation.
    page.wait_for_timeout(1500)
    context = page.context
    page.close()
    assert _reflection(db, world).content["waaraan_lag"] == "Eerste versie."
    context.set_offline(False)
    page = context.new_page()
    # The stage days' list says which reflection still waits on this device.
    page.goto(f"{live_server}/stages/{world.placement.id}/portfolio")
    waiting = page.locator("[data-waiting-draft]:visible")
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("op je toestel bewaard, nog niet verstuurd")
    page.goto(url)
    expect(page.get_by_label("2) Waaraan lag dit?", exact=True)).to_have_value("Offline getypt.")
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    assert _reflection(db, world).content["waaraan_lag"] == "Offline getypt."


def test_conflict_shows_both_texts_and_keeping_mine_saves_it(
    page, live_server, browser_login, world, db
):
    browser_login(page, world.student)
    url = _reflection_url(live_server, db, world)
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    page.get_by_label("3) Wat neem ik mee naar de toekomst?", exact=True).fill(
        "Tekst uit venster A"
    )
    expect(page.locator(".save-status").first).to_contain_text("Bewaard om")
    other.get_by_label("3) Wat neem ik mee naar de toekomst?", exact=True).fill(
        "Tekst uit venster B"
    )
    conflict = other.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Tekst uit venster A")
    expect(conflict).to_contain_text("Tekst uit venster B")
    other.get_by_role("button", name="Mijn tekst houden").click()
    expect(other.locator(".save-status").first).to_contain_text("Bewaard om")
    assert _reflection(db, world).content["meenemen"] == "Tekst uit venster B"
    # Window A now conflicts; it takes the saved version instead.
    page.get_by_label("3) Wat neem ik mee naar de toekomst?", exact=True).fill("Nog eens A")
    expect(page.locator(".conflict")).to_be_visible()
    page.get_by_role("button", name="De bewaarde versie nemen").click()
    expect(page.get_by_label("3) Wat neem ik mee naar de toekomst?", exact=True)).to_have_value(
        "Tekst uit venster B"
    )
    assert _reflection(db, world).content["meenemen"] == "Tekst uit venster B"


def test_markdown_preview_shows_bold(page, live_server, browser_login, world, db):
    browser_login(page, world.student)
    page.goto(_reflection_url(live_server, db, world))
    page.get_by_role("button", name="Voorbeeld van 1) Wat gebeurde er?").click()
    page.get_by_label("1) Wat gebeurde er?", exact=True).fill("Dit was **heel fijn**.")
    preview = page.get_by_label("Voorbeeld van 1) Wat gebeurde er?")
    expect(preview.locator("strong")).to_have_text("heel fijn")

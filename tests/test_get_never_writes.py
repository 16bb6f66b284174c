"""Opening a part of the portfolio or an offer's design writes nothing (a service worker
prefetching pages, a link preview, a look): the page shows a blank form, and the first save
or the first upload creates the item, once."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from signing_support import write_document
from sqlmodel import Session, func, select

from portfolio.domain import items as ops
from portfolio.domain.files import upload_accept
from portfolio.domain.steps import SPECS
from portfolio.models import AuditEvent, Item, ItemKind, ItemVersion, Setting, StageDay, Upload
from portfolio.routes.portfolio.common import PART_SLUGS

NOW = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
CLOSED = datetime(2025, 11, 8, 0, 0, tzinfo=UTC)  # the default placement closed 7 Nov
HX = {"HX-Request": "true"}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
VERSION = re.compile(r'name="version" value="(\d+)"')
ITEM_ID = re.compile(r'name="item_id" value="(\d+)"')


@pytest.fixture
def student(db, world, login_as, set_now):
    set_now(NOW)
    # The optional signed documents are in use, so that every part page opens.
    for slug in ("stageovereenkomst", "risicoanalyse"):
        db.add(Setting(key=f"document.{slug}", value="aan:student,mentor"))
    db.commit()
    return login_as(world.student)


@pytest.fixture
def offer(db, world, make_item):
    """An own offer (its design asks the five parts) on the first stage day."""
    day = db.exec(select(StageDay).where(StageDay.placement_id == world.placement.id)).first()
    content = {"tijd": "9.00", "bron": "eigen"}
    return make_item(
        world.placement, ItemKind.AANBOD, title="Kring", content=content, stage_day_id=day.id
    )


def _base(world) -> str:
    return f"/stages/{world.placement.id}/portfolio"


def _counts(db) -> dict[str, int]:
    db.expire_all()
    return {
        model.__name__: db.exec(select(func.count()).select_from(model)).one()
        for model in (Item, ItemVersion, AuditEvent, Upload)
    }


def _items(db, world, kind: str) -> list[Item]:
    db.expire_all()
    query = select(Item).where(Item.placement_id == world.placement.id, Item.kind == kind)
    return list(db.exec(query))


def _first_field(kind: str) -> str:
    # An own offer's design asks the five parts, not the accents.
    return next(f.key for f in SPECS[kind].fields if f.key != "accenten")


def _page(world, kind: str, offer) -> str:
    """The page of the student's singleton of `kind` (a part, or the offer's design)."""
    if kind == ItemKind.DENKWERK:
        return f"{_base(world)}/aanbod/{offer.id}/denkwerk"
    slug = next(s for s, k in PART_SLUGS.items() if k == kind)
    return f"{_base(world)}/{slug}"


def _blank_form(kind: str, offer) -> dict:
    """What autosave.js posts from a blank page: the form's hidden fields, no item_id."""
    form = {"kind": kind, "version": "0", "form_key": f"{kind}---"}
    if kind == ItemKind.DENKWERK:
        form["parent_id"] = str(offer.id)
    return form


def _save(client, world, form: dict):
    return client.post(f"{_base(world)}/bewaren", data=form, headers=HX)


def _upload(client, url: str, content: bytes = PNG, name: str = "foto.png"):
    return client.post(
        url,
        data={"bestand": (io.BytesIO(content), name), "bijschrift": "Mijn bestand"},
        content_type="multipart/form-data",
        headers=HX,
    )


KINDS = [*PART_SLUGS.values(), ItemKind.DENKWERK]


# ---------------------------------------------------------------- a GET never writes


@pytest.mark.parametrize("kind", KINDS)
def test_opening_the_page_creates_nothing_and_shows_a_blank_form(db, world, student, offer, kind):
    before = _counts(db)
    page = student.get(_page(world, kind, offer))
    assert page.status_code == 200
    assert _counts(db) == before
    assert f'name="kind" value="{kind}"' in page.text
    assert 'name="version" value="0"' in page.text
    assert 'name="item_id"' not in page.text
    if kind == ItemKind.DENKWERK:
        assert f'name="parent_id" value="{offer.id}"' in page.text
        assert "Ontwerp: nog niet klaar" in page.text
    if upload_accept(kind):
        # A part that takes files: the first upload goes to the URL that creates the item.
        assert f'action="{_page(world, kind, offer)}/bestanden"' in page.text


def test_readers_opening_every_part_create_nothing(db, world, student, offer, login_as):
    before = _counts(db)
    for who in (world.supervisor, world.mentor):
        client = login_as(who)
        for kind in KINDS:
            client.get(_page(world, kind, offer))
    assert _counts(db) == before


def test_the_blank_0_document_shows_what_its_first_save_starts_from(db, world, student):
    page = student.get(f"{_base(world)}/nuldocument")
    assert _items(db, world, ItemKind.NULDOCUMENT) == []
    assert 'value="Kleuterschool Testplein"' in page.text  # the placement's site
    assert "nog niet bewaard" in page.text
    saved = _save(
        student,
        world,
        {
            **_blank_form(ItemKind.NULDOCUMENT, None),
            "stageplaats": "Kleuterschool Testplein",
            "adres_student": "Kerkstraat 1",
        },
    )
    assert saved.status_code == 200
    [item] = _items(db, world, ItemKind.NULDOCUMENT)
    assert item.content["adres_student"] == "Kerkstraat 1"
    assert item.content["stageplaats"] == "Kleuterschool Testplein"
    assert item.content["type_stageplaats"]  # carried from the start, though not posted


# ---------------------------------------------------------------- the first save creates it


@pytest.mark.parametrize("kind", KINDS)
def test_the_first_save_creates_the_item_and_the_next_one_updates_it(
    db, world, student, offer, kind
):
    field = _first_field(kind)
    first = _save(student, world, {**_blank_form(kind, offer), field: "Eerste tekst."})
    assert first.status_code == 200, first.text
    [item] = _items(db, world, kind)
    assert item.content[field] == "Eerste tekst."
    assert item.parent_id == (offer.id if kind == ItemKind.DENKWERK else None)
    assert ITEM_ID.search(first.text).group(1) == str(item.id)
    version = VERSION.search(first.text).group(1)
    assert version == str(item.version) == "2"
    second = _save(
        student,
        world,
        {**_blank_form(kind, offer), field: "Tweede.", "item_id": str(item.id), "version": version},
    )
    assert second.status_code == 200, second.text
    [again] = _items(db, world, kind)
    assert (again.id, again.version, again.content[field]) == (item.id, 3, "Tweede.")


def test_a_second_tabs_first_save_conflicts_instead_of_making_a_second_item(db, world, student):
    kind = ItemKind.BEGINSITUATIE
    assert (
        _save(student, world, {**_blank_form(kind, None), "doelgroep": "Tab A"}).status_code == 200
    )
    # Tab B was opened before anything was saved: it posts version 0 and no item_id too.
    other = _save(student, world, {**_blank_form(kind, None), "doelgroep": "Tab B"})
    assert other.status_code == 409
    assert "Tab A" in other.text and "Tab B" in other.text
    [item] = _items(db, world, kind)
    assert item.content["doelgroep"] == "Tab A"


def test_two_first_saves_at_once_make_one_item_and_a_conflict(
    db, world, student, engine, monkeypatch
):
    """Tab A's first save commits while tab B's request is between its look (none yet) and the
    placement lock: B then finds A's item after the lock and must not overwrite it."""
    kind = ItemKind.BEGINSITUATIE
    looked = ops.find_item
    calls = []

    def racing(session, placement, kind_, scope):
        calls.append(kind_)
        if len(calls) == 1:  # the look before the lock
            monkeypatch.setattr(ops, "find_item", looked)
            with Session(engine) as tab_a:
                write_document(tab_a, world, kind, {"doelgroep": "Tab A"})  # commits
            return None
        return looked(session, placement, kind_, scope)

    monkeypatch.setattr(ops, "find_item", racing)
    response = _save(student, world, {**_blank_form(kind, None), "doelgroep": "Tab B"})
    assert len(calls) == 1
    assert response.status_code == 409, response.text
    [item] = _items(db, world, kind)
    assert (item.version, item.content["doelgroep"]) == (2, "Tab A")


def test_two_first_saves_that_race_still_save_into_an_item_nobody_wrote(
    db, world, student, engine, monkeypatch
):
    """The same race, but tab A's request only created the item (a first upload): tab B's
    version-0 form may fill it."""
    kind = ItemKind.VERKENNING
    looked = ops.find_item

    def racing(session, placement, kind_, scope):
        monkeypatch.setattr(ops, "find_item", looked)
        with Session(engine) as tab_a:
            ops.get_or_create_item(
                tab_a, tab_a.merge(world.placement), kind, actor=world.student, moment=NOW
            )
            tab_a.commit()
        return None

    monkeypatch.setattr(ops, "find_item", racing)
    response = _save(student, world, {**_blank_form(kind, None), "afspraken": "Tab B"})
    assert response.status_code == 200, response.text
    [item] = _items(db, world, kind)
    assert item.content == {"afspraken": "Tab B"}


# ---------------------------------------------------------------- the first upload creates it


@pytest.mark.parametrize(
    ("slug", "content", "name"),
    [
        ("verkenningsgesprek", PNG, "foto.png"),
        ("stagepakket", PNG, "foto.png"),
        ("stageovereenkomst", PDF, "overeenkomst.pdf"),
        ("presentatie", PNG, "dia.png"),
    ],
)
def test_the_first_upload_on_a_blank_part_creates_it_and_the_open_form_still_saves(
    db, world, student, slug, content, name
):
    kind = PART_SLUGS[slug]
    answer = _upload(student, f"{_base(world)}/{slug}/bestanden", content, name)
    assert answer.status_code == 200, answer.text
    [item] = _items(db, world, kind)
    [stored] = db.exec(select(Upload).where(Upload.item_id == item.id)).all()
    assert (stored.original_name, stored.caption) == (name, "Mijn bestand")
    assert f"/items/{item.id}/bestanden" in answer.text  # the widget now names the item
    # A second upload from the same (old) widget goes onto the same item.
    assert _upload(student, f"{_base(world)}/{slug}/bestanden", content, name).status_code == 200
    assert len(_items(db, world, kind)) == 1
    # The page's form was loaded before the item existed (version 0, no id): no conflict.
    field = _first_field(kind)
    saved = _save(student, world, {**_blank_form(kind, None), field: "Bij het bestand."})
    assert saved.status_code == 200, saved.text
    assert _items(db, world, kind)[0].content == {field: "Bij het bestand."}


def test_a_refused_first_upload_leaves_nothing_and_a_widget_that_retries(db, world, student):
    before = _counts(db)
    url = f"{_base(world)}/presentatie/bestanden"
    answer = _upload(student, url, b"Dit is gewoon tekst.\n" * 10, "nep.png")
    assert answer.status_code in (400, 415, 422), answer.status_code
    assert _counts(db) == before
    assert f'action="{url}"' in answer.text


def test_designs_and_parts_without_files_refuse_a_first_upload(db, world, student, offer):
    """Designs take no files: their page has no first-upload URL at all."""
    before = _counts(db)
    base = _base(world)
    for url in (f"{base}/aanbod/{offer.id}/denkwerk/bestanden", f"{base}/stap-1/bestanden"):
        assert _upload(student, url).status_code == 404, url
    assert _counts(db) == before


def test_the_first_upload_urls_check_who_where_and_when(
    db, world, student, offer, login_as, set_now, make_item
):
    base = _base(world)
    part = f"{base}/presentatie/bestanden"
    # An offer of another placement, or an item that is no offer, has no design here.
    elsewhere = make_item(world.other_placement, ItemKind.AANBOD, title="Elders")
    not_an_offer = make_item(world.placement, ItemKind.ACTIEPUNT, title="Actie")
    before = _counts(db)
    assert _upload(login_as(world.other_student), part).status_code in (403, 404)
    for reader in (world.mentor, world.supervisor, world.coordinator):
        assert _upload(login_as(reader), f"{base}/stagepakket/bestanden").status_code == 403
    assert _upload(student, f"{base}/bestaat-niet/bestanden").status_code == 404
    for item in (elsewhere, not_an_offer):
        assert _upload(student, f"{base}/aanbod/{item.id}/denkwerk/bestanden").status_code == 404
    set_now(CLOSED)
    closed = _upload(login_as(world.student), part)
    assert closed.status_code == 403 and "afgesloten" in closed.text
    assert _counts(db) == before


def test_the_first_upload_urls_need_the_csrf_token(db, world, student, offer, app):
    app.config["WTF_CSRF_ENABLED"] = True
    before = _counts(db)
    base = _base(world)
    for url in (f"{base}/presentatie/bestanden", f"{base}/bewaren"):
        response = _upload(student, url)
        assert response.status_code == 400, url
        assert "Formulier verlopen" in response.text
    assert _counts(db) == before


# ---------------------------------------------------------------- signed documents


def test_a_blank_stagepakket_offers_nothing_to_sign_until_it_is_saved(db, world, student, login_as):
    base = _base(world)
    page = student.get(f"{base}/stagepakket").text
    assert "Handtekeningen" in page and "Onderteken als" not in page
    # Offering is there (it works right after the first autosave), and refuses an empty one.
    assert "Ter ondertekening aanbieden" in page
    refused = student.post(f"{base}/stagepakket/aanbieden")
    assert refused.status_code == 422 and "nog leeg" in refused.text
    mentor_page = login_as(world.mentor).get(f"{base}/stagepakket").text
    assert "Onderteken als" not in mentor_page
    assert _items(db, world, ItemKind.STAGEPAKKET) == []
    saved = _save(student, world, {**_blank_form(ItemKind.STAGEPAKKET, None), "taken": "Wandelen"})
    assert "data-signing-status" in saved.text
    assert student.post(f"{base}/stagepakket/aanbieden").status_code == 303
    assert "Onderteken als student" in student.get(f"{base}/stagepakket").text

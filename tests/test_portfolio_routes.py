"""The portfolio pages over HTTP: who reads, who writes, refusals, Markdown safety, query counts."""

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portfolio.domain import items as ops
from portfolio.models import Item, ItemKind, ItemVersion, Placement, Signature, StageDay, User

CLOSED = datetime(2025, 11, 8, 0, 0, tzinfo=UTC)  # the default placement closed 7 Nov 23:59:59
HX = {"HX-Request": "true"}
XSS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 1">',
    "[klik](javascript:alert(1))",
    "[x](javascript:alert(1))",
    '<a href="vbscript:msgbox(1)">vb</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div hx-get="/uitloggen" hx-trigger="load">htmx</div>',
    "![img](javascript:alert(1))",
    "<svg onload=alert(1)>",
]


def _days(db, placement_id):
    return list(
        db.exec(
            select(StageDay).where(StageDay.placement_id == placement_id).order_by(StageDay.day)
        )
    )


def _base(placement_id):
    return f"/stages/{placement_id}/portfolio"


def _item(db, placement_id, kind, *, moment=None, **scope):
    placement = db.get(Placement, placement_id)
    student = db.get(User, placement.student_id)
    moment = moment or datetime(2025, 10, 1, tzinfo=UTC)
    if ops.SPECS[kind].singleton:
        item = ops.get_or_create_item(db, placement, kind, actor=student, moment=moment, **scope)
    else:
        item = ops.create_item(
            db, placement, kind, title=scope.pop("title", ""), actor=student, moment=moment, **scope
        )
    db.commit()
    return item


def _offer(db, placement_id, day, title="Kring", bron="eigen"):
    placement = db.get(Placement, placement_id)
    student = db.get(User, placement.student_id)
    offer = ops.create_item(
        db,
        placement,
        ItemKind.AANBOD,
        title=title,
        content={"tijd": "9.00", "bron": bron},
        stage_day_id=day.id,
        actor=student,
        moment=datetime(2025, 10, 1, tzinfo=UTC),
    )
    db.commit()
    return offer


# ---------------------------------------------------------------- reading


def test_portfolio_menu_entry_redirects_to_the_newest_placement(login_as, world):
    response = login_as(world.student).get("/portfolio")
    assert response.status_code == 302
    assert response.location.endswith(f"/stages/{world.placement.id}/portfolio")
    assert login_as(world.supervisor).get("/portfolio").status_code == 302


STUDENT_PAGES = [
    "",
    "/nuldocument",
    "/verkenningsgesprek",
    "/stap-1",
    "/stap-2",
    "/stap-3",
    "/aanpak",
    "/stap-4",
    "/stap-5",
    "/ontwerpwerk",
    "/zelfbeeld",
    "/stagepakket",
    "/laatste-reflectie",
    "/coachingsgesprek",
    "/presentatie",
]


def test_student_gets_every_page_with_forms_and_handbook_prompts(login_as, world):
    client = login_as(world.student)
    for path in STUDENT_PAGES:
        response = client.get(_base(world.placement.id) + path)
        assert response.status_code == 200, path
    page = client.get(_base(world.placement.id) + "/stap-1").text
    assert "data-autosave" in page
    assert "hoe verhoud ik me ertoe als persoon?" in page  # the handbook prompt beside the field
    assert 'aria-describedby="beginsituatie----betekenis-hulp"' in page
    attitudes = client.get(_base(world.placement.id) + "/zelfbeeld").text
    assert attitudes.count("data-autosave") == 8  # one self-assessment per default attitude
    presentation = client.get(_base(world.placement.id) + "/presentatie").text
    assert presentation.count('name="kind" value="presentatie-attitude"') == 8


@pytest.mark.parametrize("who", ["supervisor", "colleague", "coordinator"])
def test_supervisors_and_coordinator_read_without_edit_controls(login_as, world, db, who):
    item = _item(db, world.placement.id, ItemKind.BEGINSITUATIE)
    ops.save_item(
        db,
        item,
        content={"doelgroep": "**Peuters** van de instapklas"},
        base_version=1,
        actor=db.get(User, world.student.id),
        moment=datetime(2025, 10, 1, tzinfo=UTC),
    )
    db.commit()
    client = login_as(getattr(world, who))
    for path in STUDENT_PAGES:
        response = client.get(_base(world.placement.id) + path)
        assert response.status_code == 200, path
        assert "data-autosave" not in response.text, path
    page = client.get(_base(world.placement.id) + "/stap-1").text
    assert "<strong>Peuters</strong> van de instapklas" in page
    assert "alleen lezen" in page
    assert db.exec(select(Item).where(Item.kind == ItemKind.NULDOCUMENT)).first() is None


def test_mentor_reads_only_what_the_handbook_gives_mentors(login_as, world, db):
    day = _days(db, world.placement.id)[0]
    reflection = _item(db, world.placement.id, ItemKind.REFLECTIE, stage_day_id=day.id)
    client = login_as(world.mentor)
    base = _base(world.placement.id)
    for path in ["", "/nuldocument", "/verkenningsgesprek", "/stap-3", "/stap-4", "/stagepakket"]:
        assert client.get(base + path).status_code == 200, path
    for path in [
        "/stap-1",
        "/stap-2",
        "/stap-5",
        "/zelfbeeld",
        "/ontwerpwerk",
        "/laatste-reflectie",
        "/coachingsgesprek",
        f"/dagen/{day.id}/reflectie",
        f"/items/{reflection.id}/geschiedenis",
        f"/items/{reflection.id}",
    ]:
        assert client.get(base + path).status_code == 403, path
    presentation = client.get(base + "/presentatie").text
    assert "presentatie-attitude" not in presentation  # growth per attitude is personal
    overview = client.get(base).text
    assert "Reflectie:" not in overview and "Stap 1" not in overview


@pytest.mark.parametrize("who", ["outsider", "other_student", "other_mentor"])
def test_strangers_get_403(login_as, world, who):
    client = login_as(getattr(world, who))
    for path in ["", "/stap-1", "/stap-3"]:
        assert client.get(_base(world.placement.id) + path).status_code == 403


def test_item_of_another_placement_is_404(login_as, world, db):
    theirs = _item(db, world.other_placement.id, ItemKind.ACTIEPUNT)
    client = login_as(world.student)
    base = _base(world.placement.id)
    assert client.get(f"{base}/items/{theirs.id}").status_code == 404
    assert client.get(f"{base}/items/{theirs.id}/geschiedenis").status_code == 404
    response = client.post(f"{base}/bewaren", data={"item_id": theirs.id, "version": 1})
    assert response.status_code == 404
    assert client.post(f"{base}/items/{theirs.id}/verwijderen").status_code == 404
    assert (
        client.post(f"{base}/items/{theirs.id}/terugzetten", data={"version": 1}).status_code == 404
    )
    other_day = _days(db, world.other_placement.id)[0]
    assert client.get(f"{base}/dagen/{other_day.id}/reflectie").status_code == 404
    assert client.get(f"{base}/onbekend").status_code == 404


# ---------------------------------------------------------------- saving


def test_autosave_creates_the_singleton_and_answers_with_the_new_version(login_as, world, db):
    day = _days(db, world.placement.id)[0]
    client = login_as(world.student)
    response = client.post(
        _base(world.placement.id) + "/bewaren",
        data={
            "kind": "reflectie",
            "stage_day_id": day.id,
            "version": 0,
            "wat_gebeurde": "De kring liep uit.",
            "onbekend_veld": "weg",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "Bewaard om 12:00" in response.text
    item = db.exec(select(Item).where(Item.kind == ItemKind.REFLECTIE)).one()
    assert item.content == {"wat_gebeurde": "De kring liep uit."}
    assert f'name="item_id" value="{item.id}"' in response.text
    assert 'name="version" value="2"' in response.text
    # Without htmx the Bewaren button redirects back to the page.
    plain = client.post(
        _base(world.placement.id) + "/bewaren",
        data={"item_id": item.id, "version": 2, "wat_gebeurde": "Anders."},
    )
    assert plain.status_code == 303
    assert plain.location.endswith(f"/dagen/{day.id}/reflectie")


def test_stale_version_is_409_with_both_texts(login_as, world, db):
    item = _item(db, world.placement.id, ItemKind.BEGINSITUATIE)
    client = login_as(world.student)
    url = _base(world.placement.id) + "/bewaren"
    first = {"item_id": item.id, "version": 1, "doelgroep": "Eerste venster", "form_key": "k"}
    assert client.post(url, data=first, headers=HX).status_code == 200
    stale = {"item_id": item.id, "version": 1, "doelgroep": "Tweede venster", "form_key": "k"}
    response = client.post(url, data=stale, headers=HX)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#conflict-k"
    assert "Eerste venster" in response.text and "Tweede venster" in response.text
    assert "Mijn tekst houden" in response.text and "Student Een" in response.text
    assert 'data-saved-version="2"' in response.text
    db.refresh(item)
    assert item.content["doelgroep"] == "Eerste venster"
    # Keeping mine: resend on top of the saved version.
    stale["version"] = 2
    assert client.post(url, data=stale, headers=HX).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "onbekend", "version": 0},
        {"kind": "reflectie", "version": 0},  # a reflection without a day
        {"kind": "beginsituatie", "version": "abc"},
        {"kind": "beginsituatie"},
        {"kind": "beginsituatie", "version": 0, "doelgroep": "x" * (ops.MAX_FIELD_CHARS + 1)},
    ],
)
def test_bad_input_is_422(login_as, world, data):
    response = login_as(world.student).post(
        _base(world.placement.id) + "/bewaren", data=data, headers=HX
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#meldingen"


@pytest.mark.parametrize("who", ["supervisor", "colleague", "coordinator", "mentor"])
def test_only_the_student_writes(login_as, world, db, who):
    item = _item(db, world.placement.id, ItemKind.ACTIEPUNT)
    client = login_as(getattr(world, who))
    base = _base(world.placement.id)
    writes = [
        (f"{base}/bewaren", {"item_id": item.id, "version": 1, "actiepunt": "x"}),
        (f"{base}/bewaren", {"kind": "verkenning", "version": 0, "afspraken": "x"}),
        (f"{base}/toevoegen", {"kind": "actiepunt"}),
        (f"{base}/items/{item.id}/verwijderen", {}),
        (f"{base}/items/{item.id}/terugzetten", {"version": 1}),
    ]
    for url, data in writes:
        assert client.post(url, data=data).status_code == 403, url
    assert db.get(Item, item.id).deleted_at is None


def test_other_student_cannot_write(login_as, world, db):
    item = _item(db, world.placement.id, ItemKind.ACTIEPUNT)
    response = login_as(world.other_student).post(
        _base(world.placement.id) + "/bewaren", data={"item_id": item.id, "version": 1}
    )
    assert response.status_code == 403


def test_create_and_delete_multi_items(login_as, world, db):
    client = login_as(world.student)
    base = _base(world.placement.id)
    day = _days(db, world.placement.id)[4]
    response = client.post(
        f"{base}/toevoegen",
        data={"kind": "aanbod", "title": "Verfatelier", "tijd": "10.00", "stage_day_id": day.id},
    )
    assert response.status_code == 303
    offer = db.exec(select(Item).where(Item.kind == ItemKind.AANBOD)).one()
    assert (offer.title, offer.content, offer.stage_day_id) == (
        "Verfatelier",
        {"tijd": "10.00"},
        day.id,
    )
    step3 = client.get(f"{base}/stap-3?week=alle").text
    assert 'value="Verfatelier"' in step3
    assert client.post(f"{base}/toevoegen", data={"kind": "actiepunt"}).status_code == 303
    assert client.post(f"{base}/toevoegen", data={"kind": "onbekend"}).status_code == 422
    assert client.post(f"{base}/toevoegen", data={"kind": "reflectie"}).status_code == 422
    no_name = {"kind": "aanbod", "title": "", "stage_day_id": day.id}
    assert client.post(f"{base}/toevoegen", data=no_name).status_code == 422
    assert client.post(f"{base}/items/{offer.id}/verwijderen").status_code == 303
    db.refresh(offer)
    assert offer.deleted_at is not None
    assert "Verfatelier" not in client.get(f"{base}/stap-3?week=alle").text


def test_design_page_asks_five_parts_for_own_offers_and_accents_for_the_mentors(
    login_as, world, db
):
    days = _days(db, world.placement.id)
    own = _offer(db, world.placement.id, days[5], "Eigen spel")
    theirs = _offer(db, world.placement.id, days[5], "Turnles", bron="mentor")
    client = login_as(world.student)
    base = _base(world.placement.id)
    own_page = client.get(f"{base}/aanbod/{own.id}/denkwerk").text
    assert 'name="organisatie"' in own_page and 'name="accenten"' not in own_page
    their_page = client.get(f"{base}/aanbod/{theirs.id}/denkwerk").text
    assert 'name="accenten"' in their_page and 'name="doel"' not in their_page
    # Opening the pages created nothing: the blank form's first save creates the design.
    assert db.exec(select(Item).where(Item.kind == ItemKind.DENKWERK)).first() is None
    response = client.post(
        f"{base}/bewaren",
        data={"kind": "denkwerk", "parent_id": theirs.id, "version": 0, "accenten": "Rust"},
        headers=HX,
    )
    assert response.status_code == 200
    step4 = client.get(f"{base}/stap-4").text
    assert step4.count("niet klaar") == 1 and "klaar</span>" in step4


def test_history_lists_versions_and_restore_is_a_new_version(login_as, world, db):
    item = _item(db, world.placement.id, ItemKind.BEGINSITUATIE)
    student = db.get(User, world.student.id)
    for minute, text in ((0, "eerste"), (10, "tweede")):
        ops.save_item(
            db,
            item,
            content={"doelgroep": text},
            base_version=item.version,
            actor=student,
            moment=datetime(2025, 10, 1, 9, minute, tzinfo=UTC),
        )
    db.commit()
    client = login_as(world.student)
    base = _base(world.placement.id)
    history = client.get(f"{base}/items/{item.id}/geschiedenis").text
    assert "Versie 2" in history and "Versie 3" in history and "Student Een" in history
    version = client.get(f"{base}/items/{item.id}/versies/2").text
    assert "eerste" in version
    assert client.get(f"{base}/items/{item.id}/versies/9").status_code == 404
    assert (
        client.post(f"{base}/items/{item.id}/terugzetten", data={"version": 2}).status_code == 303
    )
    assert (
        client.post(f"{base}/items/{item.id}/terugzetten", data={"version": 9}).status_code == 404
    )
    assert client.post(f"{base}/items/{item.id}/terugzetten", data={}).status_code == 422
    db.refresh(item)
    assert item.content["doelgroep"] == "eerste" and item.version == 4
    row = db.exec(
        select(ItemVersion).where(ItemVersion.item_id == item.id, ItemVersion.version == 4)
    ).one()
    assert row.restored_from == 2
    assert "teruggezet van versie 2" in client.get(f"{base}/items/{item.id}/geschiedenis").text
    # Readers see the history but cannot restore.
    supervisor_view = login_as(world.supervisor).get(f"{base}/items/{item.id}/geschiedenis")
    assert supervisor_view.status_code == 200 and "Terugzetten" not in supervisor_view.text


# ---------------------------------------------------------------- signing


def test_stagepakket_signing_and_voiding(login_as, world, db):
    item = _item(db, world.placement.id, ItemKind.STAGEPAKKET)
    base = _base(world.placement.id)
    student = login_as(world.student)
    url = f"{base}/bewaren"
    student.post(url, data={"item_id": item.id, "version": 1, "taken": "Wandeling"}, headers=HX)
    assert student.post(f"{base}/stagepakket/ondertekenen").status_code == 303
    assert login_as(world.mentor).post(f"{base}/stagepakket/ondertekenen").status_code == 303
    assert login_as(world.colleague).post(f"{base}/stagepakket/ondertekenen").status_code == 403
    assert login_as(world.supervisor).post(f"{base}/stagepakket/ondertekenen").status_code == 303
    page = student.get(f"{base}/stagepakket").text
    assert "Ondertekend door alle drie" in page
    assert len(db.exec(select(Signature)).all()) == 3
    assert "nog niet door alle drie ondertekend" not in student.get(base).text
    # Signed means locked: the change is refused until the student reopens the package.
    changed = {"item_id": item.id, "version": 2, "taken": "Andere taak"}
    assert student.post(url, data=changed, headers=HX).status_code == 423
    assert student.post(f"{base}/stagepakket/wijzigen").status_code == 303
    student.post(url, data=changed, headers=HX)
    page = student.get(f"{base}/stagepakket").text
    assert "Gewijzigd na ondertekening: opnieuw ondertekenen" in page
    assert "Onderteken als student" in page


# ---------------------------------------------------------------- closed portfolio


def test_every_student_write_is_refused_after_closing(login_as, world, db, set_now):
    item = _item(db, world.placement.id, ItemKind.ACTIEPUNT)
    package = _item(db, world.placement.id, ItemKind.STAGEPAKKET)
    student = db.get(User, world.student.id)
    moment = datetime(2025, 10, 2, tzinfo=UTC)
    ops.save_item(db, package, content={"taken": "x"}, base_version=1, actor=student, moment=moment)
    ops.save_item(
        db, item, content={"actiepunt": "a"}, base_version=1, actor=student, moment=moment
    )
    db.commit()
    set_now(CLOSED)
    client = login_as(world.student)
    base = _base(world.placement.id)
    day = _days(db, world.placement.id)[0]
    writes = [
        (f"{base}/bewaren", {"item_id": item.id, "version": 2, "actiepunt": "te laat"}),
        (f"{base}/bewaren", {"kind": "laatste-reflectie", "version": 0, "meenemen": "x"}),
        (f"{base}/toevoegen", {"kind": "aanbod", "title": "x", "stage_day_id": day.id}),
        (f"{base}/items/{item.id}/verwijderen", {}),
        (f"{base}/items/{item.id}/terugzetten", {"version": 2}),
        (f"{base}/stagepakket/ondertekenen", {}),
    ]
    for url, data in writes:
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        assert "afgesloten" in response.text
    db.refresh(item)
    assert item.content == {"actiepunt": "a"} and item.deleted_at is None
    assert db.exec(select(Signature)).first() is None
    for path in STUDENT_PAGES:
        page = client.get(base + path)
        assert page.status_code == 200 and "data-autosave" not in page.text, path
    assert "Je portfolio is afgesloten" in client.get(base + "/stap-2").text
    # Reading a page of a closed portfolio creates nothing.
    assert db.exec(select(Item).where(Item.kind == ItemKind.COACHING)).first() is None
    # The mentor may still sign after closing.
    assert login_as(world.mentor).post(f"{base}/stagepakket/ondertekenen").status_code == 303


# ---------------------------------------------------------------- Markdown


def test_preview_renders_markdown(login_as, world):
    response = login_as(world.student).post(
        _base(world.placement.id) + "/voorbeeld", data={"tekst": "**vet** en *schuin*"}
    )
    assert response.status_code == 200
    assert "<strong>vet</strong>" in response.text and "<em>schuin</em>" in response.text
    too_long = {"tekst": "x" * (ops.MAX_FIELD_CHARS + 1)}
    assert (
        login_as(world.student).post(_base(world.placement.id) + "/voorbeeld", data=too_long)
    ).status_code == 422
    assert (
        login_as(world.outsider).post(_base(world.placement.id) + "/voorbeeld", data=too_long)
    ).status_code == 403


def _assert_inert(html: str) -> None:
    assert "<script" not in html
    assert not re.search(r"<[^>]+\son\w+\s*=", html)  # no event handler attributes
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|vbscript|data:text)""", html)
    assert not re.search(r"<[^>]+\shx-", html)
    assert "<img src=x" not in html and "<svg" not in html and "<div hx" not in html


@pytest.mark.parametrize("payload", XSS)
def test_preview_and_pages_render_injections_inert(login_as, world, db, payload):
    client = login_as(world.student)
    base = _base(world.placement.id)
    preview = client.post(f"{base}/voorbeeld", data={"tekst": payload})
    _assert_inert(preview.text)
    item = _item(db, world.placement.id, ItemKind.VERKENNING)
    saved = client.post(
        f"{base}/bewaren",
        data={"item_id": item.id, "version": item.version, "afspraken": payload},
        headers=HX,
    )
    assert saved.status_code == 200
    shown = login_as(world.supervisor).get(f"{base}/verkenningsgesprek").text
    main = shown.split('<main id="inhoud"', 1)[1].split("</main>", 1)[0]
    main = re.sub(r'<section id="feedback-\d+".*?</section>', "", main, flags=re.S)
    _assert_inert(main)
    version = client.get(f"{base}/items/{item.id}/versies/2").text
    _assert_inert(version.split('<main id="inhoud"', 1)[1].split("</main>", 1)[0])


# ---------------------------------------------------------------- query counts


def _fill(db, placement_id, n):
    days = _days(db, placement_id)
    placement = db.get(Placement, placement_id)
    student = db.get(User, placement.student_id)
    moment = datetime(2025, 10, 1, tzinfo=UTC)
    for i in range(n):
        day = days[i % len(days)]
        offer = _offer(db, placement_id, day, f"Aanbod {i}")
        design = ops.get_or_create_item(
            db, placement, ItemKind.DENKWERK, parent_id=offer.id, actor=student, moment=moment
        )
        ops.save_item(
            db, design, content={"doel": "x"}, base_version=1, actor=student, moment=moment
        )
        ops.create_item(db, placement, ItemKind.ACTIEPUNT, actor=student, moment=moment)
        ops.get_or_create_item(
            db, placement, ItemKind.REFLECTIE, stage_day_id=day.id, actor=student, moment=moment
        )
    for kind in (ItemKind.NULDOCUMENT, ItemKind.STAGEPAKKET, ItemKind.AANPAK):
        ops.get_or_create_item(db, placement, kind, actor=student, moment=moment)
    db.commit()


@pytest.mark.parametrize(
    "path", ["", "/stap-2", "/stap-3", "/stap-4", "/stap-5", "/zelfbeeld", "/stagepakket"]
)
def test_pages_run_a_fixed_number_of_queries(login_as, world, db, count_queries, path):
    _fill(db, world.placement.id, 1)
    _fill(db, world.other_placement.id, 10)
    counts = []
    for placement, student in (
        (world.placement, world.student),
        (world.other_placement, world.other_student),
    ):
        client = login_as(student)
        client.get(_base(placement.id) + path)
        with count_queries() as counted:
            assert client.get(_base(placement.id) + path).status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1], counts


def test_overview_flags_coming_r_days_until_the_package_is_signed(login_as, world):
    page = login_as(world.student).get(_base(world.placement.id)).text
    # Clock: Wed 8 Oct; the first six days are OPR, the nine R-days run from 20 Oct to 5 Nov.
    assert page.count("Stagepakket nog niet door alle drie ondertekend") == 9

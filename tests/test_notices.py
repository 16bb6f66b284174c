"""Notices: notify() writes a notice and queues its mail; "Meldingen" lists them (unread first,
paginated) with a count in the menu; "Instellingen" turns optional mails off."""

from datetime import UTC, datetime

from sqlmodel import select

from portfolio.models import MailOptOut, Notice, OutboxMail
from portfolio.notices import notify

MOMENT = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)


def _notify(app, db, user, n=1, kind="feedback", url="http://localhost/meldingen"):
    with app.test_request_context():
        for i in range(n):
            notify(
                db, recipient=user, kind=kind, subject=f"Bericht {i}", body=f"Tekst {i}", url=url
            )
        db.commit()


def test_notify_writes_a_notice_and_queues_its_mail(app, db, world, outbox):
    _notify(app, db, world.student, url="http://localhost/portfolio")
    notice = db.exec(select(Notice)).one()
    assert (notice.recipient_id, notice.subject, notice.read_at) == (
        world.student.id,
        "Bericht 0",
        None,
    )
    [(to, subject, body)] = outbox
    assert to == world.student.email and subject == "Bericht 0"
    assert body.startswith("Dag Student Een,") and "Tekst 0" in body
    assert "http://localhost/portfolio" in body


def test_nothing_is_kept_when_the_change_is_rolled_back(app, db, world, outbox):
    with app.test_request_context():
        notify(db, recipient=world.student, kind="feedback", subject="Weg", body="x")
        db.rollback()
    assert db.exec(select(Notice)).all() == [] and outbox == []


def test_an_inactive_person_gets_nothing(app, db, make_user, outbox):
    gone = make_user("student", active=False)
    _notify(app, db, gone)
    assert db.exec(select(Notice)).all() == [] and outbox == []


def test_a_kind_turned_off_keeps_the_notice_but_sends_no_mail(app, db, world, outbox):
    db.add(MailOptOut(user_id=world.student.id, kind="feedback"))
    db.commit()
    _notify(app, db, world.student)
    _notify(app, db, world.student, kind="waarschuwing")  # cannot be turned off
    assert len(db.exec(select(Notice)).all()) == 2
    assert [subject for _to, subject, _body in outbox] == ["Bericht 0"]
    assert db.exec(select(OutboxMail)).one().to_address == world.student.email


def test_the_menu_counts_unread_notices_in_one_query(app, db, world, login_as, count_queries):
    client = login_as(world.student)
    plain = client.get("/meldingen")
    assert "ongelezen" not in plain.text
    with count_queries() as before:
        client.get("/meldingen")
    _notify(app, db, world.student, n=3)
    with count_queries() as after:
        page = client.get("/meldingen")
    assert '>3<span class="visually-hidden"> ongelezen' in page.text
    assert after.n == before.n  # the count is one query, however many notices there are
    # ... and not a query of its own: it comes with the session check.
    (counted,) = [s for s in after.statements if "count(notice.id)" in s]
    assert "login_session" in counted


def test_an_error_page_after_a_post_still_counts_unread_notices(
    app, db, world, login_as, count_queries
):
    """A POST's answer does not read the counts with the session; a layout it renders asks."""
    _notify(app, db, world.student, n=2)
    client = login_as(world.student)
    with count_queries() as posted:
        page = client.post("/meldingen/999999/gelezen")
    assert page.status_code == 404 and '>2<span class="visually-hidden"> ongelezen' in page.text
    session_check = [s for s in posted.statements if "login_session" in s]
    assert session_check and "count(notice.id)" not in session_check[0]


def test_unread_notices_come_first_and_the_list_is_paginated(app, db, world, login_as):
    _notify(app, db, world.student, n=25)
    first = db.exec(select(Notice).order_by(Notice.id)).first()
    client = login_as(world.student)
    assert client.post(f"/meldingen/{first.id + 1}/gelezen").status_code == 303
    page1 = client.get("/meldingen").text
    assert page1.count('class="notice unread"') == 20 and "Volgende pagina" in page1
    page2 = client.get("/meldingen?pagina=2").text
    # 24 unread fill page 1 and 4 of page 2; the read one comes last.
    assert page2.count('class="notice unread"') == 4 and page2.count('class="notice"') == 1
    assert "Vorige pagina" in page2
    assert "geen meldingen" in client.get("/meldingen?pagina=9").text
    assert client.get("/meldingen?pagina=abc").status_code == 200


def test_opening_a_notice_marks_it_read_and_stays_on_this_site(app, db, world, login_as):
    _notify(app, db, world.student, url="https://elders.example/portfolio?x=1#y")
    notice = db.exec(select(Notice)).one()
    response = login_as(world.student).post(f"/meldingen/{notice.id}/openen")
    assert response.status_code == 303 and response.headers["Location"] == "/portfolio?x=1#y"
    db.refresh(notice)
    assert notice.read_at is not None


def test_another_persons_notice_cannot_be_opened_or_marked(app, db, world, login_as):
    _notify(app, db, world.student)
    notice = db.exec(select(Notice)).one()
    other = login_as(world.other_student)
    assert other.post(f"/meldingen/{notice.id}/gelezen").status_code == 404
    assert other.post(f"/meldingen/{notice.id}/openen").status_code == 404
    other.post("/meldingen/alles-gelezen")
    db.refresh(notice)
    assert notice.read_at is None
    assert "Bericht 0" not in other.get("/meldingen").text


def test_mark_all_read(app, db, world, login_as):
    _notify(app, db, world.student, n=2)
    client = login_as(world.student)
    page = client.post("/meldingen/alles-gelezen", follow_redirects=True)
    assert "2 melding(en) als gelezen gemarkeerd" in page.text
    assert all(n.read_at for n in db.exec(select(Notice)))


def test_pages_need_a_login(client):
    for url in ("/meldingen", "/instellingen", "/beheer/uitgaande-mail"):
        assert client.get(url).status_code in (302, 401)


def test_settings_turn_kinds_off_and_on(db, world, login_as):
    client = login_as(world.mentor)
    page = client.get("/instellingen")
    assert page.status_code == 200 and 'value="reflectie" checked' in page.text
    saved = client.post("/instellingen", data={"soort": ["feedback"]}, follow_redirects=True)
    assert "Je instellingen zijn bewaard" in saved.text
    off = set(db.exec(select(MailOptOut.kind).where(MailOptOut.user_id == world.mentor.id)))
    assert "reflectie" in off and "feedback" not in off and "waarschuwing" not in off
    assert (
        'value="feedback" checked' in saved.text and 'value="reflectie" checked' not in saved.text
    )


def test_settings_refuse_an_unknown_kind_in_dutch(world, login_as):
    response = login_as(world.student).post("/instellingen", data={"soort": ["waarschuwing"]})
    assert response.status_code == 422 and "Kies alleen soorten mail uit de lijst" in response.text


def test_the_outbox_page_is_for_the_coordinator_and_shows_failures(
    app, db, world, login_as, smtp_server
):
    from portfolio.outbox import deliver_due

    _notify(app, db, world.student, n=2)
    smtp_server.accept = 1
    with app.app_context():
        deliver_due(moment=MOMENT)
    page = login_as(world.coordinator).get("/beheer/uitgaande-mail")
    assert page.status_code == 200
    assert "1 mail(s) wachten" in page.text and "waarvan 1 al mislukten" in page.text
    assert "451" in page.text and "verstuurd op" in page.text
    assert "mislukt, volgende poging" in page.text
    for user in (world.student, world.supervisor, world.mentor):
        assert login_as(user).get("/beheer/uitgaande-mail").status_code == 403


def test_a_warning_is_told_to_the_student(app, db, world, login_as, outbox):
    response = login_as(world.supervisor).post(
        f"/stages/{world.placement.id}/waarschuwingen",
        data={"feiten": "Te laat.", "onwenselijk": "Kinderen wachten."},
    )
    assert response.status_code == 303
    [notice] = db.exec(select(Notice)).all()
    assert notice.recipient_id == world.student.id
    assert notice.subject == "Je stagebegeleider gaf je waarschuwing 1"
    [(to, subject, _body)] = outbox
    assert to == world.student.email and subject == notice.subject


WARNING = {"feiten": "Geen voorbereiding.", "onwenselijk": "De kinderen wachten."}


def _subjects_by_recipient(db) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for notice in db.exec(select(Notice).order_by(Notice.id)):
        found.setdefault(notice.recipient_id, []).append(notice.subject)
    return found


def test_a_stop_is_told_to_student_mentor_and_supervisor(db, world, login_as, outbox):
    client = login_as(world.supervisor)
    url = f"/stages/{world.placement.id}/waarschuwingen"
    for _ in range(2):
        assert client.post(url, data=WARNING).status_code == 303
    third = client.post(url, data={**WARNING, "bevestig_stopzetting": "ja"})
    assert third.status_code == 303
    # The third warning only proposes the stop: nobody hears of a stop yet.
    assert "Je stage is stopgezet" not in _subjects_by_recipient(db)[world.student.id]
    stop = login_as(world.coordinator).post(f"{url}/stopzetting")
    assert stop.status_code == 303
    told = _subjects_by_recipient(db)
    assert told[world.student.id][-1] == "Je stage is stopgezet"
    assert told[world.mentor.id] == ["De stage van Student Een is stopgezet"]
    assert told[world.supervisor.id] == ["De stage van Student Een is stopgezet"]
    assert len(outbox) == 3 + 3  # three warnings to the student, the stop to three people


def test_an_extension_is_told_to_student_and_supervisor(db, world, login_as, outbox):
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/verlenging",
        data={"day": "2025-11-14", "time": "18:00", "reason": "Ziekte"},
    )
    assert response.status_code == 303
    told = _subjects_by_recipient(db)
    assert told[world.student.id] == ["Je portfolio blijft open tot 14 november 2025 om 18:00"]
    assert told[world.supervisor.id] == [
        "Het portfolio van Student Een blijft open tot 14 november 2025 om 18:00"
    ]
    assert world.mentor.id not in told
    assert any("Reden: Ziekte" in body for _to, _subject, body in outbox)


def test_the_board_decision_is_told_to_student_and_supervisor(db, world, login_as, outbox):
    from tests.test_evaluation_routes import all_sufficient

    base = f"/stages/{world.placement.id}"
    login_as(world.supervisor).post(f"{base}/evaluatie/eind", data=all_sufficient(db))
    proposal = {"voorstel": "geslaagd", "cijfer": "15", "motivatie": "Sterk gegroeid."}
    assert login_as(world.supervisor).post(f"{base}/synthese", data=proposal).status_code == 303
    decision = {"beslissing": "niet-bevestigd", "notitie": "Eerst het gesprek."}
    coordinator = login_as(world.coordinator)
    assert coordinator.post(f"{base}/synthese/examencommissie", data=decision).status_code == 303
    told = _subjects_by_recipient(db)
    assert told[world.student.id] == ["De examencommissie heeft over je stage beslist"]
    assert told[world.supervisor.id] == [
        "De examencommissie heeft over de stage van Student Een beslist"
    ]
    [body] = [body for to, _s, body in outbox if to == world.student.email]
    assert (
        "bevestigde het voorstel van de stagebegeleider niet. Notitie: Eerst het gesprek." in body
    )


def test_the_pages_with_content_pass_the_accessibility_checks(
    app, db, world, login_as, smtp_server
):
    from test_a11y import problems

    from portfolio.outbox import deliver_due

    _notify(app, db, world.student, n=22)
    smtp_server.accept = 1
    with app.app_context():
        deliver_due(moment=MOMENT)
    student = login_as(world.student)
    for url in ("/meldingen", "/meldingen?pagina=2", "/instellingen"):
        page = student.get(url)
        assert page.status_code == 200 and problems(page.text) == [], url
    outbox_page = login_as(world.coordinator).get("/beheer/uitgaande-mail")
    assert problems(outbox_page.text) == []

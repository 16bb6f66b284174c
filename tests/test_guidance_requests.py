"""A student's 1-op-1 request: cancelling it, and the mails to supervisor and student."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portfolio.domain import guidance, guidance_hours
from portfolio.domain.errors import DomainError
from portfolio.models import AuditEvent, GuidanceMoment, GuidanceStatus, GuidanceType, OutboxMail
from tests.guidance_support import brussels, make_moment

REQUEST = {"dag": "2025-10-15", "uur": "10:00", "duur": "60", "vragen": "Hoe start ik de kring?"}


@pytest.fixture
def talk(db, world):
    """A 1-op-1 the student requested for next week (15 October, 10:00 Brussels)."""
    return make_moment(
        db,
        world,
        GuidanceType.EEN_OP_EEN,
        placement=world.placement,
        starts_at=brussels(2025, 10, 15, 10, 0),
        status=GuidanceStatus.REQUESTED,
        questions="Hoe start ik de kring?",
        created_by_id=world.student.id,
    )


def _cancel(client, moment):
    return client.post(f"/begeleiding/momenten/{moment.id}/annuleren")


# ---------------------------------------------------------------- cancelling


@pytest.mark.parametrize("status", [GuidanceStatus.REQUESTED, GuidanceStatus.PLANNED])
def test_student_cancels_their_own_talk_and_the_hours_are_free(
    db, world, login_as, talk, outbox, status
):
    talk.status = status
    db.add(talk)
    db.commit()
    student = login_as(world.student)
    assert "1 u gebruikt van 4 u" in student.get("/begeleiding/mijn").text
    assert "Gesprek annuleren" in student.get("/begeleiding/mijn").text
    response = _cancel(student, talk)
    assert response.status_code == 303
    db.refresh(talk)
    assert talk.status == GuidanceStatus.CANCELLED
    page = student.get("/begeleiding/mijn").text
    assert "0 min gebruikt van 4 u, nog 4 u over" in page and "Gesprek annuleren" not in page
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "begeleiding.status")).one()
    # The fixed supervisor hears of it.
    (to, subject, body), *rest = outbox
    assert not rest and to == world.supervisor.email
    assert subject == "Student Een annuleerde een 1-op-1 gesprek"
    assert "woensdag 15 oktober 2025" in body


def test_nobody_else_cancels_a_students_talk(db, world, login_as, talk, outbox):
    for user in (world.other_student, world.supervisor, world.colleague, world.coordinator):
        assert _cancel(login_as(user), talk).status_code == 403, user.name
    assert _cancel(login_as(world.mentor), talk).status_code == 403
    db.refresh(talk)
    assert talk.status == GuidanceStatus.REQUESTED and outbox == []


def test_a_pool_session_is_not_the_students_to_cancel(db, world, login_as):
    session = make_moment(db, world, starts_at=brussels(2025, 10, 20, 14, 0))
    assert _cancel(login_as(world.student), session).status_code == 403
    assert _cancel(login_as(world.student), GuidanceMoment(id=999)).status_code == 404


def test_no_cancelling_once_started_or_when_closed(db, world, login_as, talk, set_now):
    student = login_as(world.student)
    set_now(brussels(2025, 10, 15, 10, 0))  # the talk starts now
    response = _cancel(student, talk)
    assert response.status_code == 422 and "al begonnen" in response.text
    set_now(datetime(2025, 11, 8, 12, 0, tzinfo=UTC))  # portfolio closed
    assert _cancel(student, talk).status_code == 403
    db.refresh(talk)
    assert talk.status == GuidanceStatus.REQUESTED


def test_only_a_requested_or_planned_talk_the_student_asked_for(db, world, login_as, talk):
    student = login_as(world.student)
    talk.status = GuidanceStatus.CANCELLED
    db.add(talk)
    db.commit()
    again = _cancel(student, talk)
    assert again.status_code == 422 and "geannuleerd" in again.text
    planned_by_supervisor = make_moment(
        db,
        world,
        GuidanceType.EEN_OP_EEN,
        placement=world.placement,
        starts_at=brussels(2025, 10, 20, 10, 0),
    )
    response = _cancel(student, planned_by_supervisor)
    assert response.status_code == 422 and "zelf aanvroeg" in response.text
    visit = make_moment(
        db,
        world,
        GuidanceType.STAGEBEZOEK,
        placement=world.placement,
        starts_at=brussels(2025, 10, 20, 10, 0),
        created_by_id=world.student.id,
    )
    assert _cancel(student, visit).status_code == 422


def test_cancel_request_rule_without_http(app, db, world):
    with app.app_context():
        now = brussels(2025, 10, 8, 12, 0)
        talk = guidance.request_one_on_one(
            db,
            world.placement,
            starts_at=brussels(2025, 10, 16, 9, 0),
            duration_minutes=240,
            questions="Vraag",
            actor=world.student,
            moment=now,
        )
        assert guidance_hours.one_on_one_hours(db, world.placement).left_minutes == 0
        guidance.cancel_request(db, talk, actor=world.student, at=now)
        assert talk.status == GuidanceStatus.CANCELLED
        assert guidance_hours.one_on_one_hours(db, world.placement).left_minutes == 240
        with pytest.raises(DomainError, match="kan niet meer"):
            guidance.cancel_request(db, talk, actor=world.student, at=now)


# ---------------------------------------------------------------- mails


def test_a_request_mails_the_fixed_supervisor(db, world, login_as, outbox):
    student = login_as(world.student)
    response = student.post(f"/stages/{world.placement.id}/begeleiding/aanvragen", data=REQUEST)
    assert response.status_code == 303
    talk = db.exec(select(GuidanceMoment)).one()
    [(to, subject, body)] = outbox
    assert to == world.supervisor.email
    assert subject == "Student Een vraagt een 1-op-1 gesprek aan"
    assert "woensdag 15 oktober 2025 om 10:00" in body and "1 u" in body
    assert "Hoe start ik de kring?" in body
    assert f"http://localhost/begeleiding/momenten/{talk.id}" in body
    # A refused request sends nothing.
    student.post(
        f"/stages/{world.placement.id}/begeleiding/aanvragen", data=REQUEST | {"duur": "240"}
    )
    assert len(outbox) == 1


def test_links_use_the_public_base_url_when_set(app, db, world, login_as, outbox):
    app.config["PUBLIC_BASE_URL"] = "https://portfolio.example.be/"
    login_as(world.student).post(
        f"/stages/{world.placement.id}/begeleiding/aanvragen", data=REQUEST
    )
    talk = db.exec(select(GuidanceMoment)).one()
    assert f"https://portfolio.example.be/begeleiding/momenten/{talk.id}\n" in outbox[0][2]


@pytest.mark.parametrize(
    ("status", "word"),
    [(GuidanceStatus.PLANNED, "bevestigd"), (GuidanceStatus.CANCELLED, "geannuleerd")],
)
def test_the_supervisors_answer_mails_the_student(db, world, login_as, talk, outbox, status, word):
    url = f"/begeleiding/momenten/{talk.id}/status"
    assert login_as(world.colleague).post(url, data={"status": status}).status_code == 403
    assert outbox == []
    assert login_as(world.supervisor).post(url, data={"status": status}).status_code == 303
    [(to, subject, body)] = outbox
    assert to == world.student.email and subject == f"Je 1-op-1 gesprek is {word}"
    assert f"woensdag 15 oktober 2025 om 10:00 {word}" in body
    assert f"http://localhost/stages/{world.placement.id}/begeleiding" in body


def test_closing_a_talk_or_a_pool_session_sends_no_mail(db, world, login_as, talk, outbox):
    talk.status = GuidanceStatus.PLANNED
    db.add(talk)
    session = make_moment(db, world)
    supervisor = login_as(world.supervisor)
    for moment in (talk, session):
        url = f"/begeleiding/momenten/{moment.id}/status"
        assert supervisor.post(url, data={"status": "afgelopen"}).status_code == 303
    assert outbox == []


def test_a_failing_mail_server_keeps_the_request_and_its_mails(db, world, login_as, smtp_server):
    smtp_server.stop()
    student = login_as(world.student)
    response = student.post(
        f"/stages/{world.placement.id}/begeleiding/aanvragen", data=REQUEST, follow_redirects=True
    )
    assert response.status_code == 200
    talk = db.exec(select(GuidanceMoment)).one()
    assert talk.status == GuidanceStatus.REQUESTED
    answer = login_as(world.supervisor).post(
        f"/begeleiding/momenten/{talk.id}/status", data={"status": "gepland"}, follow_redirects=True
    )
    assert answer.status_code == 200
    db.refresh(talk)
    assert talk.status == GuidanceStatus.PLANNED
    # Both mails wait in the outbox for the next attempt.
    waiting = db.exec(select(OutboxMail).order_by(OutboxMail.id)).all()
    assert [m.to_address for m in waiting] == [world.supervisor.email, world.student.email]
    assert all(m.sent_at is None and m.attempts == 1 for m in waiting)

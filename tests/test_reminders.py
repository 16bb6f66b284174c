"""Reminders on hand-made days: the right people, each reminder once, one digest a day, none
after closing or for a stopped placement, kinds turned off are skipped, nothing lost when the
mail server fails, and a run's queries do not grow with the number of placements."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from portfolio.domain.signing import content_hash
from portfolio.models import (
    ItemKind,
    MailOptOut,
    MentorLink,
    OutboxMail,
    PlacementStatus,
    ReminderSent,
    Signature,
    StageDay,
)
from portfolio.notices.reminders import due_reminders, send_reminders

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY = date(2025, 10, 6)  # the world's first stage day; Mon-Wed are stage days
WRITTEN = {"wat_gebeurde": "x", "waaraan_lag": "x", "meenemen": "x"}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS).astimezone(UTC)


@pytest.fixture
def due(app, db):
    """due(moment) -> {(recipient_id, kind)}: what the rules decide, in a request for the links."""

    def run(moment):
        with app.test_request_context():
            return {(r.recipient_id, r.kind) for r in due_reminders(db, moment)}

    return run


@pytest.fixture
def send(app, db):
    """send(moment) -> mails queued; commits like the command."""

    def run(moment):
        with app.test_request_context():
            count = send_reminders(db, moment)
        db.commit()
        return count

    return run


def _offer(db, make_item, placement, day):
    """An offer on a stage day without a ready design."""
    return make_item(placement, ItemKind.AANBOD, day=day, title="Kring", content={"bron": "eigen"})


def test_the_evening_of_a_stage_day_reminds_the_student_of_the_reflection(world, due):
    assert due(at(MONDAY, 17, 59)) == set()  # not before the evening digest
    evening = due(at(MONDAY, 19))
    assert (world.student.id, "reflectie") in evening
    assert (world.other_student.id, "reflectie") in evening
    thursday = MONDAY + timedelta(days=3)  # no stage day
    assert due(at(thursday, 19)) == set()


def test_a_written_reflection_is_not_reminded(world, make_item, due):
    make_item(world.placement, ItemKind.REFLECTIE, day=MONDAY, content=WRITTEN)
    evening = due(at(MONDAY, 19))
    assert (world.student.id, "reflectie") not in evening
    assert (world.other_student.id, "reflectie") in evening


def test_the_day_before_a_stage_day_with_an_unready_design(world, db, make_item, due):
    _offer(db, make_item, world.placement, MONDAY + timedelta(days=1))
    assert (world.student.id, "ontwerp") in due(at(MONDAY, 20))
    assert (world.other_student.id, "ontwerp") not in due(at(MONDAY, 20))  # nothing planned


def test_the_portfolio_closing_within_a_day_and_a_bit(world, due):
    # The world's last day is 5 November: the portfolio closes 7 November 23:59:59.
    assert (world.student.id, "sluiting") not in due(at(date(2025, 11, 5), 19))
    assert (world.student.id, "sluiting") in due(at(date(2025, 11, 6), 19))
    assert due(at(date(2025, 11, 8), 19)) == set()  # closed: nothing at all


def test_a_stopped_placement_gets_nothing(world, db, due):
    world.placement.status = PlacementStatus.STOPPED
    db.add(world.placement)
    db.commit()
    assert {who for who, _kind in due(at(MONDAY, 19))} == {world.other_student.id}


def test_unsigned_parties_after_three_days(app, world, db, make_item, due):
    package = make_item(
        world.placement,
        ItemKind.STAGEPAKKET,
        content={"taken": "Wandeling"},
        updated_at=at(MONDAY, 9),
    )
    db.add(
        Signature(
            item_id=package.id,
            signer_id=world.student.id,
            role="student",
            content_hash=content_hash(package),
            signed_at=at(MONDAY, 9),
        )
    )
    db.commit()
    thursday = MONDAY + timedelta(days=3)
    assert not any(
        kind == "ondertekening" for _who, kind in due(at(MONDAY + timedelta(days=2), 19))
    )
    signing = {who for who, kind in due(at(thursday, 19)) if kind == "ondertekening"}
    assert signing == {world.mentor.id, world.supervisor.id}


def test_a_mentor_link_never_opened_after_seven_days_tells_the_coordinator(world, db, due):
    db.add(
        MentorLink(
            mentor_id=world.mentor.id,
            token_hash="a" * 64,
            created_at=at(MONDAY, 9),
            expires_at=at(MONDAY, 9) + timedelta(days=60),
        )
    )
    db.commit()
    assert (world.coordinator.id, "mentorlink") not in due(at(MONDAY + timedelta(days=6), 19))
    assert (world.coordinator.id, "mentorlink") in due(at(MONDAY + timedelta(days=7), 19))


def test_one_digest_per_person_and_no_reminder_twice(world, db, make_item, send, outbox):
    _offer(db, make_item, world.placement, MONDAY + timedelta(days=1))
    assert send(at(MONDAY, 18, 5)) == 2  # the two students
    student_mails = [m for m in outbox if m[0] == world.student.email]
    [(_to, subject, body)] = student_mails
    assert subject == "Het stageportfolio heeft 2 herinneringen voor je"
    assert "geen reflectie bij je stagedag van maandag 6 oktober" in body
    assert "Je ontwerp voor je stagedag van morgen (dinsdag 7 oktober) is nog niet klaar" in body
    assert f"http://localhost/stages/{world.placement.id}/portfolio" in body
    # The next hourly runs that evening send nothing; the next evening only what is new.
    assert send(at(MONDAY, 19, 5)) == 0 and send(at(MONDAY, 23, 5)) == 0
    assert send(at(MONDAY + timedelta(days=1), 18, 5)) == 2
    [_first, (_to, subject, body)] = [m for m in outbox if m[0] == world.student.email]
    assert subject == "Het stageportfolio heeft 1 herinnering voor je"
    assert "dinsdag 7 oktober" in body and "maandag 6 oktober" not in body
    keys = db.exec(select(ReminderSent.key)).all()
    assert len(keys) == len(set(keys))


def test_kinds_turned_off_are_skipped(world, db, send, outbox):
    db.add(MailOptOut(user_id=world.student.id, kind="reflectie"))
    db.commit()
    assert send(at(MONDAY, 19)) == 1
    assert [to for to, _s, _b in outbox] == [world.other_student.email]


def test_an_inactive_person_gets_no_reminder(world, db, send, outbox):
    world.other_student.active = False
    db.add(world.other_student)
    db.commit()
    send(at(MONDAY, 19))
    assert [to for to, _s, _b in outbox] == [world.student.email]


def test_the_command_loses_nothing_when_the_mail_server_fails_mid_run(
    app, world, db, set_now, smtp_server
):
    set_now(at(MONDAY, 19))
    smtp_server.accept = 1
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "2 mail(s) klaargezet" in result.output and "mislukt (later opnieuw): 1" in result.output
    # A second run an hour later queues nothing new; the failed mail goes once the server is back.
    smtp_server.accept = None
    set_now(at(MONDAY, 20))
    again = runner.invoke(args=["send-reminders"])
    assert "0 mail(s) klaargezet" in again.output and "Verstuurd: 1" in again.output
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == sorted([world.student.email, world.other_student.email])
    assert all(m.sent_at for m in db.exec(select(OutboxMail)))


def test_a_run_does_not_query_per_placement(
    world, db, make_placement, make_item, send, count_queries
):
    _offer(db, make_item, world.placement, MONDAY + timedelta(days=1))
    with count_queries() as few:
        send(at(MONDAY, 19))
    db.exec(ReminderSent.__table__.delete())
    db.exec(OutboxMail.__table__.delete())
    db.commit()
    for _ in range(6):
        placement = make_placement(mentor_id=world.mentor.id, supervisor_id=world.supervisor.id)
        _offer(db, make_item, placement, MONDAY + timedelta(days=1))
    with count_queries() as many:
        assert send(at(MONDAY, 19)) == 8
    assert many.n == few.n


def test_stage_days_of_the_world_are_monday_to_wednesday(db, world):
    days = db.exec(
        select(StageDay.day)
        .where(StageDay.placement_id == world.placement.id)
        .order_by(StageDay.day)
    ).all()
    assert days[:3] == [MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)]

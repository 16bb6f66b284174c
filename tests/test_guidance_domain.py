"""Guidance rules without HTTP: the week's notice, the 1-op-1 budget, absences, late entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.clock import BRUSSELS
from portfolio.domain import guidance, guidance_attendance, guidance_hours
from portfolio.domain.errors import DomainError
from portfolio.models import (
    AttendanceStatus,
    GuidanceMoment,
    GuidanceNote,
    GuidanceStatus,
    GuidanceType,
    Placement,
    Setting,
)


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS).astimezone(UTC)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def _request(db, world, starts_at, *, now, minutes=60, questions="Hoe pak ik de kring aan?"):
    return guidance.request_one_on_one(
        db,
        world.placement,
        starts_at=starts_at,
        duration_minutes=minutes,
        questions=questions,
        actor=world.student,
        moment=now,
    )


# ---------------------------------------------------------------- a week ahead


def test_six_days_23_hours_ahead_is_refused(ctx, db, world):
    now = brussels(2025, 10, 13, 0, 30)  # Monday 00:30
    with pytest.raises(DomainError, match="minstens een week op voorhand"):
        _request(db, world, now + timedelta(days=6, hours=23), now=now)  # Sunday 23:30


def test_exactly_seven_days_ahead_is_allowed(ctx, db, world):
    now = brussels(2025, 10, 13, 0, 30)
    talk = _request(db, world, now + timedelta(days=7), now=now)
    assert talk.status == GuidanceStatus.REQUESTED
    assert talk.type == GuidanceType.EEN_OP_EEN and talk.placement_id == world.placement.id


def test_the_rule_counts_calendar_days_not_hours(ctx, db, world):
    now = brussels(2025, 10, 13, 23, 59)  # Monday evening
    _request(db, world, brussels(2025, 10, 20, 8, 0), now=now)  # next Monday morning: fine
    with pytest.raises(DomainError):
        _request(db, world, brussels(2025, 10, 19, 23, 59), now=now)


def test_in_the_daylight_saving_week_seven_times_24_hours_is_not_yet_a_week(ctx, db, world):
    # Clocks go back on Sunday 26 October 2025: 168 hours after Monday 00:30 CEST is
    # Sunday 23:30 CET, still the 6th calendar day in Brussels.
    now = brussels(2025, 10, 20, 0, 30)
    with pytest.raises(DomainError, match="vanaf 27/10/2025"):
        _request(db, world, now + timedelta(hours=7 * 24), now=now)
    talk = _request(db, world, brussels(2025, 10, 27, 0, 0), now=now)
    assert talk.starts_at == datetime(2025, 10, 26, 23, 0, tzinfo=UTC)


def test_questions_are_required(ctx, db, world):
    now = brussels(2025, 10, 13, 9, 0)
    with pytest.raises(DomainError, match="vragen"):
        _request(db, world, now + timedelta(days=8), now=now, questions="  \n ")


def test_a_placement_without_fixed_supervisor_cannot_request(ctx, db, world):
    world.placement.supervisor_id = None
    now = brussels(2025, 10, 13, 9, 0)
    with pytest.raises(DomainError, match="vaste stagebegeleider"):
        _request(db, world, now + timedelta(days=8), now=now)


# ---------------------------------------------------------------- the hours budget


def test_budget_exact_fit_is_allowed_and_one_minute_more_refused(ctx, app, db, world):
    now = brussels(2025, 10, 13, 9, 0)
    assert app.config["ONE_ON_ONE_HOURS_DEFAULT"] == 4.0
    _request(db, world, now + timedelta(days=8), now=now, minutes=180)
    _request(db, world, now + timedelta(days=9), now=now, minutes=60)  # exactly 4 hours
    hours = guidance_hours.one_on_one_hours(db, world.placement)
    assert (hours.used_minutes, hours.left_minutes) == (240, 0)
    with pytest.raises(DomainError, match="past niet meer"):
        _request(db, world, now + timedelta(days=10), now=now, minutes=5)


def test_cancelled_talks_do_not_count_and_planned_done_do(ctx, db, world):
    now = brussels(2025, 10, 13, 9, 0)
    cancelled = _request(db, world, now + timedelta(days=8), now=now, minutes=240)
    guidance.change_status(db, cancelled, GuidanceStatus.CANCELLED, actor=world.supervisor)
    done = guidance.plan_moment(
        db,
        type=GuidanceType.EEN_OP_EEN,
        starts_at=now - timedelta(days=2),
        duration_minutes=90,
        actor=world.supervisor,
        placement=world.placement,
    )
    guidance.change_status(db, done, GuidanceStatus.DONE, actor=world.supervisor)
    _request(db, world, now + timedelta(days=9), now=now, minutes=150)  # 90 + 150 = 240
    assert guidance_hours.one_on_one_hours(db, world.placement).used_minutes == 240
    with pytest.raises(DomainError):
        _request(db, world, now + timedelta(days=10), now=now, minutes=15)


def test_budget_setting_and_placement_override(ctx, db, world):
    now = brussels(2025, 10, 13, 9, 0)
    guidance_hours.set_programme_hours(db, 1.5, actor=world.coordinator)
    assert db.get(Setting, guidance_hours.HOURS_SETTING).value == "1.5"
    assert guidance_hours.one_on_one_hours(db, world.placement).max_minutes == 90
    with pytest.raises(DomainError):
        _request(db, world, now + timedelta(days=8), now=now, minutes=120)
    guidance_hours.set_placement_hours(db, world.placement, 2, actor=world.coordinator)
    _request(db, world, now + timedelta(days=8), now=now, minutes=120)
    assert (
        guidance_hours.one_on_one_hours(db, world.placement).text
        == "2 u gebruikt van 2 u, nog 0 min over"
    )
    # The other placement still follows the programme's setting.
    assert guidance_hours.one_on_one_hours(db, world.other_placement).max_minutes == 90
    with pytest.raises(DomainError, match="tussen 0 en 100"):
        guidance_hours.set_programme_hours(db, -1, actor=world.coordinator)


# ---------------------------------------------------------------- planning and status


def test_mandatory_follows_the_type_unless_told(ctx, db, world):
    start = brussels(2025, 10, 20, 14, 0)
    kinds = {}
    for kind in (GuidanceType.SCHIJNWERPER, GuidanceType.KLEUTERLABO, GuidanceType.SESSIE_OP_VRAAG):
        kinds[kind] = guidance.plan_moment(
            db,
            type=kind,
            starts_at=start,
            duration_minutes=90,
            actor=world.supervisor,
            pool_id=world.pool.id,
        ).is_mandatory
    assert kinds == {"schijnwerper": True, "kleuterlabo": True, "sessie-op-vraag": False}
    optional = guidance.plan_moment(
        db,
        type=GuidanceType.KLEUTERLABO,
        starts_at=start,
        duration_minutes=90,
        actor=world.supervisor,
        pool_id=world.pool.id,
        is_mandatory=False,
    )
    assert optional.is_mandatory is False and optional.title == "Kleuterlabo"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "koffie"}, "soort"),
        ({"type": GuidanceType.STAGEBEZOEK, "placement": None}, "één student"),
        ({"duration_minutes": 0}, "duur"),
    ],
)
def test_planning_refuses_bad_input(ctx, db, world, fields, message):
    args = dict(
        type=GuidanceType.SCHIJNWERPER,
        starts_at=brussels(2025, 10, 20, 14, 0),
        duration_minutes=60,
        actor=world.supervisor,
        pool_id=world.pool.id,
    )
    args.update(fields)
    with pytest.raises(DomainError, match=message):
        guidance.plan_moment(db, **args)


def test_status_changes_follow_the_transitions(ctx, db, world):
    now = brussels(2025, 10, 13, 9, 0)
    talk = _request(db, world, now + timedelta(days=8), now=now)
    guidance.change_status(db, talk, GuidanceStatus.PLANNED, actor=world.supervisor)
    guidance.change_status(db, talk, GuidanceStatus.CANCELLED, actor=world.supervisor)
    with pytest.raises(DomainError, match="kan niet"):
        guidance.change_status(db, talk, GuidanceStatus.PLANNED, actor=world.supervisor)


# ---------------------------------------------------------------- absences


def _session(db, world, day):
    return guidance.plan_moment(
        db,
        type=GuidanceType.SCHIJNWERPER,
        starts_at=brussels(2025, 10, day, 14, 0),
        duration_minutes=90,
        actor=world.supervisor,
        pool_id=world.pool.id,
    )


def test_one_illegitimate_absence_is_allowed_the_second_is_recorded_and_flagged(ctx, db, world):
    first, second, third = (_session(db, world, day) for day in (14, 21, 28))
    ill = AttendanceStatus.ILLEGITIMATE
    guidance_attendance.record_attendance(
        db, first, world.placement, status=ill, actor=world.supervisor
    )
    guidance_attendance.record_attendance(
        db, third, world.placement, status=AttendanceStatus.LEGITIMATE, actor=world.supervisor
    )
    assert len(guidance_attendance.illegitimate_absences(db, world.placement)) == 1
    assert guidance_attendance.placement_absence_flag(db, world.placement) is None

    recorded = guidance_attendance.record_attendance(
        db, second, world.placement, status=ill, actor=world.supervisor
    )
    assert recorded.id is not None and recorded.status == ill
    absences = guidance_attendance.illegitimate_absences(db, world.placement)
    assert [a.moment_id for a in absences] == [first.id, second.id]
    assert (
        "tweede ongewettigde afwezigheid"
        in guidance_attendance.placement_absence_flag(db, world.placement).lower()
    )
    counted = select(Placement.id, guidance_attendance.illegitimate_absences_of(Placement.id))
    counts = dict(
        db.exec(
            counted.where(Placement.id.in_([world.placement.id, world.other_placement.id]))
        ).all()
    )
    assert counts == {world.placement.id: 2, world.other_placement.id: 0}

    # Correcting the record (it was legitimate after all) lifts the flag.
    guidance_attendance.record_attendance(
        db, second, world.placement, status=AttendanceStatus.LEGITIMATE, actor=world.supervisor
    )
    assert guidance_attendance.placement_absence_flag(db, world.placement) is None


def test_attendance_only_for_mandatory_sessions_of_the_students_pool(
    ctx, db, world, make_placement
):
    optional = guidance.plan_moment(
        db,
        type=GuidanceType.SESSIE_OP_VRAAG,
        starts_at=brussels(2025, 10, 14, 14, 0),
        duration_minutes=60,
        actor=world.supervisor,
        pool_id=world.pool.id,
    )
    with pytest.raises(DomainError, match="verplichte"):
        guidance_attendance.record_attendance(
            db, optional, world.placement, status=AttendanceStatus.PRESENT, actor=world.supervisor
        )
    outsider_placement = make_placement()
    with pytest.raises(DomainError, match="hoort niet"):
        guidance_attendance.record_attendance(
            db,
            _session(db, world, 14),
            outsider_placement,
            status="aanwezig",
            actor=world.supervisor,
        )


def test_student_note_only_for_an_absence(ctx, db, world):
    moment = _session(db, world, 14)
    with pytest.raises(DomainError, match="afwezigheid"):
        guidance_attendance.add_absence_note(
            db, moment, world.placement, note="ziek", actor=world.student
        )
    guidance_attendance.record_attendance(
        db, moment, world.placement, status=AttendanceStatus.ILLEGITIMATE, actor=world.supervisor
    )
    attendance = guidance_attendance.add_absence_note(
        db, moment, world.placement, note="Trein afgeschaft", actor=world.student
    )
    assert attendance.note == "Trein afgeschaft"


# ---------------------------------------------------------------- the form after a moment


def _note(db, world, moment, at, author=None):
    return guidance.add_note(
        db,
        moment,
        world.placement,
        lessons="Kring korter",
        insight="",
        next_steps="",
        actor=author or world.student,
        at=at,
    )


def test_late_entry_flag_uses_brussels_dates(ctx, db, world):
    moment = _session(db, world, 14)  # Tuesday 14 Oct 14:00 Brussels
    same_day = _note(db, world, moment, brussels(2025, 10, 14, 23, 59))  # 21:59 UTC
    next_day = _note(db, world, moment, brussels(2025, 10, 15, 0, 1))  # still 14 Oct in UTC
    supervisor_late = _note(db, world, moment, brussels(2025, 10, 16, 9, 0), world.supervisor)
    assert not guidance.is_late_entry(same_day, moment, world.placement)
    assert guidance.is_late_entry(next_day, moment, world.placement)
    assert not guidance.is_late_entry(supervisor_late, moment, world.placement)


def test_a_note_needs_content_and_a_moment_that_happened(ctx, db, world):
    moment = _session(db, world, 14)
    with pytest.raises(DomainError, match="na het begeleidingsmoment"):
        _note(db, world, moment, brussels(2025, 10, 14, 13, 0))
    with pytest.raises(DomainError, match="minstens één deel"):
        guidance.add_note(
            db,
            moment,
            world.placement,
            lessons=" ",
            insight="",
            next_steps="",
            actor=world.student,
            at=brussels(2025, 10, 14, 16, 0),
        )
    guidance.change_status(db, moment, GuidanceStatus.CANCELLED, actor=world.supervisor)
    with pytest.raises(DomainError, match="geannuleerd"):
        _note(db, world, moment, brussels(2025, 10, 14, 16, 0))
    assert db.exec(select(GuidanceNote)).all() == []
    assert db.get(GuidanceMoment, moment.id).status == GuidanceStatus.CANCELLED


def test_propose_topic_needs_text(ctx, db, world):
    with pytest.raises(DomainError):
        guidance.propose_topic(db, world.placement, topic="   ", actor=world.student)
    proposal = guidance.propose_topic(
        db, world.placement, topic=" Ouders betrekken ", actor=world.student
    )
    assert proposal.topic == "Ouders betrekken"

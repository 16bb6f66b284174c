"""Guidance moments (begeleidingsmomenten): planning, 1-op-1 requests, forms, attendance.

Permission checks live in portfolio/access.py; these operations enforce the handbook's rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func
from sqlmodel import Session, select

from portfolio.clock import now, today_in_brussels
from portfolio.domain import audit
from portfolio.domain.errors import DomainError
from portfolio.models import (
    Attendance,
    AttendanceStatus,
    GuidanceMoment,
    GuidanceNote,
    GuidanceStatus,
    GuidanceType,
    Placement,
    SessionTopic,
    Setting,
    User,
)

TYPE_LABELS = {
    GuidanceType.STAGETOELICHTING: "Stagetoelichting",
    GuidanceType.SCHIJNWERPER: "Schijnwerper",
    GuidanceType.KLEUTERLABO: "Kleuterlabo",
    GuidanceType.SESSIE_OP_VRAAG: "Sessie op vraag",
    GuidanceType.EEN_OP_EEN: "1-op-1 begeleiding",
    GuidanceType.STAGEBEZOEK: "Stagebezoek met driehoeksgesprek",
    GuidanceType.TUSSENTIJDS: "Tussentijds gesprek",
    GuidanceType.AFRONDEND: "Afrondend gesprek",
    GuidanceType.REFLECTIESESSIE: "Reflectiesessie",
}
STATUS_LABELS = {
    GuidanceStatus.REQUESTED: "Aangevraagd",
    GuidanceStatus.PLANNED: "Gepland",
    GuidanceStatus.DONE: "Afgelopen",
    GuidanceStatus.CANCELLED: "Geannuleerd",
}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: "Aanwezig",
    AttendanceStatus.LEGITIMATE: "Gewettigd afwezig",
    AttendanceStatus.ILLEGITIMATE: "Ongewettigd afwezig",
}
# Handbook: schijnwerpers are compulsory, kleuterlabo is compulsory for phase-2 students.
MANDATORY_BY_DEFAULT = frozenset({GuidanceType.SCHIJNWERPER, GuidanceType.KLEUTERLABO})
# Talks with one student; the other types are group sessions for a pool.
INDIVIDUAL_TYPES = frozenset(
    {
        GuidanceType.EEN_OP_EEN,
        GuidanceType.STAGEBEZOEK,
        GuidanceType.TUSSENTIJDS,
        GuidanceType.AFRONDEND,
    }
)
REQUEST_NOTICE_DAYS = 7
ILLEGITIMATE_ABSENCES_ALLOWED = 1
HOURS_SETTING = "one_on_one_hours"
MIN_DURATION, MAX_DURATION = 5, 8 * 60
SECOND_ABSENCE_FLAG = (
    "Tweede ongewettigde afwezigheid: een ongewettigde afwezigheid kan maar één keer per stage."
)
LATE_ENTRY_TEXT = "later ingevuld dan de dag zelf"


def type_label(value: str) -> str:
    return TYPE_LABELS.get(value, value)


def belongs_to(moment: GuidanceMoment, placement: Placement) -> bool:
    """Return whether the moment concerns this placement (its own talk or its pool's session)."""
    if moment.placement_id is not None:
        return moment.placement_id == placement.id
    return moment.pool_id is not None and moment.pool_id == placement.pool_id


# ---------------------------------------------------------------- planning


def _check_duration(minutes: int) -> None:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise DomainError(
            f"Kies een duur tussen {MIN_DURATION} minuten en {MAX_DURATION // 60} uur."
        )


def plan_moment(
    session: Session,
    *,
    type: str,  # noqa: A002 - the column's name
    starts_at: datetime,
    duration_minutes: int,
    actor: User,
    title: str = "",
    placement: Placement | None = None,
    pool_id: int | None = None,
    is_mandatory: bool | None = None,
) -> GuidanceMoment:
    """Plan (or record afterwards) a moment for one placement or for a pool.

    `is_mandatory=None` takes the type's default (schijnwerper and kleuterlabo are mandatory).
    The caller has checked that the actor may plan for this placement or pool.
    """
    if type not in TYPE_LABELS:
        raise DomainError("Kies een soort begeleidingsmoment uit de lijst.")
    if (placement is None) == (pool_id is None):
        raise DomainError("Kies één student of één pool.")
    if type in INDIVIDUAL_TYPES and placement is None:
        raise DomainError(
            f"Een {type_label(type).lower()} plan je voor één student, niet voor een pool."
        )
    _check_duration(duration_minutes)
    if type == GuidanceType.EEN_OP_EEN:
        _check_budget(session, placement, duration_minutes)
    moment = GuidanceMoment(
        type=type,
        title=title.strip() or type_label(type),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        is_mandatory=type in MANDATORY_BY_DEFAULT if is_mandatory is None else is_mandatory,
        placement_id=placement.id if placement else None,
        pool_id=pool_id,
        status=GuidanceStatus.PLANNED,
        created_by_id=actor.id,
    )
    session.add(moment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="begeleiding.gepland",
        placement_id=moment.placement_id,
        moment_id=moment.id,
        type=type,
        starts_at=starts_at,
    )
    return moment


def earliest_request_day(moment: datetime) -> date:
    """Return the first Brussels date a 1-op-1 may be requested for at this moment."""
    return today_in_brussels(moment) + timedelta(days=REQUEST_NOTICE_DAYS)


def request_one_on_one(
    session: Session,
    placement: Placement,
    *,
    starts_at: datetime,
    duration_minutes: int,
    questions: str,
    actor: User,
    moment: datetime,
) -> GuidanceMoment:
    """Record a student's request for a 1-op-1 talk with their fixed supervisor.

    The rule ("minstens een week op voorhand"), in calendar days in Brussels: the talk's date
    in Europe/Brussels must be at least 7 days after the date of the request in Europe/Brussels.
    The hour does not count: a request made on Monday 23:59 may be for the next Monday 08:00,
    one made on Monday 00:30 may not be for Sunday 23:30 (6 days 23 hours later), and across a
    daylight-saving change 7 x 24 hours may still land on the 6th calendar day.
    The questions are required: they go to the supervisor with the request, a week ahead.
    The talk must fit in the 1-op-1 budget (requested + planned + done, cancelled not counted).
    """
    if placement.supervisor_id is None:
        raise DomainError(
            "Je hebt nog geen vaste stagebegeleider; vraag de stagecoördinator om er een toe te wijzen."
        )
    earliest = earliest_request_day(moment)
    if today_in_brussels(starts_at) < earliest:
        raise DomainError(
            "Vraag een 1-op-1 gesprek minstens een week op voorhand aan: kies een datum vanaf "
            f"{earliest.day}/{earliest.month}/{earliest.year}."
        )
    questions = questions.strip()
    if not questions:
        raise DomainError(
            "Schrijf je vragen voor het gesprek erbij: je bezorgt ze minstens een week op voorhand."
        )
    _check_duration(duration_minutes)
    _check_budget(session, placement, duration_minutes)
    talk = GuidanceMoment(
        type=GuidanceType.EEN_OP_EEN,
        title=TYPE_LABELS[GuidanceType.EEN_OP_EEN],
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        placement_id=placement.id,
        status=GuidanceStatus.REQUESTED,
        questions=questions,
        created_by_id=actor.id,
    )
    session.add(talk)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="begeleiding.aangevraagd",
        placement_id=placement.id,
        moment_id=talk.id,
        starts_at=starts_at,
    )
    return talk


# Which status changes make sense; anything else is refused with a message.
TRANSITIONS = {
    GuidanceStatus.REQUESTED: {GuidanceStatus.PLANNED, GuidanceStatus.CANCELLED},
    GuidanceStatus.PLANNED: {GuidanceStatus.DONE, GuidanceStatus.CANCELLED},
    GuidanceStatus.DONE: set(),
    GuidanceStatus.CANCELLED: set(),
}


def change_status(
    session: Session, moment: GuidanceMoment, status: str, *, actor: User
) -> GuidanceMoment:
    """Confirm (gepland), cancel or close (afgelopen) a moment; the caller checked the actor."""
    if status not in TRANSITIONS.get(moment.status, set()):
        raise DomainError(
            f"Een moment met status ‘{STATUS_LABELS.get(moment.status, moment.status).lower()}’ "
            f"kan niet naar ‘{STATUS_LABELS.get(status, status).lower()}’."
        )
    old = moment.status
    moment.status = status
    session.add(moment)
    audit.record(
        session,
        actor=actor,
        action="begeleiding.status",
        placement_id=moment.placement_id,
        moment_id=moment.id,
        old=old,
        new=status,
    )
    return moment


# ---------------------------------------------------------------- 1-op-1 hours


@dataclass(frozen=True)
class Hours:
    """The 1-op-1 budget of one placement, in minutes."""

    max_minutes: int
    used_minutes: int

    @property
    def left_minutes(self) -> int:
        return max(self.max_minutes - self.used_minutes, 0)

    @property
    def text(self) -> str:
        return (
            f"{format_minutes(self.used_minutes)} gebruikt van {format_minutes(self.max_minutes)}"
            f", nog {format_minutes(self.left_minutes)} over"
        )


def format_minutes(minutes: int) -> str:
    """Say a duration in Dutch: '1 u 30 min', '45 min', '2 u'."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} u {rest} min"
    return f"{hours} u" if hours else f"{rest} min"


def programme_hours(session: Session) -> float:
    """Return the programme-wide maximum of 1-op-1 hours (Setting, else the config default)."""
    setting = session.get(Setting, HOURS_SETTING)
    if setting is not None:
        try:
            return float(setting.value)
        except ValueError:
            pass
    return float(current_app.config["ONE_ON_ONE_HOURS_DEFAULT"])


def _budget_minutes(placement: Placement, default_hours: float) -> int:
    hours = placement.one_on_one_hours_max
    return round((default_hours if hours is None else hours) * 60)


def hours_for(session: Session, placements: Iterable[Placement]) -> dict[int, Hours]:
    """Return each placement's 1-op-1 budget and use, in two queries whatever their number."""
    placements = list(placements)
    if not placements:
        return {}
    default_hours = programme_hours(session)
    rows = session.exec(
        select(GuidanceMoment.placement_id, func.sum(GuidanceMoment.duration_minutes))
        .where(
            GuidanceMoment.placement_id.in_([p.id for p in placements]),
            GuidanceMoment.type == GuidanceType.EEN_OP_EEN,
            GuidanceMoment.status != GuidanceStatus.CANCELLED,
        )
        .group_by(GuidanceMoment.placement_id)
    ).all()
    used = {pid: int(total or 0) for pid, total in rows}
    return {p.id: Hours(_budget_minutes(p, default_hours), used.get(p.id, 0)) for p in placements}


def one_on_one_hours(session: Session, placement: Placement) -> Hours:
    return hours_for(session, [placement])[placement.id]


def _check_budget(session: Session, placement: Placement, minutes: int) -> None:
    hours = one_on_one_hours(session, placement)
    if hours.used_minutes + minutes > hours.max_minutes:
        raise DomainError(
            f"Dit gesprek ({format_minutes(minutes)}) past niet meer in je 1-op-1 begeleiding: "
            f"{hours.text}."
        )


def _parse_hours(hours: float) -> float:
    if not 0 <= hours <= 100:
        raise DomainError("Kies een aantal uren tussen 0 en 100.")
    return hours


def set_programme_hours(session: Session, hours: float, *, actor: User) -> None:
    """Set the programme-wide maximum of 1-op-1 hours per student (coordinator)."""
    hours = _parse_hours(hours)
    setting = session.get(Setting, HOURS_SETTING) or Setting(key=HOURS_SETTING, value="")
    setting.value = f"{hours:g}"
    session.add(setting)
    audit.record(session, actor=actor, action="begeleiding.uren-programma", hours=hours)


def set_placement_hours(
    session: Session, placement: Placement, hours: float | None, *, actor: User
) -> None:
    """Override (or with None, reset) the 1-op-1 maximum for one placement (coordinator)."""
    placement.one_on_one_hours_max = None if hours is None else _parse_hours(hours)
    session.add(placement)
    audit.record(
        session,
        actor=actor,
        action="begeleiding.uren-stage",
        placement_id=placement.id,
        hours=hours,
    )


# ---------------------------------------------------------------- topics and forms


def propose_topic(
    session: Session, placement: Placement, *, topic: str, actor: User
) -> SessionTopic:
    """Record a student's proposal of a topic for a sessie op vraag."""
    topic = topic.strip()
    if not topic:
        raise DomainError("Beschrijf het onderwerp dat je voorstelt.")
    if len(topic) > 2000:
        raise DomainError("Houd je voorstel korter dan 2000 tekens.")
    proposal = SessionTopic(placement_id=placement.id, topic=topic)
    session.add(proposal)
    session.flush()
    return proposal


def add_note(
    session: Session,
    moment: GuidanceMoment,
    placement: Placement,
    *,
    lessons: str,
    insight: str,
    next_steps: str,
    actor: User,
    at: datetime,
) -> GuidanceNote:
    """Add an entry to the begeleidings- en evaluatieformulier of this moment for this placement.

    The student and supervisors may each add entries, in any order; nothing is overwritten.
    """
    if not belongs_to(moment, placement):
        raise DomainError("Dit begeleidingsmoment hoort niet bij deze stage.")
    if moment.status in (GuidanceStatus.CANCELLED, GuidanceStatus.REQUESTED):
        raise DomainError(
            "Voor een geannuleerd of nog niet bevestigd moment vul je geen formulier in."
        )
    if at < moment.starts_at:
        raise DomainError("Het formulier vul je in na het begeleidingsmoment, niet ervoor.")
    fields = {
        "lessons": lessons.strip(),
        "insight": insight.strip(),
        "next_steps": next_steps.strip(),
    }
    if not any(fields.values()):
        raise DomainError("Vul minstens één deel in: lessen, nieuw inzicht of volgende stappen.")
    note = GuidanceNote(
        moment_id=moment.id, placement_id=placement.id, author_id=actor.id, created_at=at, **fields
    )
    session.add(note)
    session.flush()
    return note


def is_late_entry(note: GuidanceNote, moment: GuidanceMoment, placement: Placement) -> bool:
    """Return whether a student's entry was written after the moment's day (Brussels dates)."""
    if note.author_id != placement.student_id:
        return False
    return today_in_brussels(note.created_at) > today_in_brussels(moment.starts_at)


# ---------------------------------------------------------------- attendance


def record_attendance(
    session: Session, moment: GuidanceMoment, placement: Placement, *, status: str, actor: User
) -> Attendance:
    """Record a student's presence at a mandatory session (a later record replaces the status).

    An illegitimate absence is allowed once per placement; a second is recorded anyway and
    flagged (see absence_flag), because the supervisor decides what follows.
    """
    if status not in ATTENDANCE_LABELS:
        raise DomainError("Kies aanwezig, gewettigd afwezig of ongewettigd afwezig.")
    if not moment.is_mandatory:
        raise DomainError("Aanwezigheden houd je bij voor verplichte sessies.")
    if moment.status == GuidanceStatus.CANCELLED:
        raise DomainError("Dit moment is geannuleerd.")
    if not belongs_to(moment, placement):
        raise DomainError("Deze student hoort niet bij dit begeleidingsmoment.")
    attendance = session.exec(
        select(Attendance).where(
            Attendance.moment_id == moment.id, Attendance.placement_id == placement.id
        )
    ).first()
    old = attendance.status if attendance else None
    if attendance is None:
        attendance = Attendance(
            moment_id=moment.id, placement_id=placement.id, status=status, recorded_by_id=actor.id
        )
    attendance.status = status
    attendance.recorded_by_id = actor.id
    attendance.recorded_at = now()
    session.add(attendance)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="begeleiding.aanwezigheid",
        placement_id=placement.id,
        moment_id=moment.id,
        old=old,
        new=status,
    )
    return attendance


def add_absence_note(
    session: Session, moment: GuidanceMoment, placement: Placement, *, note: str, actor: User
) -> Attendance:
    """Let the student write their own note (eigen briefje) for a recorded absence."""
    attendance = session.exec(
        select(Attendance).where(
            Attendance.moment_id == moment.id, Attendance.placement_id == placement.id
        )
    ).first()
    if attendance is None or attendance.status == AttendanceStatus.PRESENT:
        raise DomainError("Een briefje schrijf je bij een afwezigheid die je begeleider noteerde.")
    note = note.strip()
    if not note:
        raise DomainError("Schrijf waarom je er niet was en hoe je mee bent met de sessie.")
    attendance.note = note[:4000]
    session.add(attendance)
    audit.record(
        session,
        actor=actor,
        action="begeleiding.afwezigheidsbriefje",
        placement_id=placement.id,
        moment_id=moment.id,
    )
    return attendance


def illegitimate_absences(session: Session, placement: Placement) -> list[Attendance]:
    """Return the placement's illegitimate absences, oldest session first."""
    return list(
        session.exec(
            select(Attendance)
            .join(GuidanceMoment, GuidanceMoment.id == Attendance.moment_id)
            .where(
                Attendance.placement_id == placement.id,
                Attendance.status == AttendanceStatus.ILLEGITIMATE,
            )
            .order_by(GuidanceMoment.starts_at, Attendance.id)
        ).all()
    )


def illegitimate_absence_counts(session: Session, placement_ids: Iterable[int]) -> dict[int, int]:
    """Return {placement id: number of illegitimate absences} in one query."""
    ids = list(placement_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Attendance.placement_id, func.count(Attendance.id))
        .where(Attendance.placement_id.in_(ids), Attendance.status == AttendanceStatus.ILLEGITIMATE)
        .group_by(Attendance.placement_id)
    ).all()
    return {pid: int(n) for pid, n in rows}


def absence_flag(count: int) -> str | None:
    """Return the warning text once the allowed illegitimate absence is used up."""
    return SECOND_ABSENCE_FLAG if count > ILLEGITIMATE_ABSENCES_ALLOWED else None


def placement_absence_flag(session: Session, placement: Placement) -> str | None:
    return absence_flag(len(illegitimate_absences(session, placement)))

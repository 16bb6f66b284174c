"""Guidance moments (begeleidingsmomenten): planning, 1-op-1 requests, status, forms, topics.

The 1-op-1 budget is in guidance_hours.py, attendance at mandatory sessions in
guidance_attendance.py. Permission checks live in portfolio/access.py; these operations
enforce the handbook's rules.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from portfolio.clock import today_in_brussels
from portfolio.domain import audit
from portfolio.domain.errors import DomainError
from portfolio.domain.guidance_hours import check_budget
from portfolio.models import (
    GuidanceMoment,
    GuidanceNote,
    GuidanceStatus,
    GuidanceType,
    Placement,
    SessionTopic,
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
MIN_DURATION, MAX_DURATION = 5, 8 * 60
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
        check_budget(session, placement, duration_minutes)
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
    check_budget(session, placement, duration_minutes)
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


def cancel_request(
    session: Session, talk: GuidanceMoment, *, actor: User, at: datetime
) -> GuidanceMoment:
    """Let a student cancel the 1-op-1 talk they requested, before it starts.

    Requested and confirmed talks may be cancelled; the hours they took are free again
    (cancelled talks do not count). The caller checked the actor is the talk's student.
    """
    if talk.type != GuidanceType.EEN_OP_EEN or talk.created_by_id != actor.id:
        raise DomainError(
            "Je annuleert hier alleen een 1-op-1 gesprek dat je zelf aanvroeg; "
            "vraag je begeleider om een ander moment te annuleren."
        )
    if talk.status not in (GuidanceStatus.REQUESTED, GuidanceStatus.PLANNED):
        raise DomainError(
            f"Dit gesprek is {STATUS_LABELS.get(talk.status, talk.status).lower()}: "
            "annuleren kan niet meer."
        )
    if talk.starts_at <= at:
        raise DomainError("Dit gesprek is al begonnen: annuleren kan alleen vooraf.")
    return change_status(session, talk, GuidanceStatus.CANCELLED, actor=actor)


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

"""Demo guidance moments: pool sessions, a site visit, 1-op-1 talks, forms and an absence."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlmodel import Session

from portfolio.clock import BRUSSELS, now, today_in_brussels
from portfolio.domain import guidance, guidance_attendance
from portfolio.models import AttendanceStatus, GuidanceStatus, GuidanceType


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """Return a Brussels wall-clock moment `days` from today, as an aware datetime."""
    day = today_in_brussels() + timedelta(days=days)
    if day.weekday() >= 5:  # no sessions at the weekend: take the Monday after
        day += timedelta(days=7 - day.weekday())
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def seed(session: Session, demo) -> None:
    supervisor, colleague = demo.users["begeleider"], demo.users["collega"]
    student = demo.users["student"]
    placement = demo.placements["student"]
    pool_id = demo.pool.id

    def plan(kind, days, hour, *, actor=supervisor, **fields):
        return guidance.plan_moment(
            session, type=kind, starts_at=_at(days, hour), actor=actor, **fields
        )

    intro = plan(GuidanceType.STAGETOELICHTING, -24, 10, duration_minutes=90, pool_id=pool_id)
    spotlight = plan(
        GuidanceType.SCHIJNWERPER,
        -14,
        13,
        duration_minutes=120,
        pool_id=pool_id,
        title="Een rode draad in je weekrooster",
    )
    lab = plan(
        GuidanceType.KLEUTERLABO,
        -7,
        13,
        actor=colleague,
        duration_minutes=120,
        pool_id=pool_id,
        title="Verjaardagsrituelen",
    )
    for done in (intro, spotlight, lab):
        guidance.change_status(session, done, GuidanceStatus.DONE, actor=supervisor)
    plan(
        GuidanceType.SESSIE_OP_VRAAG,
        9,
        16,
        duration_minutes=60,
        pool_id=pool_id,
        title="Ouders betrekken bij de klaswerking",
    )
    plan(GuidanceType.STAGEBEZOEK, 3, 9, duration_minutes=90, placement=placement)
    plan(GuidanceType.EEN_OP_EEN, 2, 15, duration_minutes=45, placement=placement)

    guidance_attendance.record_attendance(
        session, spotlight, placement, status=AttendanceStatus.PRESENT, actor=supervisor
    )
    guidance_attendance.record_attendance(
        session, lab, placement, status=AttendanceStatus.ILLEGITIMATE, actor=colleague
    )
    guidance_attendance.add_absence_note(
        session,
        lab,
        placement,
        actor=student,
        note="Ik had de datum verkeerd genoteerd. Ik las de presentatie op Canvas en vroeg "
        "een medestudent wat er besproken werd.",
    )
    guidance.add_note(
        session,
        spotlight,
        placement,
        actor=student,
        at=spotlight.starts_at + timedelta(hours=5),
        lessons="Een rode draad geeft kleuters houvast: elke dag hetzelfde begin- en slotmoment.",
        insight="Ik plande te veel nieuwe activiteiten na elkaar.",
        next_steps="Volgende week een vast onthaalritueel uitproberen en noteren hoe het loopt.",
    )
    guidance.add_note(
        session,
        spotlight,
        placement,
        actor=supervisor,
        at=spotlight.starts_at + timedelta(days=1),
        lessons="",
        insight="Sterke vraag over overgangsmomenten tijdens de sessie.",
        next_steps="Neem je rode draad mee naar het stagebezoek.",
    )
    guidance.request_one_on_one(
        session,
        placement,
        starts_at=_at(10, 14),
        duration_minutes=60,
        actor=student,
        moment=now(),
        questions="- Hoe bouw ik mijn stagepakket op voor de R-dagen?\n"
        "- Welke attitude kies ik als groeipunt?",
    )
    guidance.propose_topic(
        session, placement, actor=student, topic="Omgaan met meertaligheid in de kleuterklas"
    )
    session.flush()

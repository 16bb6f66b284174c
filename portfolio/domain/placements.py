"""Placement operations: create with a generated calendar, edit days, extend the deadline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, select

from portfolio.clock import now
from portfolio.domain import audit
from portfolio.domain.calendar import (
    DEFAULT_WEEKDAYS,
    check_opr_limit,
    default_kinds,
    generate_stage_days,
    parse_weekdays,
)
from portfolio.domain.days_off import check_day_off
from portfolio.domain.deadline import closes_at
from portfolio.domain.errors import DomainError, FieldError
from portfolio.models import DayKind, Holiday, Item, Placement, SemesterDefault, StageDay, User


def semester_weekdays(session: Session, semester: int) -> tuple[int, ...]:
    """Return the coordinator's default weekdays for a semester (or the handbook's)."""
    default = session.get(SemesterDefault, semester)
    if default is not None:
        return parse_weekdays(default.weekdays)
    return DEFAULT_WEEKDAYS.get(semester, DEFAULT_WEEKDAYS[1])


def create_placement(session: Session, *, actor: User, **fields) -> Placement:
    """Create a placement and generate its stage days from the semester defaults."""
    placement = Placement(**fields)
    if placement.semester not in (1, 2):
        raise DomainError("Kies semester 1 of 2.")
    holidays = session.exec(
        select(Holiday.day).where(
            Holiday.day >= placement.first_day, Holiday.day <= placement.last_day
        )
    ).all()
    days = generate_stage_days(
        placement.first_day,
        placement.last_day,
        semester_weekdays(session, placement.semester),
        holidays,
    )
    if not days:
        raise DomainError(
            "Tussen deze data valt geen enkele stagedag; controleer de data en weekdagen."
        )
    session.add(placement)
    session.flush()
    for day, kind in default_kinds(days):
        session.add(StageDay(placement_id=placement.id, day=day, kind=kind))
    audit.record(
        session,
        actor=actor,
        action="placement.created",
        placement_id=placement.id,
        first_day=placement.first_day,
        last_day=placement.last_day,
        days=len(days),
    )
    session.flush()
    return placement


# Built once: every page of a placement's days runs it.
_DAYS_OF = (
    select(StageDay)
    .where(StageDay.placement_id == bindparam("placement_id"))
    .order_by(StageDay.day)
)


def stage_days(session: Session, placement: Placement) -> list[StageDay]:
    return list(session.exec(_DAYS_OF, params={"placement_id": placement.id}))


def _sync_bounds(session: Session, placement: Placement) -> None:
    """Keep first/last day equal to the calendar's first and last stage day."""
    days = [d.day for d in stage_days(session, placement)]
    if not days:
        raise DomainError("Een stage heeft minstens één stagedag.")
    placement.first_day, placement.last_day = days[0], days[-1]
    session.add(placement)


def set_day_kind(session: Session, placement: Placement, day: StageDay, kind: str, *, actor: User):
    """Make a stage day OPR or R; a 7th OPR day is refused."""
    if kind not in (DayKind.OPR, DayKind.R):
        raise DomainError("Een stagedag is een OPR-dag of een R-dag.")
    others = [d.kind for d in stage_days(session, placement) if d.id != day.id]
    check_opr_limit([*others, kind])
    old = day.kind
    day.kind = kind
    session.add(day)
    audit.record(
        session,
        actor=actor,
        action="day.kind",
        placement_id=placement.id,
        day=day.day,
        old=old,
        new=kind,
    )


def add_day(
    session: Session,
    placement: Placement,
    day: date,
    kind: str,
    *,
    actor: User,
    confirm_day_off: bool = False,
) -> StageDay:
    """Add a stage day (e.g. an agreed extra day); refuses duplicates and a 7th OPR day.

    A weekend day or holiday needs `confirm_day_off` (see `portfolio.domain.days_off`).
    """
    existing = stage_days(session, placement)
    if any(d.day == day for d in existing):
        raise DomainError("Op die datum staat al een stagedag.")
    check_opr_limit([*(d.kind for d in existing), kind])
    day_off = check_day_off(session, day, confirmed=confirm_day_off)
    stage_day = StageDay(placement_id=placement.id, day=day, kind=kind)
    session.add(stage_day)
    session.flush()
    _sync_bounds(session, placement)
    audit.record(
        session,
        actor=actor,
        action="day.added",
        placement_id=placement.id,
        day=day,
        kind=kind,
        **({"day_off": day_off} if day_off else {}),
    )
    return stage_day


def move_day(
    session: Session,
    placement: Placement,
    day: StageDay,
    new_date: date,
    *,
    actor: User,
    confirm_day_off: bool = False,
):
    """Move a stage day to another date (agreed with the site); a day off needs confirming."""
    if any(d.day == new_date and d.id != day.id for d in stage_days(session, placement)):
        raise DomainError("Op die datum staat al een stagedag.")
    day_off = check_day_off(session, new_date, confirmed=confirm_day_off)
    old = day.day
    day.day = new_date
    session.add(day)
    session.flush()
    _sync_bounds(session, placement)
    audit.record(
        session,
        actor=actor,
        action="day.moved",
        placement_id=placement.id,
        old=old,
        new=new_date,
        **({"day_off": day_off} if day_off else {}),
    )


def remove_day(session: Session, placement: Placement, day: StageDay, *, actor: User) -> None:
    """Remove a stage day; the last remaining day cannot be removed."""
    if len(stage_days(session, placement)) <= 1:
        raise DomainError("Een stage heeft minstens één stagedag.")
    # Items (also deleted ones, kept for history) point at the day: moving keeps them.
    if session.exec(select(Item.id).where(Item.stage_day_id == day.id).limit(1)).first():
        raise DomainError(
            "Op deze stagedag staat al werk in het portfolio (agenda, aanbod of reflectie). "
            "Verplaats de dag in plaats van hem te verwijderen."
        )
    session.delete(day)
    session.flush()
    _sync_bounds(session, placement)
    audit.record(session, actor=actor, action="day.removed", placement_id=placement.id, day=day.day)


def grant_extension(
    session: Session, placement: Placement, *, new_closes_at: datetime, reason: str, actor: User
):
    """Extend the closing moment with a reason; logged, and never shortens by accident."""
    from portfolio.models import DeadlineExtension

    reason = reason.strip()
    if not reason:
        raise FieldError("Geef een reden voor de verlenging (bv. ziekte).", field="reason")
    if new_closes_at <= closes_at(placement):
        raise FieldError(
            "Een verlenging moet later vallen dan het huidige afsluitmoment.", field="day"
        )
    old = closes_at(placement)
    placement.closes_at_override = new_closes_at
    session.add(placement)
    extension = DeadlineExtension(
        placement_id=placement.id,
        closes_at=new_closes_at,
        reason=reason,
        granted_by_id=actor.id,
        granted_at=now(),
    )
    session.add(extension)
    audit.record(
        session,
        actor=actor,
        action="deadline.extended",
        placement_id=placement.id,
        old=old,
        new=new_closes_at,
        reason=reason,
    )
    return extension

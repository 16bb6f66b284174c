"""The programme's set-up by the coordinator: pools, semester defaults, holidays."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError
from portfolio.models import Holiday, Pool, PoolMember, Role, SemesterDefault, User


def create_pool(session: Session, *, name: str, actor: User) -> Pool:
    """Create a pool with a unique name."""
    name = (name or "").strip()
    if not name:
        raise FieldError("Geef de pool een naam.", field="name")
    if len(name) > 120:
        raise FieldError("Een poolnaam is hoogstens 120 tekens lang.", field="name")
    if session.exec(select(Pool.id).where(Pool.name == name)).first() is not None:
        raise FieldError(f"Er bestaat al een pool met de naam '{name}'.", field="name")
    pool = Pool(name=name)
    session.add(pool)
    session.flush()
    audit.record(session, actor=actor, action="pool.created", pool_id=pool.id, name=name)
    return pool


def add_pool_member(session: Session, pool: Pool, user: User, *, actor: User) -> None:
    """Add a supervisor to a pool (once)."""
    if user.role != Role.SUPERVISOR:
        raise DomainError("Alleen stagebegeleiders kunnen lid zijn van een pool.")
    if session.get(PoolMember, (pool.id, user.id)) is not None:
        raise DomainError(f"{user.name} is al lid van {pool.name}.")
    session.add(PoolMember(pool_id=pool.id, user_id=user.id))
    audit.record(session, actor=actor, action="pool.member_added", pool_id=pool.id, user_id=user.id)


def remove_pool_member(session: Session, pool: Pool, user: User, *, actor: User) -> None:
    """Take a supervisor out of a pool."""
    member = session.get(PoolMember, (pool.id, user.id))
    if member is None:
        raise DomainError(f"{user.name} is geen lid van {pool.name}.")
    session.delete(member)
    audit.record(
        session, actor=actor, action="pool.member_removed", pool_id=pool.id, user_id=user.id
    )


def set_semester_default(
    session: Session, semester: int, *, weekdays: list[int], hours_per_week: int, actor: User
) -> SemesterDefault:
    """Change a semester's default stage weekdays and hours (for placements created later)."""
    if semester not in (1, 2):
        raise DomainError("Kies semester 1 of 2.")
    days = sorted(set(weekdays))
    if not days or any(d < 0 or d > 6 for d in days):
        raise FieldError(
            f"Kies minstens één weekdag voor semester {semester}.", field=f"weekdays_{semester}"
        )
    if not 1 <= hours_per_week <= 60:
        raise FieldError(
            f"Semester {semester}: het aantal uren per week ligt tussen 1 en 60.",
            field=f"hours_{semester}",
        )
    default = session.get(SemesterDefault, semester) or SemesterDefault(semester=semester)
    old = (default.weekdays, default.hours_per_week)
    default.weekdays = ",".join(str(d) for d in days)
    default.hours_per_week = hours_per_week
    session.add(default)
    audit.record(
        session,
        actor=actor,
        action="semester.defaults",
        semester=semester,
        old=list(old),
        new=[default.weekdays, hours_per_week],
    )
    return default


def add_holiday(session: Session, *, day: date, name: str, actor: User) -> Holiday:
    """Add a day on which no stage days are generated."""
    name = (name or "").strip()
    if not name:
        raise FieldError("Geef de vrije dag een naam (bv. Allerheiligen).", field="name")
    if session.exec(select(Holiday.id).where(Holiday.day == day)).first() is not None:
        raise FieldError("Die datum staat al in de lijst met vrije dagen.", field="day")
    holiday = Holiday(day=day, name=name[:120])
    session.add(holiday)
    audit.record(session, actor=actor, action="holiday.added", day=day, name=holiday.name)
    return holiday


def remove_holiday(session: Session, holiday: Holiday, *, actor: User) -> None:
    session.delete(holiday)
    audit.record(session, actor=actor, action="holiday.removed", day=holiday.day, name=holiday.name)

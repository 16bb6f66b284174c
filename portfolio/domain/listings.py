"""Read-only queries behind the coordinator's pages, each a fixed number of statements."""

from __future__ import annotations

from sqlalchemy import Row, case, func, or_
from sqlmodel import Session, select

from portfolio.domain.audit_text import describe
from portfolio.models import (
    AuditEvent,
    DeadlineExtension,
    MentorLink,
    Placement,
    PoolMember,
    Role,
    User,
)
from portfolio.models.people import ROLE_LABELS
from portfolio.pagination import ListArgs, Sorting, matches


def users_with_role(session: Session, role: str) -> list[Row]:
    """Return (id, name) of everyone with a staff role, by name: the choices of a staff select.

    Only for staff (a few dozen): students are typed and searched (student_choices), never listed.
    """
    return list(
        session.exec(select(User.id, User.name).where(User.role == role).order_by(User.name))
    )


STUDENT_CHOICES = 10
MIN_SEARCH = 2  # one letter matches nearly everyone: no list before the second


def student_choices(session: Session, typed: str) -> tuple[list[Row], bool]:
    """Return at most 10 students whose name, number or e-mail address contains `typed`, the
    exact number or address first, then by name; and whether more students match."""
    search = (typed or "").strip()[:100]
    if len(search) < MIN_SEARCH:
        return [], False
    key = search.lower()
    exact = or_(func.lower(User.student_number) == key, func.lower(User.email) == key)
    rows = session.exec(
        select(User.id, User.name, User.student_number, User.email, User.active)
        .where(User.role == Role.STUDENT)
        .where(matches(search, User.name, User.email, User.student_number))
        .order_by(case((exact, 0), else_=1), func.lower(User.name), User.id)
        .limit(STUDENT_CHOICES + 1)
    ).all()
    return list(rows[:STUDENT_CHOICES]), len(rows) > STUDENT_CHOICES


def placement_people(session: Session, placement: Placement) -> dict[int, User]:
    """Return the student, fixed supervisor and mentor of a placement by id."""
    ids = [i for i in (placement.student_id, placement.supervisor_id, placement.mentor_id) if i]
    return {user.id: user for user in session.exec(select(User).where(User.id.in_(ids)))}


PLACEMENT_LOG_LATEST = 30  # the rest is on the log page (/beheer/logboek?stage=...)


def placement_log(session: Session, placement_id: int) -> list[tuple[AuditEvent, str | None, str]]:
    """Return the placement's latest audit events, newest first: (event, actor, Dutch text)."""
    rows = session.exec(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.placement_id == placement_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PLACEMENT_LOG_LATEST)
    )
    return [(event, name, describe(event.action, event.detail)) for event, name in rows]


def extensions_of(session: Session, placement_id: int) -> list[tuple[DeadlineExtension, str]]:
    return list(
        session.exec(
            select(DeadlineExtension, User.name)
            .join(User, User.id == DeadlineExtension.granted_by_id)
            .where(DeadlineExtension.placement_id == placement_id)
            .order_by(DeadlineExtension.granted_at.desc())
        )
    )


def pool_members(session: Session) -> dict[int, list[User]]:
    """Return every pool's members, by pool id."""
    members: dict[int, list[User]] = {}
    rows = session.exec(
        select(PoolMember.pool_id, User)
        .join(User, User.id == PoolMember.user_id)
        .order_by(User.name)
    )
    for pool_id, user in rows:
        members.setdefault(pool_id, []).append(user)
    return members


def links_of(session: Session, mentor: User) -> list[MentorLink]:
    return list(
        session.exec(
            select(MentorLink)
            .where(MentorLink.mentor_id == mentor.id)
            .order_by(MentorLink.id.desc())
        )
    )


def students_of_mentor(session: Session, mentor: User) -> list[tuple[str, str]]:
    """Return (student name, site) for every placement this mentor accompanies."""
    return list(
        session.exec(
            select(User.name, Placement.site_name)
            .join(Placement, Placement.student_id == User.id)
            .where(Placement.mentor_id == mentor.id)
            .order_by(User.name)
        )
    )


PEOPLE_ROLES = {str(role): label for role, label in ROLE_LABELS.items()}
PEOPLE_SORTING = Sorting(
    columns={
        "naam": ("Naam", func.lower(User.name)),
        "email": ("E-mailadres", User.email),
        "rol": ("Rol", User.role),
        "nummer": ("Studentennummer", User.student_number),
    },
    default="naam",
    tie_breaker=User.id,
)


def people_query(args: ListArgs):
    """Return the SELECT of the users matching the list's role and search (name, e-mail, number)."""
    query = select(User)
    role = args.choice("rol", PEOPLE_ROLES, "Rol")
    if role:
        query = query.where(User.role == role)
    search = args.text("q")
    if search:
        query = query.where(matches(search, User.name, User.email, User.student_number))
    return query

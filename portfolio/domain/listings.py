"""Read-only queries behind the coordinator's pages, each a fixed number of statements."""

from __future__ import annotations

from sqlmodel import Session, select

from portfolio.domain.audit_text import describe
from portfolio.models import (
    AuditEvent,
    DeadlineExtension,
    MentorLink,
    Placement,
    PoolMember,
    User,
)


def users_with_role(session: Session, role: str) -> list[User]:
    return list(session.exec(select(User).where(User.role == role).order_by(User.name)))


def placement_people(session: Session, placement: Placement) -> dict[int, User]:
    """Return the student, fixed supervisor and mentor of a placement by id."""
    ids = [i for i in (placement.student_id, placement.supervisor_id, placement.mentor_id) if i]
    return {user.id: user for user in session.exec(select(User).where(User.id.in_(ids)))}


def placement_log(session: Session, placement_id: int) -> list[tuple[AuditEvent, str | None, str]]:
    """Return the placement's audit events, newest first: (event, actor name, Dutch text)."""
    rows = session.exec(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.placement_id == placement_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
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

"""The programme's attitude list, kept by the coordinator.

An attitude that is used (feedback tags, evaluations, remarks, items per attitude) is never
deleted: it is archived, so old records keep pointing to it and keep its name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, union_all
from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError
from portfolio.models import (
    Attitude,
    Evaluation,
    EvaluationRemark,
    FeedbackAttitude,
    Item,
    User,
)

NAME_MAX = 120
DESCRIPTION_MAX = 2000


def active_attitudes(session: Session) -> list[Attitude]:
    """Return the attitudes in use now, in the coordinator's order."""
    return list(
        session.exec(
            select(Attitude)
            .where(Attitude.archived_at.is_(None))
            .order_by(Attitude.position, Attitude.id)
        )
    )


def all_attitudes(session: Session) -> list[Attitude]:
    """Return every attitude: the active ones in order, then the archived ones."""
    archived = session.exec(
        select(Attitude).where(Attitude.archived_at.is_not(None)).order_by(Attitude.name)
    ).all()
    return active_attitudes(session) + list(archived)


def used_attitude_ids(session: Session) -> set[int]:
    """Return the ids of attitudes some record points to (one query)."""
    used = union_all(
        select(FeedbackAttitude.attitude_id),
        select(Evaluation.attitude_id),
        select(EvaluationRemark.attitude_id).where(EvaluationRemark.attitude_id.is_not(None)),
        select(Item.attitude_id).where(Item.attitude_id.is_not(None)),
    ).subquery()
    return {row for row in session.exec(select(used.c[0]).distinct()) if row is not None}


def _clean(name: str, description: str) -> tuple[str, str]:
    name = (name or "").strip()
    description = (description or "").strip()
    if not name:
        raise FieldError("Geef de attitude een naam.", field="name")
    if len(name) > NAME_MAX:
        raise FieldError(f"De naam is te lang (hoogstens {NAME_MAX} tekens).", field="name")
    if len(description) > DESCRIPTION_MAX:
        raise FieldError(
            f"De omschrijving is te lang (hoogstens {DESCRIPTION_MAX} tekens).", field="description"
        )
    return name, description


def _refuse_duplicate(session: Session, name: str, *, except_id: int | None = None) -> None:
    query = select(Attitude.id).where(
        func.lower(Attitude.name) == name.lower(), Attitude.archived_at.is_(None)
    )
    if except_id is not None:
        query = query.where(Attitude.id != except_id)
    if session.exec(query).first() is not None:
        raise FieldError(f"Er is al een attitude '{name}'.", field="name")


def add_attitude(session: Session, *, name: str, description: str, actor: User) -> Attitude:
    """Add an attitude at the end of the list."""
    name, description = _clean(name, description)
    _refuse_duplicate(session, name)
    last = session.exec(select(func.max(Attitude.position))).one()
    attitude = Attitude(name=name, description=description, position=(last or 0) + 1)
    session.add(attitude)
    session.flush()
    audit.record(session, actor=actor, action="attitude.added", attitude_id=attitude.id, name=name)
    return attitude


def update_attitude(
    session: Session, attitude: Attitude, *, name: str, description: str, actor: User
) -> Attitude:
    """Rename or describe an attitude; old feedback and evaluations show the new name."""
    name, description = _clean(name, description)
    _refuse_duplicate(session, name, except_id=attitude.id)
    if (name, description) != (attitude.name, attitude.description):
        audit.record(
            session,
            actor=actor,
            action="attitude.changed",
            attitude_id=attitude.id,
            old_name=attitude.name,
            name=name,
        )
        attitude.name, attitude.description = name, description
        session.add(attitude)
    return attitude


def move_attitude(session: Session, attitude: Attitude, *, up: bool, actor: User) -> None:
    """Swap the attitude with its neighbour above (up) or below among the active ones."""
    if attitude.archived_at is not None:
        raise DomainError("Een gearchiveerde attitude heeft geen plaats in de lijst.")
    ordered = active_attitudes(session)
    index = next(i for i, a in enumerate(ordered) if a.id == attitude.id)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return  # already first or last: nothing to do
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            session.add(item)
    audit.record(
        session, actor=actor, action="attitude.moved", attitude_id=attitude.id, up=bool(up)
    )


def archive_attitude(
    session: Session, attitude: Attitude, *, moment: datetime, actor: User
) -> None:
    """Take the attitude out of use; records that point to it keep it."""
    if attitude.archived_at is None:
        attitude.archived_at = moment
        session.add(attitude)
        audit.record(session, actor=actor, action="attitude.archived", attitude_id=attitude.id)


def restore_attitude(session: Session, attitude: Attitude, *, actor: User) -> None:
    """Put an archived attitude back at the end of the list."""
    if attitude.archived_at is None:
        return
    _refuse_duplicate(session, attitude.name, except_id=attitude.id)
    last = session.exec(
        select(func.max(Attitude.position)).where(Attitude.archived_at.is_(None))
    ).one()
    attitude.archived_at = None
    attitude.position = (last or 0) + 1
    session.add(attitude)
    audit.record(session, actor=actor, action="attitude.restored", attitude_id=attitude.id)


def delete_attitude(session: Session, attitude: Attitude, *, actor: User) -> None:
    """Delete an attitude nothing points to yet; a used one must be archived instead."""
    if attitude.id in used_attitude_ids(session):
        raise DomainError(
            f"'{attitude.name}' is al gebruikt in feedback, evaluaties of het portfolio: "
            "archiveer de attitude in plaats van ze te verwijderen."
        )
    audit.record(
        session, actor=actor, action="attitude.deleted", attitude_id=attitude.id, name=attitude.name
    )
    session.delete(attitude)
    session.flush()

"""The attendance card (aanwezigheidskaart): the mentor confirms presence per stage day."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from portfolio.clock import today_in_brussels
from portfolio.domain import audit
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.models import Placement, Presence, Role, StageDay, User

MAX_NOTE = 1000


def confirm_presence(
    session: Session,
    placement: Placement,
    day: StageDay,
    *,
    presence: str,
    note: str,
    actor: User,
    moment: datetime,
) -> StageDay:
    """Record presence or an absence (with a note) for a stage day that has begun."""
    if day.placement_id != placement.id:
        raise DomainError("Deze stagedag hoort niet bij deze stage.")
    if not (actor.role == Role.MENTOR and placement.mentor_id == actor.id):
        raise Forbidden("Alleen de mentor van deze student vult de aanwezigheidskaart in.")
    if presence not in (Presence.PRESENT, Presence.ABSENT):
        raise DomainError("Kies aanwezig of afwezig.")
    note = (note or "").strip()
    if presence == Presence.ABSENT and not note:
        raise DomainError("Noteer kort de reden van de afwezigheid (bv. ziek, verwittigd).")
    if len(note) > MAX_NOTE:
        raise DomainError(f"Een opmerking is hoogstens {MAX_NOTE} tekens lang.")
    if day.day > today_in_brussels(moment):
        raise DomainError("Je kan de aanwezigheid pas invullen vanaf de stagedag zelf.")
    old = day.presence
    day.presence = presence
    day.presence_note = note
    day.presence_by_id = actor.id
    day.presence_at = moment
    session.add(day)
    audit.record(
        session,
        actor=actor,
        action="day.presence",
        placement_id=placement.id,
        day=day.day,
        old=old,
        new=presence,
        note=note,
    )
    return day


def confirm_present_days(
    session: Session,
    placement: Placement,
    days: list[StageDay],
    *,
    actor: User,
    moment: datetime,
) -> list[StageDay]:
    """Confirm presence on several stage days at once; each day is checked and logged itself.

    All or nothing: one refused day (another placement's, not begun yet) refuses them all.
    """
    if not days:
        raise DomainError("Vink minstens één stagedag aan.")
    return [
        confirm_presence(
            session, placement, day, presence=Presence.PRESENT, note="", actor=actor, moment=moment
        )
        for day in sorted(days, key=lambda d: d.day)
    ]

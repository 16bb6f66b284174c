"""Warnings, numbered per placement; the third one stops the placement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError, VersionConflict
from portfolio.models import Placement, PlacementStatus, User, Warning

# The handbook: "De opleiding zet de stage stop bij een derde waarschuwing".
STOPPING_WARNING = 3
TEXT_MAX = 10000


class StopConfirmationRequired(DomainError):
    """The third warning stops the placement: it needs an explicit confirmation first."""

    title = "Bevestiging nodig"


def warnings_of(session: Session, placement: Placement) -> list[Warning]:
    """Return the placement's warnings in order (1, 2, 3)."""
    return list(
        session.exec(
            select(Warning).where(Warning.placement_id == placement.id).order_by(Warning.number)
        )
    )


def warning_count(session: Session, placement: Placement) -> int:
    statement = (
        select(func.count()).select_from(Warning).where(Warning.placement_id == placement.id)
    )
    return session.exec(statement).one()


def next_number(session: Session, placement: Placement) -> int:
    """Return the number the next warning gets; refuse when the placement is already stopped."""
    number = warning_count(session, placement) + 1
    if number > STOPPING_WARNING:
        raise DomainError(
            "Er zijn al drie waarschuwingen: de stage is stopgezet. "
            "Een vierde waarschuwing is niet mogelijk."
        )
    if placement.status == PlacementStatus.STOPPED:
        raise DomainError("Deze stage is stopgezet: een waarschuwing is niet meer mogelijk.")
    return number


def record_warning(
    session: Session,
    placement: Placement,
    *,
    facts: str,
    undesirable: str,
    support: str,
    agreements: str,
    actor: User,
    moment: datetime,
    confirm_stop: bool = False,
) -> Warning:
    """Record a warning (facts, what is undesirable and why, support offered, agreements).

    The third warning stops the placement (status stopgezet, the portfolio closes), but only
    with `confirm_stop`; without it StopConfirmationRequired is raised and nothing is stored.
    """
    fields = {
        "feiten": (facts or "").strip(),
        "onwenselijk": (undesirable or "").strip(),
        "ondersteuning": (support or "").strip(),
        "afspraken": (agreements or "").strip(),
    }
    if not fields["feiten"]:
        raise FieldError("Beschrijf de feiten.", field="feiten")
    if not fields["onwenselijk"]:
        raise FieldError("Beschrijf wat onwenselijk is en waarom.", field="onwenselijk")
    for name, value in fields.items():
        if len(value) > TEXT_MAX:
            raise FieldError(f"Deze tekst is te lang (max. {TEXT_MAX} tekens).", field=name)
    number = next_number(session, placement)
    if number == STOPPING_WARNING and not confirm_stop:
        raise StopConfirmationRequired(
            "Deze derde waarschuwing zet de stage stop. Bevestig dat je de stage wil stopzetten."
        )
    warning = Warning(
        placement_id=placement.id,
        number=number,
        facts=fields["feiten"],
        undesirable=fields["onwenselijk"],
        support=fields["ondersteuning"],
        agreements=fields["afspraken"],
        author_id=actor.id,
        created_at=moment,
    )
    try:
        with session.begin_nested():  # a savepoint: a clash leaves the request's work intact
            session.add(warning)
    except IntegrityError:
        raise VersionConflict(
            f"Iemand gaf intussen al waarschuwing {number}. Laad de pagina opnieuw."
        ) from None
    audit.record(
        session,
        actor=actor,
        action="warning.recorded",
        placement_id=placement.id,
        warning_id=warning.id,
        number=number,
        facts=warning.facts,
    )
    if number == STOPPING_WARNING:
        stop_placement(session, placement, warning=warning, actor=actor, moment=moment)
    return warning


def stop_placement(
    session: Session, placement: Placement, *, warning: Warning, actor: User, moment: datetime
) -> None:
    """Stop the placement after the third warning; the facts stay on record."""
    placement.status = PlacementStatus.STOPPED
    placement.stopped_at = moment
    session.add(placement)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="placement.stopped",
        placement_id=placement.id,
        warning_id=warning.id,
        facts=warning.facts,
        undesirable=warning.undesirable,
        stopped_at=moment,
    )

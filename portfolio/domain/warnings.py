"""Warnings, numbered per placement; the third one proposes the stop, the coordinator confirms it.

The handbook: "je stagebegeleider ... waarschuwt je" (the student's fixed supervisor; a pool
member or the mentor adds a note to the file instead) and "De opleiding zet de stage stop bij een
derde waarschuwing": the programme stops it, so the third warning only proposes the stop
(`propose_stop`) and the placement runs on until the coordinator confirms it (`confirm_stop`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portfolio.access import is_fixed_supervisor
from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError, Forbidden, VersionConflict
from portfolio.models import Placement, PlacementStatus, Role, User, Warning

# The handbook: "De opleiding zet de stage stop bij een derde waarschuwing".
STOPPING_WARNING = 3
TEXT_MAX = 10000


class StopConfirmationRequired(DomainError):
    """The third warning proposes the stop: it needs an explicit confirmation first."""

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

    Only the student's fixed supervisor warns. The third warning proposes the stop to the
    coordinator (see `propose_stop`), but only with `confirm_stop` (the supervisor confirms
    they mean it); without it StopConfirmationRequired is raised and nothing is stored.
    """
    if not is_fixed_supervisor(actor, placement):
        raise Forbidden(
            "Alleen de vaste stagebegeleider van de student geeft een waarschuwing. "
            "Als poollid of mentor voeg je een notitie toe aan het dossier."
        )
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
            "Deze derde waarschuwing stelt voor om de stage stop te zetten; de stagecoördinator "
            "bevestigt de stopzetting voor de opleiding. Bevestig dat je dit voorstel doet."
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
        propose_stop(session, placement, warning=warning, actor=actor, moment=moment)
    return warning


def propose_stop(
    session: Session, placement: Placement, *, warning: Warning, actor: User, moment: datetime
) -> None:
    """Log the third warning as a proposal to stop; the placement runs on until confirmed."""
    audit.record(
        session,
        actor=actor,
        action="placement.stop_proposed",
        placement_id=placement.id,
        warning_id=warning.id,
        facts=warning.facts,
        proposed_at=moment,
    )


def pending_stop(session: Session, placement: Placement) -> Warning | None:
    """Return the third warning while its stop waits for the coordinator, else None."""
    if placement.status == PlacementStatus.STOPPED:
        return None
    return session.exec(
        select(Warning).where(
            Warning.placement_id == placement.id, Warning.number == STOPPING_WARNING
        )
    ).first()


def stop_proposals(session: Session) -> list[tuple[Placement, Warning]]:
    """Return every proposed stop the coordinator has not confirmed yet, oldest first."""
    rows = session.exec(
        select(Placement, Warning)
        .join(Warning, Warning.placement_id == Placement.id)
        .where(Warning.number == STOPPING_WARNING, Placement.status != PlacementStatus.STOPPED)
        .order_by(Warning.created_at, Warning.id)
    )
    return [(placement, warning) for placement, warning in rows]


def confirm_stop(session: Session, placement: Placement, *, actor: User, moment: datetime) -> None:
    """The coordinator stops the placement for the programme after the proposed stop.

    The placement gets status stopgezet and its portfolio closes; the facts of every warning
    go into the audit log with the stop.
    """
    if actor.role != Role.COORDINATOR:
        raise Forbidden("Alleen de stagecoördinator zet een stage stop voor de opleiding.")
    if placement.status == PlacementStatus.STOPPED:
        raise DomainError("Deze stage is al stopgezet.")
    warning = pending_stop(session, placement)
    if warning is None:
        raise DomainError(
            "Er is geen voorstel tot stopzetting: dat volgt pas op de derde waarschuwing."
        )
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
        warnings=[
            {"number": w.number, "facts": w.facts, "undesirable": w.undesirable}
            for w in warnings_of(session, placement)
        ],
        stopped_at=moment,
    )

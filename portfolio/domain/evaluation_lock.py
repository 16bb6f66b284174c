"""The evaluation lock: after the exam board's decision no evaluation of the placement changes.

The handbook lets the exam board confirm the supervisor's synthesis; once it did, every verdict
(mid-term and final, the supervisor's and the mentor's), every strength or growth point and the
proposal itself are locked for everyone. The coordinator can reopen them with a reason. Reopening
sets the board's decision aside (it stays in the audit log with the reason): the evaluations
can change, and the board decides again on the proposal as it then stands, which locks them
again.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError
from portfolio.models import Placement, Role, Synthesis, User

REASON_MAX = 4000


class EvaluationLocked(DomainError):
    """The exam board decided: evaluations are locked until the coordinator reopens them."""

    title = "Evaluatie afgesloten"


def synthesis_of(session: Session, placement: Placement) -> Synthesis | None:
    return session.exec(select(Synthesis).where(Synthesis.placement_id == placement.id)).first()


def is_locked(synthesis: Synthesis | None) -> bool:
    """True when the exam board decided on the synthesis (and nobody reopened it since)."""
    return synthesis is not None and synthesis.decided_at is not None


def check_open(session: Session, placement: Placement) -> None:
    """Refuse any change to the placement's evaluations after the exam board's decision."""
    if is_locked(synthesis_of(session, placement)):
        raise EvaluationLocked(
            "De examencommissie besliste al: de evaluatie van deze stage ligt vast. "
            "Alleen de stagecoördinator kan ze heropenen."
        )


def reopen_evaluation(
    session: Session, placement: Placement, *, reason: str, actor: User, moment: datetime
) -> Synthesis:
    """Reopen the evaluations locked by the board's decision; the reason goes to the audit log."""
    if actor.role != Role.COORDINATOR:
        raise DomainError("Alleen de stagecoördinator kan een afgesloten evaluatie heropenen.")
    synthesis = synthesis_of(session, placement)
    if not is_locked(synthesis):
        raise DomainError("De examencommissie besliste nog niet: de evaluatie is niet afgesloten.")
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("Noteer waarom je de evaluatie heropent.", field="reden")
    if len(reason) > REASON_MAX:
        raise FieldError(f"De reden is te lang (max. {REASON_MAX} tekens).", field="reden")
    audit.record(
        session,
        actor=actor,
        action="evaluation.reopened",
        placement_id=placement.id,
        reason=reason,
        reopened_at=moment,
        previous_decision={
            "confirmed": synthesis.board_confirmed,
            "note": synthesis.board_note,
            "decided_by_id": synthesis.decided_by_id,
            "decided_at": synthesis.decided_at.isoformat(),
        },
    )
    synthesis.board_confirmed = None
    synthesis.board_note = ""
    synthesis.decided_by_id = None
    synthesis.decided_at = None
    session.add(synthesis)
    session.flush()
    return synthesis

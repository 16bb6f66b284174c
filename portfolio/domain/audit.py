"""Write audit events: who changed what, when."""

from __future__ import annotations

from sqlmodel import Session

from portfolio.clock import now
from portfolio.models import AuditEvent, User


def record(
    session: Session, *, actor: User | None, action: str, placement_id: int | None = None, **detail
) -> AuditEvent:
    """Add an audit event to the session (committed with the rest of the request)."""
    event = AuditEvent(
        at=now(),
        actor_id=actor.id if actor else None,
        placement_id=placement_id,
        action=action,
        detail={key: _plain(value) for key, value in detail.items()},
    )
    session.add(event)
    return event


def _plain(value):
    """Make a value JSON-friendly (dates and datetimes as ISO strings)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value

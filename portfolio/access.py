"""Who may see or change which placement: the one place these checks live.

Order everywhere: load the object or 404, then check this person or 403.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, false, or_, true
from sqlmodel import select

from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import Forbidden, PortfolioClosed
from portfolio.models import Placement, PoolMember, Role, User


def pool_ids_of(user: User) -> set[int]:
    """Return the ids of the pools the user belongs to (cached for the request)."""
    cache = g.setdefault("pool_ids", {})
    if user.id not in cache:
        rows = get_session().exec(select(PoolMember.pool_id).where(PoolMember.user_id == user.id))
        cache[user.id] = set(rows.all())
    return cache[user.id]


def visible_placements_clause(user: User) -> ColumnElement[bool]:
    """Return a WHERE clause selecting the placements this user may see."""
    if user.role == Role.COORDINATOR:
        return true()
    if user.role == Role.STUDENT:
        return Placement.student_id == user.id
    if user.role == Role.MENTOR:
        return Placement.mentor_id == user.id
    if user.role == Role.SUPERVISOR:
        pools = pool_ids_of(user)
        clauses = [Placement.supervisor_id == user.id]
        if pools:
            clauses.append(Placement.pool_id.in_(pools))
        return or_(*clauses)
    return false()


def can_view(user: User, placement: Placement) -> bool:
    """Return whether the user may read this placement's portfolio (per role's scope)."""
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.STUDENT:
        return placement.student_id == user.id
    if user.role == Role.MENTOR:
        return placement.mentor_id == user.id
    return can_supervise(user, placement)


def can_supervise(user: User, placement: Placement) -> bool:
    """Return whether the user is the fixed supervisor or in the placement's pool."""
    if user.role == Role.COORDINATOR:
        return True
    if user.role != Role.SUPERVISOR:
        return False
    if placement.supervisor_id == user.id:
        return True
    return placement.pool_id is not None and placement.pool_id in pool_ids_of(user)


def is_fixed_supervisor(user: User, placement: Placement) -> bool:
    return user.role == Role.SUPERVISOR and placement.supervisor_id == user.id


def is_owner(user: User, placement: Placement) -> bool:
    return user.role == Role.STUDENT and placement.student_id == user.id


def is_mentor_of(user: User, placement: Placement) -> bool:
    return user.role == Role.MENTOR and placement.mentor_id == user.id


def load_placement(placement_id: int) -> Placement:
    """Load a placement the current user may view: 404 if missing, 403 if not theirs."""
    placement = get_session().get(Placement, placement_id)
    if placement is None:
        abort(404)
    if not can_view(current_user, placement):
        abort(403)
    return placement


def require_supervision(placement: Placement) -> None:
    """Refuse unless the current user supervises this placement (fixed or pool)."""
    if not can_supervise(current_user, placement):
        raise Forbidden("Alleen de stagebegeleider (of de pool) van deze student kan dit doen.")


def require_student_write(placement: Placement) -> None:
    """Refuse unless the current user is this placement's student and it is still open."""
    if not is_owner(current_user, placement):
        raise Forbidden("Alleen de student zelf kan dit portfolio aanvullen.")
    if is_closed(placement, now()):
        raise PortfolioClosed(
            "Je portfolio is afgesloten: je kan alles nog lezen, maar niets meer wijzigen. "
            "Heb je meer tijd nodig (bv. bij ziekte)? Vraag een verlenging aan de stagecoördinator."
        )

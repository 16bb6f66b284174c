"""Who may see or change which placement: the one place these checks live.

Order everywhere: load the object or 404, then check this person or 403.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, or_, true
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


# ---------------------------------------------------------------- items and their files


def can_view_item_kind(user: User, placement: Placement, kind: str) -> bool:
    """Return whether the user may read this placement's items of this kind (and their files)."""
    from portfolio.domain.steps import MENTOR_VISIBLE_KINDS

    if not can_view(user, placement):
        return False
    # Reflections and self-assessments are personal: a mentor sees only what the handbook gives.
    return user.role != Role.MENTOR or kind in MENTOR_VISIBLE_KINDS


def can_student_write(user: User, placement: Placement) -> bool:
    """Return whether the user may change this portfolio now (its own student, still open)."""
    return is_owner(user, placement) and not is_closed(placement, now())


# ---------------------------------------------------------------- guidance moments
# The handbook gives a mentor the site visit (stagebezoek) with the driehoeksgesprek: a mentor
# sees their own student's site visits and adds to that visit's form, and nothing else here.


def require_guidance_area(*, mentor_allowed: bool = False) -> None:
    """Refuse unknown roles the guidance area, and mentors all but the site-visit pages."""
    roles = {Role.STUDENT, Role.SUPERVISOR, Role.COORDINATOR}
    if mentor_allowed:
        roles.add(Role.MENTOR)
    if current_user.role not in roles:
        raise Forbidden("Begeleidingsmomenten zijn er voor studenten, begeleiders en coördinator.")


def is_site_visit_mentor(user: User, moment, placement: Placement) -> bool:
    """Return whether the user is the placement's mentor and the moment its site visit."""
    from portfolio.models import GuidanceType

    return (
        is_mentor_of(user, placement)
        and moment.type == GuidanceType.STAGEBEZOEK
        and moment.placement_id == placement.id
    )


def visible_site_visits_clause(user: User) -> ColumnElement[bool]:
    """Return a WHERE clause selecting the site visits of a mentor's own students."""
    from portfolio.models import GuidanceMoment, GuidanceType

    if user.role != Role.MENTOR:
        return false()
    mine = select(Placement.id).where(Placement.mentor_id == user.id)
    return and_(
        GuidanceMoment.type == GuidanceType.STAGEBEZOEK, GuidanceMoment.placement_id.in_(mine)
    )


def require_guidance_form_reader(moment, placement: Placement) -> None:
    """Refuse a mentor every guidance form but their own student's site visit.

    Others were checked by load_placement (can_view) and the moment belonging to the placement.
    """
    if current_user.role == Role.MENTOR and not is_site_visit_mentor(
        current_user, moment, placement
    ):
        raise Forbidden("Als mentor zie je alleen het stagebezoek van je eigen stagiair.")


def can_read_guidance_note(user: User, placement: Placement, author_id: int) -> bool:
    """Return whether the user may read this entry: a mentor not the student's own (personal)."""
    return user.role != Role.MENTOR or author_id != placement.student_id


def can_write_guidance_note(user: User, moment, placement: Placement) -> bool:
    """Return whether the user may add to this moment's form for this placement now."""
    if user.role == Role.STUDENT:
        return can_student_write(user, placement)
    if user.role == Role.MENTOR:
        return is_site_visit_mentor(user, moment, placement)
    return can_supervise(user, placement)


def require_guidance_note_author(moment, placement: Placement) -> None:
    """Refuse unless the current user may add to the form (student, supervisors, visit mentor)."""
    if current_user.role == Role.STUDENT:
        require_student_write(placement)
    elif current_user.role == Role.MENTOR:
        require_guidance_form_reader(moment, placement)
    else:
        require_supervision(placement)


def can_supervise_pool(user: User, pool_id: int | None) -> bool:
    """Return whether the user may plan for and see the whole pool (member or coordinator)."""
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.SUPERVISOR and pool_id is not None and pool_id in pool_ids_of(user)


def visible_moments_clause(user: User) -> ColumnElement[bool]:
    """Return a WHERE clause selecting the guidance moments this user may see."""
    from portfolio.models import GuidanceMoment

    if user.role == Role.COORDINATOR:
        return true()
    if user.role == Role.STUDENT:
        mine = select(Placement.id).where(Placement.student_id == user.id)
        my_pools = select(Placement.pool_id).where(
            Placement.student_id == user.id, Placement.pool_id.is_not(None)
        )
        return or_(GuidanceMoment.placement_id.in_(mine), GuidanceMoment.pool_id.in_(my_pools))
    if user.role == Role.SUPERVISOR:
        supervised = select(Placement.id).where(visible_placements_clause(user))
        clauses = [GuidanceMoment.placement_id.in_(supervised)]
        pools = pool_ids_of(user)
        if pools:
            clauses.append(GuidanceMoment.pool_id.in_(pools))
        return or_(*clauses)
    return false()


def can_view_moment(user: User, moment) -> bool:
    """Return whether the user may see this guidance moment (one query for students)."""
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.SUPERVISOR:
        if moment.placement_id is None:
            return can_supervise_pool(user, moment.pool_id)
        placement = get_session().get(Placement, moment.placement_id)
        return placement is not None and can_supervise(user, placement)
    if user.role == Role.STUDENT:
        rows = (
            get_session()
            .exec(select(Placement.id, Placement.pool_id).where(Placement.student_id == user.id))
            .all()
        )
        if moment.placement_id is not None:
            return any(pid == moment.placement_id for pid, _ in rows)
        return moment.pool_id is not None and any(pool == moment.pool_id for _, pool in rows)
    return False


def can_answer_one_on_one(user: User, placement: Placement) -> bool:
    """Return whether the user may confirm or cancel a 1-op-1 request (fixed supervisor)."""
    return user.role == Role.COORDINATOR or is_fixed_supervisor(user, placement)


def can_manage_moment(user: User, moment, placement: Placement | None) -> bool:
    """Return whether the user may close or cancel a planned moment (who could plan it)."""
    if placement is not None:
        return can_supervise(user, placement)
    return can_supervise_pool(user, moment.pool_id)


# ---------------------------------------------------------------- evaluation, synthesis, warnings


def can_evaluate(user: User, placement: Placement) -> bool:
    """Return whether the user may evaluate, propose the synthesis and warn (supervisor or pool)."""
    return user.role == Role.SUPERVISOR and can_supervise(user, placement)


def require_evaluator(placement: Placement) -> None:
    """Refuse unless the current user is the fixed supervisor or a member of the pool."""
    if not can_evaluate(current_user, placement):
        raise Forbidden("Alleen de stagebegeleider (of de pool) van deze student kan dit doen.")


def require_mentor_view(placement: Placement) -> None:
    """Refuse unless the current user is this placement's mentor (the mentor's evaluation)."""
    if not is_mentor_of(current_user, placement):
        raise Forbidden("Alleen de mentor van deze student kan de mentorevaluatie invullen.")


def can_see_warnings(user: User, placement: Placement) -> bool:
    """Return whether the user may read the warnings (everyone who may view, except mentors)."""
    return user.role != Role.MENTOR and can_view(user, placement)


def can_see_synthesis(user: User, placement: Placement, synthesis) -> bool:
    """Return whether the user may read the synthesis: never mentors, students once decided."""
    if user.role == Role.MENTOR or not can_view(user, placement):
        return False
    if user.role == Role.STUDENT:
        return synthesis is not None and synthesis.decided_at is not None
    return True


def require_synthesis_reader(placement: Placement) -> None:
    """Refuse the synthesis page to all but its supervisors (fixed or pool) and the coordinator."""
    if not (can_evaluate(current_user, placement) or current_user.role == Role.COORDINATOR):
        raise Forbidden("De synthese is er voor de stagebegeleider en de stagecoördinator.")


# ---------------------------------------------------------------- feedback and attitudes


def can_give_feedback(user: User, placement: Placement, kind: str) -> bool:
    """Return whether the user may write feedback on an item of this kind.

    Supervisors (fixed or pool) and the coordinator on every item; a mentor only notes on
    the items the handbook gives mentors, of their own student. Not bound to closing.
    """
    from portfolio.domain.steps import MENTOR_VISIBLE_KINDS

    if can_supervise(user, placement):
        return True
    return is_mentor_of(user, placement) and kind in MENTOR_VISIBLE_KINDS


def require_feedback_author(placement: Placement, kind: str) -> None:
    """Refuse unless the current user may write feedback on this kind of item."""
    if not can_give_feedback(current_user, placement, kind):
        raise Forbidden("Alleen begeleiders (en de mentor, op wat hij mag zien) geven feedback.")


def require_coordinator() -> None:
    """Refuse everyone but the stagecoördinator (programme-wide settings)."""
    if current_user.role != Role.COORDINATOR:
        raise Forbidden("Dit deel van de app is alleen voor de stagecoördinator.")

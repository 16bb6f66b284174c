"""Load a guidance moment (and a placement) for the current user: 404, then 403."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlmodel import select

from portfolio.access import can_view_moment, load_placement, require_guidance_form_reader
from portfolio.db import get_session
from portfolio.domain import guidance
from portfolio.domain.errors import Forbidden
from portfolio.models import GuidanceMoment, Placement


def load_moment(moment_id: int) -> GuidanceMoment:
    moment = get_session().get(GuidanceMoment, moment_id)
    if moment is None:
        abort(404)
    if not can_view_moment(current_user, moment):
        raise Forbidden("Dit begeleidingsmoment hoort niet bij jouw studenten of je pool.")
    return moment


def load_pair(moment_id: int, placement_id: int) -> tuple[GuidanceMoment, Placement]:
    """Load a moment and one of its placements; 404 when they do not belong together."""
    placement = load_placement(placement_id)
    moment = get_session().get(GuidanceMoment, moment_id)
    if moment is None or not guidance.belongs_to(moment, placement):
        abort(404)
    require_guidance_form_reader(moment, placement)
    return moment, placement


def own_placements() -> list[Placement]:
    """Return the current student's placements, newest first."""
    return list(
        get_session()
        .exec(
            select(Placement)
            .where(Placement.student_id == current_user.id)
            .order_by(Placement.first_day.desc())
        )
        .all()
    )

"""Routes: the landing page per role; for a student the calendar strip and countdown."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from portfolio.clock import now, today_in_brussels
from portfolio.db import get_session
from portfolio.domain.deadline import closes_at, countdown, is_closed
from portfolio.domain.placements import stage_days
from portfolio.models import Placement, Role

bp = Blueprint("home", __name__)

# Where each role lands after signing in (if that area is installed).
LANDING = {
    Role.SUPERVISOR: "supervision.overview",
    Role.MENTOR: "mentor.home",
    Role.COORDINATOR: "coordinator.index",
}


def current_placement(student_id: int) -> Placement | None:
    """Return the student's newest placement."""
    return (
        get_session()
        .exec(
            select(Placement)
            .where(Placement.student_id == student_id)
            .order_by(Placement.first_day.desc())
        )
        .first()
    )


@bp.route("/")
@login_required
def index():
    if current_user.role != Role.STUDENT:
        endpoint = LANDING.get(Role(current_user.role))
        if endpoint and endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
        return render_template("home/other.html")
    placement = current_placement(current_user.id)
    if placement is None:
        return render_template("home/no_placement.html")
    moment = now()
    deadline = closes_at(placement)
    return render_template(
        "home/student.html",
        placement=placement,
        days=stage_days(get_session(), placement),
        today=today_in_brussels(moment),
        deadline=deadline,
        countdown=countdown(deadline, moment),
        closed=is_closed(placement, moment),
    )

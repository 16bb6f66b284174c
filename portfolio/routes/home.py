"""Routes: the landing page per role; for a student the calendar strip and countdown."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from portfolio.clock import now, today_in_brussels
from portfolio.db import get_session
from portfolio.domain.deadline import closes_at, countdown, is_closed
from portfolio.domain.progress import DesignState, ReflectionState, day_statuses
from portfolio.domain.steps import filled_count
from portfolio.domain.today import today_card
from portfolio.models import ItemKind, Placement, Role
from portfolio.routes.portfolio.common import SLUG_OF, current_placement, items_of

bp = Blueprint("home", __name__)

# Where each role lands after signing in (if that area is installed).
LANDING = {
    Role.SUPERVISOR: "supervision.overview",
    Role.MENTOR: "mentor.home",
    Role.COORDINATOR: "coordinator.index",
}
# The documents to finish after the last stage day, in this order.
FINISHING = {
    ItemKind.LAATSTE_REFLECTIE: "Laatste reflectie",
    ItemKind.COACHING: "Voorbereiding coachingsgesprek",
}


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
    session = get_session()
    deadline = closes_at(placement)
    today = today_in_brussels(moment)
    statuses = day_statuses(session, [placement], moment)[placement.id]
    days = [s.stage_day for s in statuses]
    closed = is_closed(placement, moment)
    return render_template(
        "home/student.html",
        placement=placement,
        card=today_card(session, placement, statuses, today=today, moment=moment),
        statuses=statuses,
        days=days,
        today=today,
        deadline=deadline,
        countdown=countdown(deadline, moment),
        closed=closed,
        designs_missing=[s for s in statuses if s.day >= today and s.design == DesignState.MISSING],
        reflections_missing=[s for s in statuses if s.reflection == ReflectionState.MISSING],
        finishing=_finishing(placement, days, today, closed),
    )


def _finishing(placement: Placement, days, today, closed: bool) -> list[dict] | None:
    """After the last stage day, until closing: the two documents still to finish."""
    if closed or not days or today <= days[-1].day:
        return None
    found = {item.kind: item for item in items_of(placement, FINISHING)}
    result = []
    for kind, label in FINISHING.items():
        item = found.get(kind)
        filled, total = filled_count(kind, item.content if item else {})
        result.append({"slug": SLUG_OF[kind], "label": label, "filled": filled, "total": total})
    return result

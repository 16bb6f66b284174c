"""The coordinator's 1-op-1 hours: the programme's maximum and a per-student override."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portfolio.access import load_placement, require_coordinator
from portfolio.db import get_session
from portfolio.domain import guidance_hours
from portfolio.routes.guidance import bp
from portfolio.routes.guidance.pages import render_placement
from portfolio.routes.guidance.parsing import Parsed


@bp.route("/begeleiding/instellingen", methods=["GET", "POST"])
def settings():
    require_coordinator()
    session = get_session()
    parsed = Parsed(values={"uren": f"{guidance_hours.programme_hours(session):g}"})
    if request.method == "POST":
        hours = parsed.hours()
        if not parsed.errors:
            guidance_hours.set_programme_hours(session, hours, actor=current_user)
            flash("Het maximum aantal uren 1-op-1 begeleiding is bewaard.", "success")
            return redirect(url_for("guidance.settings"), 303)
    return render_template("guidance/settings.html", parsed=parsed), (422 if parsed.errors else 200)


@bp.route("/stages/<int:placement_id>/begeleiding/uren", methods=["POST"])
def placement_hours(placement_id: int):
    placement = load_placement(placement_id)
    require_coordinator()
    parsed = Parsed()
    hours = parsed.hours(allow_empty=True)
    if parsed.errors:
        return render_placement(placement, parsed=parsed, status=422)
    guidance_hours.set_placement_hours(get_session(), placement, hours, actor=current_user)
    flash("Het aantal uren voor deze student is bewaard.", "success")
    return redirect(url_for("guidance.placement", placement_id=placement.id), 303)

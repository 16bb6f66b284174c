"""Routes: the mentor signs in through a personal link and fills in the attendance card."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from portfolio.access import load_placement, visible_site_visits_clause
from portfolio.auth import sign_in
from portfolio.clock import now, today_in_brussels
from portfolio.coordinator_forms import PresenceForm
from portfolio.db import get_session, writes_on_get
from portfolio.domain.attendance_card import confirm_presence, confirm_present_days
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.domain.mentor_links import mentor_for_new_link, resolve_link
from portfolio.domain.placement_documents import OPTIONAL, required_roles
from portfolio.errors import is_htmx
from portfolio.extensions import limiter
from portfolio.forms import NewLinkForm
from portfolio.mentor_access import send_mentor_link
from portfolio.models import GuidanceMoment, Placement, Presence, Role, StageDay, User
from portfolio.routes.form_input import whole_number

bp = Blueprint("mentor", __name__)


@bp.get("/m/<token>")
@writes_on_get
@limiter.limit("20 per minute")
def enter(token: str):
    """Sign a mentor in with their personal link; one answer for unknown, expired, revoked."""
    found = resolve_link(get_session(), token, moment=now())
    if found is None:
        return render_template("mentor/invalid_link.html", form=NewLinkForm()), 404
    link, mentor = found
    sign_in(mentor, mentor_link=link)
    return redirect(url_for("mentor.home"))


NEW_LINK_SENT = (
    "Als dit adres hoort bij een mentor van een lopende stage, krijg je zo een mail met een "
    "nieuwe persoonlijke link."
)


def _new_link_email_key() -> str:
    return "mentorlink:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.post("/m/nieuwe-link")
@limiter.limit("5 per minute;20 per hour")
@limiter.limit("3 per hour", key_func=_new_link_email_key)
def request_link():
    """A mentor whose link expired asks for a new one; the answer never tells who is known."""
    form = NewLinkForm()
    if not form.validate_on_submit():
        return render_template("mentor/invalid_link.html", form=form), 422
    mentor = mentor_for_new_link(get_session(), form.email.data, moment=now())
    if mentor is not None:
        send_mentor_link(mentor, actor=None)
    return render_template("mentor/invalid_link.html", form=None, sent=NEW_LINK_SENT)


def _require_mentor() -> None:
    if current_user.role != Role.MENTOR:
        raise Forbidden("Deze pagina is voor mentoren.")


@bp.get("/mentor")
@login_required
def home():
    _require_mentor()
    session = get_session()
    rows = session.exec(
        select(Placement, User.name)
        .join(User, User.id == Placement.student_id)
        .where(Placement.mentor_id == current_user.id)
        .order_by(User.name)
    ).all()
    ids = [placement.id for placement, _ in rows]
    days: dict[int, list[StageDay]] = {}
    if ids:
        for day in session.exec(
            select(StageDay).where(StageDay.placement_id.in_(ids)).order_by(StageDay.day)
        ):
            days.setdefault(day.placement_id, []).append(day)
    # The site visits (stagebezoek with driehoeksgesprek): the mentor adds to their form.
    visits: dict[int, list[GuidanceMoment]] = {}
    for visit in session.exec(
        select(GuidanceMoment)
        .where(visible_site_visits_clause(current_user))
        .order_by(GuidanceMoment.starts_at)
    ):
        visits.setdefault(visit.placement_id, []).append(visit)
    today = today_in_brussels()
    # Days begun and not filled in yet: confirmed together with one form.
    open_days = {
        pid: [d for d in placement_days if d.day <= today and d.presence == Presence.UNKNOWN]
        for pid, placement_days in days.items()
    }
    # The optional placement documents the mentor signs too (stageovereenkomst, risicoanalyse).
    to_sign = [d for d in OPTIONAL if Role.MENTOR in required_roles(session, d.kind)]
    return render_template(
        "mentor/home.html",
        rows=rows,
        days=days,
        open_days=open_days,
        visits=visits,
        today=today,
        documents_to_sign=to_sign,
    )


@bp.post("/mentor/stages/<int:placement_id>/dagen/<int:day_id>/aanwezigheid")
@login_required
def presence(placement_id: int, day_id: int):
    _require_mentor()
    placement = load_placement(placement_id)
    day = get_session().get(StageDay, day_id)
    if day is None or day.placement_id != placement.id:
        abort(404)
    form = PresenceForm()
    if not form.validate_on_submit():
        messages = [m for errors in form.errors.values() for m in errors]
        raise DomainError(messages[0] if messages else "Kies aanwezig of afwezig.")
    confirm_presence(
        get_session(),
        placement,
        day,
        presence=form.presence.data,
        note=form.note.data,
        actor=current_user,
        moment=now(),
    )
    if is_htmx():
        return render_template(
            "mentor/partials/_day.html", placement=placement, d=day, today=today_in_brussels()
        )
    return redirect(url_for("mentor.home", _anchor=f"dag-{day.id}"), 303)


@bp.post("/mentor/stages/<int:placement_id>/aanwezigheid")
@login_required
def presence_many(placement_id: int):
    """Confirm presence on the ticked stage days at once (one POST, one audit event per day)."""
    _require_mentor()
    placement = load_placement(placement_id)
    ids = set()
    for raw in request.form.getlist("day_id"):
        day_id = whole_number(raw)
        if day_id is None:
            raise DomainError("Die stagedag bestaat niet.")
        ids.add(day_id)
    days = []
    if ids:
        days = list(get_session().exec(select(StageDay).where(StageDay.id.in_(ids))))
    if len(days) != len(ids) or any(d.placement_id != placement.id for d in days):
        abort(404)
    confirmed = confirm_present_days(
        get_session(), placement, days, actor=current_user, moment=now()
    )
    flash(
        "Aanwezigheid bevestigd voor "
        + (f"{len(confirmed)} stagedagen." if len(confirmed) > 1 else "1 stagedag."),
        "success",
    )
    return redirect(url_for("mentor.home", _anchor=f"stagiair-{placement.id}"), 303)

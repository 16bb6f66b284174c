"""Planning guidance moments, 1-op-1 requests and their answers, topic proposals."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from portfolio.access import (
    can_answer_one_on_one,
    can_manage_moment,
    can_supervise,
    can_supervise_pool,
    load_placement,
    pool_ids_of,
    require_student_write,
    visible_placements_clause,
)
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import guidance
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.models import GuidanceStatus, GuidanceType, Placement, Pool, Role, User
from portfolio.routes.form_input import whole_number
from portfolio.routes.guidance import bp, notify
from portfolio.routes.guidance.loaders import load_moment
from portfolio.routes.guidance.pages import render_placement
from portfolio.routes.guidance.parsing import Parsed


def _plan_choices() -> tuple[list[Pool], list[tuple[Placement, User]]]:
    session = get_session()
    pools_query = select(Pool).order_by(Pool.name)
    if current_user.role != Role.COORDINATOR:
        pools_query = pools_query.where(Pool.id.in_(pool_ids_of(current_user) or {-1}))
    placements = session.exec(
        select(Placement, User)
        .join(User, User.id == Placement.student_id)
        .where(visible_placements_clause(current_user))
        .order_by(User.name, Placement.first_day.desc())
    ).all()
    return list(session.exec(pools_query).all()), list(placements)


def _target(parsed: Parsed) -> tuple[Placement | None, int | None]:
    """Read 'pool-<id>' or 'stage-<id>' and check the planner may plan for it."""
    kind, _, raw_id = parsed.text("voor").partition("-")
    target_id = whole_number(raw_id)
    if kind not in ("pool", "stage") or target_id is None:
        parsed.errors["voor"] = "Kies een pool of een student."
        return None, None
    if kind == "pool":
        if get_session().get(Pool, target_id) is None:
            abort(404)
        if not can_supervise_pool(current_user, target_id):
            raise Forbidden("Je plant alleen voor je eigen pool.")
        return None, target_id
    placement = get_session().get(Placement, target_id)
    if placement is None:
        abort(404)
    if not can_supervise(current_user, placement):
        raise Forbidden("Je plant alleen voor studenten die jij (of je pool) begeleidt.")
    return placement, None


@bp.route("/begeleiding/nieuw", methods=["GET", "POST"])
def plan():
    if current_user.role not in (Role.SUPERVISOR, Role.COORDINATOR):
        raise Forbidden("Alleen begeleiders en de coördinator plannen begeleidingsmomenten.")
    parsed = Parsed(values={"duur": "60", "voor": request.args.get("voor", "")})
    if request.method == "POST":
        parsed.values = {}
        kind = parsed.text("soort")
        if kind not in guidance.TYPE_LABELS:
            parsed.errors["soort"] = "Kies een soort begeleidingsmoment uit de lijst."
        title = parsed.text("titel", limit=200)
        starts_at = parsed.starts_at()
        minutes = parsed.minutes()
        mandatory = {"": None, "ja": True, "nee": False}.get(parsed.text("verplicht"))
        placement, pool_id = _target(parsed)
        moment = parsed.run(
            guidance.plan_moment,
            get_session(),
            type=kind,
            title=title,
            starts_at=starts_at,
            duration_minutes=minutes,
            actor=current_user,
            placement=placement,
            pool_id=pool_id,
            is_mandatory=mandatory,
        )
        if not parsed.errors:
            flash("Het begeleidingsmoment is gepland.", "success")
            return redirect(url_for("guidance.moment", moment_id=moment.id), 303)
    pools, placements = _plan_choices()
    return render_template(
        "guidance/plan.html",
        parsed=parsed,
        pools=pools,
        placements=placements,
        types=guidance.TYPE_LABELS,
        individual=guidance.INDIVIDUAL_TYPES,
    ), (422 if parsed.errors else 200)


def _back_to_placement(placement: Placement, message: str):
    flash(message, "success")
    return redirect(url_for("guidance.placement", placement_id=placement.id), 303)


@bp.route("/stages/<int:placement_id>/begeleiding/aanvragen", methods=["POST"])
def request_talk(placement_id: int):
    placement = load_placement(placement_id)
    require_student_write(placement)
    parsed = Parsed()
    starts_at = parsed.starts_at()
    minutes = parsed.minutes()
    questions = parsed.text(
        "vragen", required="Schrijf je vragen voor het gesprek erbij.", limit=10000
    )
    talk = parsed.run(
        guidance.request_one_on_one,
        get_session(),
        placement,
        starts_at=starts_at,
        duration_minutes=minutes,
        questions=questions,
        actor=current_user,
        moment=now(),
    )
    if parsed.errors:
        return render_placement(placement, parsed=parsed, status=422)
    notify.to_supervisor(get_session(), talk, placement)
    return _back_to_placement(placement, "Je aanvraag is verstuurd naar je vaste stagebegeleider.")


@bp.route("/begeleiding/momenten/<int:moment_id>/annuleren", methods=["POST"])
def cancel_talk(moment_id: int):
    """Let a student cancel their own 1-op-1 request before the talk starts."""
    talk = load_moment(moment_id)
    placement = get_session().get(Placement, talk.placement_id) if talk.placement_id else None
    if placement is None:
        raise Forbidden("Alleen je eigen 1-op-1 gesprek kan je annuleren.")
    require_student_write(placement)
    guidance.cancel_request(get_session(), talk, actor=current_user, at=now())
    notify.to_supervisor(get_session(), talk, placement)
    return _back_to_placement(placement, "Je 1-op-1 gesprek is geannuleerd; de uren zijn vrij.")


@bp.route("/stages/<int:placement_id>/begeleiding/onderwerpen", methods=["POST"])
def propose_topic(placement_id: int):
    placement = load_placement(placement_id)
    require_student_write(placement)
    parsed = Parsed()
    topic = parsed.text("onderwerp", required="Beschrijf het onderwerp.", limit=2000)
    if parsed.errors:
        return render_placement(placement, parsed=parsed, status=422)
    guidance.propose_topic(get_session(), placement, topic=topic, actor=current_user)
    return _back_to_placement(
        placement, "Je voorstel voor een sessie op vraag is doorgegeven aan de begeleiders."
    )


@bp.route("/begeleiding/momenten/<int:moment_id>/status", methods=["POST"])
def change_status(moment_id: int):
    gm = load_moment(moment_id)
    placement = get_session().get(Placement, gm.placement_id) if gm.placement_id else None
    new_status = request.form.get("status", "")
    if gm.status == GuidanceStatus.REQUESTED:
        allowed = placement is not None and can_answer_one_on_one(current_user, placement)
        if not allowed:
            raise Forbidden("Alleen de vaste stagebegeleider bevestigt of annuleert een aanvraag.")
    elif not can_manage_moment(current_user, gm, placement):
        raise Forbidden("Alleen wie dit moment kan plannen, kan het afronden of annuleren.")
    if new_status not in guidance.STATUS_LABELS:
        raise DomainError("Kies een geldige status.")
    guidance.change_status(get_session(), gm, new_status, actor=current_user)
    flash(f"Status: {guidance.STATUS_LABELS[new_status].lower()}.", "success")
    answered = new_status in (GuidanceStatus.PLANNED, GuidanceStatus.CANCELLED)
    if gm.type == GuidanceType.EEN_OP_EEN and answered and placement is not None:
        notify.to_student(get_session(), gm, placement)
    return redirect(url_for("guidance.moment", moment_id=gm.id), 303)

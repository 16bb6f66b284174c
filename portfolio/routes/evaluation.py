"""Routes: evaluation by attitudes, the synthesis, warnings and the attitude timeline."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio.access import (
    can_evaluate,
    can_see_synthesis,
    can_see_warnings,
    can_view_item_kind,
    is_mentor_of,
    load_placement,
    require_coordinator,
    require_evaluator,
    require_mentor_view,
    require_synthesis_reader,
)
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.attitude_timeline import KINDS, attitude_timeline, picture, stage_day_dates
from portfolio.domain.errors import FieldError, Forbidden
from portfolio.domain.evaluation import (
    REMARK_LABELS,
    STAGE_LABELS,
    VERDICT_LABELS,
    add_remark,
    attitudes_for,
    current_verdicts,
    evaluations_of,
    parse_stage,
    record_evaluation,
)
from portfolio.domain.evaluation_lock import is_locked, synthesis_of
from portfolio.domain.evaluation_summary import pass_blockers, summarize
from portfolio.domain.evaluation_synthesis import decide_synthesis, propose_synthesis
from portfolio.domain.people import users_by_id
from portfolio.domain.warnings import warning_count
from portfolio.models import EvaluationStage, ItemKind, Placement, Role, User
from portfolio.notices import events as notice_events
from portfolio.routes.form_input import whole_number

bp = Blueprint("evaluation", __name__)

LABELS = {"stages": STAGE_LABELS, "verdicts": VERDICT_LABELS, "remarks": REMARK_LABELS}


def _stage_or_404(value: str) -> EvaluationStage:
    stage = parse_stage(value)
    if stage is None:
        abort(404)
    return stage


def _student_of(placement: Placement) -> User:
    return get_session().get(User, placement.student_id)


def _author_role(placement: Placement) -> str:
    """Return in which role the current user evaluates: supervisor (pool) or this mentor."""
    if can_evaluate(current_user, placement):
        return Role.SUPERVISOR
    require_mentor_view(placement)
    return Role.MENTOR


# ------------------------------------------------------------------ overview


@bp.get("/stages/<int:placement_id>/evaluatie")
@login_required
def overview(placement_id: int):
    placement = load_placement(placement_id)
    session = get_session()
    summary = summarize(session, placement)
    show_warnings = can_see_warnings(current_user, placement)
    return render_template(
        "evaluation/overview.html",
        placement=placement,
        student=_student_of(placement),
        summary=summary,
        labels=LABELS,
        may_evaluate=can_evaluate(current_user, placement),
        is_mentor=is_mentor_of(current_user, placement),
        show_synthesis=can_see_synthesis(current_user, placement, summary.synthesis),
        warnings=warning_count(session, placement) if show_warnings else None,
        show_timeline=can_view_item_kind(current_user, placement, ItemKind.ZELFBEELD),
    )


# ------------------------------------------------------------------ verdicts and remarks


def _render_stage(placement, stage, role, *, errors=None, values=None, remark=None, status=200):
    session = get_session()
    attitudes = [a for a in attitudes_for(session, placement) if a.archived_at is None]
    current = current_verdicts(evaluations_of(session, placement))
    if values is None:
        values = {}
        for attitude in attitudes:
            found = current.get((stage, role, attitude.id))
            if found is not None:
                values[f"oordeel-{attitude.id}"] = found.verdict
                values[f"reden-{attitude.id}"] = found.unclear_reason
    return (
        render_template(
            "evaluation/stage_form.html",
            placement=placement,
            student=_student_of(placement),
            stage=stage,
            role=role,
            attitudes=attitudes,
            labels=LABELS,
            errors=errors or {},
            values=values,
            remark=remark or {"errors": {}, "values": {}},
            locked=is_locked(synthesis_of(session, placement)),
        ),
        status,
    )


@bp.get("/stages/<int:placement_id>/evaluatie/<stage>")
@login_required
def stage_form(placement_id: int, stage: str):
    placement = load_placement(placement_id)
    stage = _stage_or_404(stage)
    return _render_stage(placement, stage, _author_role(placement))


@bp.post("/stages/<int:placement_id>/evaluatie/<stage>")
@login_required
def record_verdicts(placement_id: int, stage: str):
    """Record the verdicts the form changed; any error stores none of them (422)."""
    placement = load_placement(placement_id)
    stage = _stage_or_404(stage)
    role = _author_role(placement)
    session = get_session()
    errors: dict[str, str] = {}
    moment = now()
    for attitude in attitudes_for(session, placement):
        if attitude.archived_at is not None:
            continue
        verdict = request.form.get(f"oordeel-{attitude.id}", "")
        reason = request.form.get(f"reden-{attitude.id}", "")
        if not verdict:
            if reason.strip():
                errors[f"oordeel-{attitude.id}"] = "Kies een oordeel bij deze toelichting."
            continue
        try:
            record_evaluation(
                session,
                placement,
                attitude=attitude,
                stage=stage,
                verdict=verdict,
                reason=reason,
                actor=current_user,
                role=role,
                moment=moment,
            )
        except FieldError as error:
            errors[error.field] = error.message
    if errors:
        return _render_stage(
            placement, stage, role, errors=errors, values=request.form.to_dict(), status=422
        )
    flash(f"{STAGE_LABELS[stage]} bewaard.", "success")
    return redirect(url_for("evaluation.overview", placement_id=placement.id), 303)


@bp.post("/stages/<int:placement_id>/evaluatie/<stage>/opmerkingen")
@login_required
def add_stage_remark(placement_id: int, stage: str):
    placement = load_placement(placement_id)
    stage = _stage_or_404(stage)
    require_evaluator(placement)
    session = get_session()
    attitude = None
    attitude_id = request.form.get("attitude", "")
    if attitude_id:
        by_id = {a.id: a for a in attitudes_for(session, placement)}
        attitude = by_id.get(whole_number(attitude_id))
        if attitude is None:
            return _render_stage(
                placement,
                stage,
                Role.SUPERVISOR,
                remark={
                    "errors": {"attitude": "Kies een attitude uit de lijst."},
                    "values": request.form,
                },
                status=422,
            )
    try:
        add_remark(
            session,
            placement,
            stage=stage,
            kind=request.form.get("soort", ""),
            text=request.form.get("tekst", ""),
            expected_behaviour=request.form.get("verwacht_gedrag", ""),
            attitude=attitude,
            actor=current_user,
            moment=now(),
        )
    except FieldError as error:
        return _render_stage(
            placement,
            stage,
            Role.SUPERVISOR,
            remark={"errors": {error.field: error.message}, "values": request.form},
            status=422,
        )
    flash("Opmerking toegevoegd.", "success")
    return redirect(url_for("evaluation.overview", placement_id=placement.id), 303)


# ------------------------------------------------------------------ synthesis


def _render_synthesis(placement, *, errors=None, values=None, status=200):
    session = get_session()
    synthesis = synthesis_of(session, placement)
    people = {}
    if synthesis is not None:
        people = users_by_id(session, {synthesis.proposed_by_id, synthesis.decided_by_id} - {None})
    may_propose = can_evaluate(current_user, placement) and not is_locked(synthesis)
    if values is None and synthesis is not None:
        values = {
            "voorstel": "geslaagd" if synthesis.is_pass else "niet-geslaagd",
            "cijfer": str(synthesis.score),
            "motivatie": synthesis.motivation,
        }
    return (
        render_template(
            "evaluation/synthesis.html",
            placement=placement,
            student=_student_of(placement),
            synthesis=synthesis,
            people=people,
            blockers=pass_blockers(session, placement) if may_propose else [],
            may_propose=may_propose,
            may_decide=current_user.role == Role.COORDINATOR
            and synthesis is not None
            and synthesis.decided_at is None,
            may_reopen=current_user.role == Role.COORDINATOR and is_locked(synthesis),
            errors=errors or {},
            values=values or {},
        ),
        status,
    )


def synthesis_refused(placement, field: str, message: str):
    """The synthesis page again with a message next to `field` and what was typed (422)."""
    errors = {field: message}
    return _render_synthesis(placement, errors=errors, values=request.form.to_dict(), status=422)


@bp.get("/stages/<int:placement_id>/synthese")
@login_required
def synthesis(placement_id: int):
    placement = load_placement(placement_id)
    require_synthesis_reader(placement)
    return _render_synthesis(placement)


@bp.post("/stages/<int:placement_id>/synthese")
@login_required
def propose(placement_id: int):
    placement = load_placement(placement_id)
    require_evaluator(placement)
    form = request.form
    errors = {}
    choice = form.get("voorstel", "")
    if choice not in ("geslaagd", "niet-geslaagd"):
        errors["voorstel"] = "Kies geslaagd of niet geslaagd."
    score = whole_number(form.get("cijfer"))
    if score is None:
        errors["cijfer"] = "Geef een geheel cijfer van 0 tot 20."
    if not errors:
        try:
            propose_synthesis(
                get_session(),
                placement,
                is_pass=choice == "geslaagd",
                score=score,
                motivation=form.get("motivatie", ""),
                actor=current_user,
                moment=now(),
            )
        except FieldError as error:
            errors[error.field] = error.message
    if errors:
        return _render_synthesis(placement, errors=errors, values=form.to_dict(), status=422)
    flash("Het voorstel voor de examencommissie is bewaard.", "success")
    return redirect(url_for("evaluation.synthesis", placement_id=placement.id), 303)


@bp.post("/stages/<int:placement_id>/synthese/examencommissie")
@login_required
def board_decision(placement_id: int):
    placement = load_placement(placement_id)
    require_coordinator()
    choice = request.form.get("beslissing", "")
    if choice not in ("bevestigd", "niet-bevestigd"):
        return synthesis_refused(placement, "beslissing", "Kies bevestigd of niet bevestigd.")
    try:
        decided = decide_synthesis(
            get_session(),
            placement,
            confirmed=choice == "bevestigd",
            note=request.form.get("notitie", ""),
            actor=current_user,
            moment=now(),
        )
    except FieldError as error:
        return synthesis_refused(placement, error.field, error.message)
    notice_events.board_decided(get_session(), placement, decided)
    flash("De beslissing van de examencommissie is bewaard.", "success")
    return redirect(url_for("evaluation.synthesis", placement_id=placement.id), 303)


# ------------------------------------------------------------------ attitude timeline


@bp.get("/stages/<int:placement_id>/attitudes/tijdlijn")
@login_required
def timeline(placement_id: int):
    placement = load_placement(placement_id)
    # The timeline shows the self-assessment, which is personal: not for the mentor.
    if not can_view_item_kind(current_user, placement, ItemKind.ZELFBEELD):
        raise Forbidden("De attitudetijdlijn is niet zichtbaar voor de mentor.")
    session = get_session()
    rows = attitude_timeline(session, placement)
    days = stage_day_dates(session, placement)
    return render_template(
        "evaluation/timeline.html",
        placement=placement,
        student=_student_of(placement),
        rows=rows,
        drawing=picture(rows, placement.first_day, placement.last_day, days),
        kinds=KINDS,
    )


# Reopening locked evaluations and the warnings live in their own modules, on this blueprint.
from portfolio.routes import evaluation_reopen, evaluation_warnings  # noqa: E402, F401

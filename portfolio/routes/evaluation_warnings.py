"""Routes: warnings by the fixed supervisor, the proposed stop and the coordinator's confirmation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio.access import (
    can_see_warnings,
    is_fixed_supervisor,
    load_placement,
    require_coordinator,
    require_evaluator,
)
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.errors import FieldError, Forbidden
from portfolio.domain.people import users_by_id
from portfolio.domain.warnings import (
    STOPPING_WARNING,
    StopConfirmationRequired,
    confirm_stop,
    pending_stop,
    record_warning,
    stop_proposals,
    warnings_of,
)
from portfolio.models import PlacementStatus, Role
from portfolio.notices import events as notice_events
from portfolio.routes.evaluation import _student_of, bp


def _render_warnings(placement, *, errors=None, values=None, status=200):
    session = get_session()
    warnings = warnings_of(session, placement)
    may_warn = (
        is_fixed_supervisor(current_user, placement)
        and len(warnings) < STOPPING_WARNING
        and placement.status != PlacementStatus.STOPPED
    )
    return (
        render_template(
            "evaluation/warnings.html",
            placement=placement,
            student=_student_of(placement),
            warnings=warnings,
            authors=users_by_id(session, {w.author_id for w in warnings}),
            may_warn=may_warn,
            is_pool_member=current_user.role == Role.SUPERVISOR and not may_warn,
            proposed_stop=pending_stop(session, placement),
            may_confirm_stop=current_user.role == Role.COORDINATOR,
            next_number=len(warnings) + 1,
            stopping=STOPPING_WARNING,
            errors=errors or {},
            values=values or {},
        ),
        status,
    )


@bp.get("/stages/<int:placement_id>/waarschuwingen")
@login_required
def warnings(placement_id: int):
    placement = load_placement(placement_id)
    if not can_see_warnings(current_user, placement):
        raise Forbidden("Waarschuwingen zijn niet zichtbaar voor de mentor.")
    return _render_warnings(placement)


@bp.post("/stages/<int:placement_id>/waarschuwingen")
@login_required
def add_warning(placement_id: int):
    placement = load_placement(placement_id)
    require_evaluator(placement)
    form = request.form
    try:
        warning = record_warning(
            get_session(),
            placement,
            facts=form.get("feiten", ""),
            undesirable=form.get("onwenselijk", ""),
            support=form.get("ondersteuning", ""),
            agreements=form.get("afspraken", ""),
            actor=current_user,
            moment=now(),
            confirm_stop=form.get("bevestig_stopzetting") == "ja",
        )
    except StopConfirmationRequired as error:
        page = render_template(
            "evaluation/warning_confirm.html",
            placement=placement,
            student=_student_of(placement),
            message=error.message,
            values=form.to_dict(),
        )
        return page, 422
    except FieldError as error:
        return _render_warnings(
            placement, errors={error.field: error.message}, values=form.to_dict(), status=422
        )
    notice_events.warning_given(get_session(), placement, warning)
    if warning.number == STOPPING_WARNING:
        flash(
            "Derde waarschuwing bewaard: de stopzetting is voorgesteld aan de stagecoördinator. "
            "Tot die ze bevestigt, loopt de stage door.",
            "info",
        )
    else:
        flash(f"Waarschuwing {warning.number} bewaard.", "success")
    return redirect(url_for("evaluation.warnings", placement_id=placement.id), 303)


@bp.post("/stages/<int:placement_id>/waarschuwingen/stopzetting")
@login_required
def confirm_placement_stop(placement_id: int):
    """The coordinator confirms the stop the third warning proposed."""
    placement = load_placement(placement_id)
    require_coordinator()
    confirm_stop(get_session(), placement, actor=current_user, moment=now())
    notice_events.placement_stopped(get_session(), placement)
    flash("De stage is stopgezet voor de opleiding; het portfolio is gesloten.", "info")
    return redirect(url_for("evaluation.warnings", placement_id=placement.id), 303)


@bp.get("/beheer/stopzettingen")
@login_required
def stop_proposals_page():
    """The coordinator's list of proposed stops waiting for confirmation."""
    require_coordinator()
    session = get_session()
    proposals = stop_proposals(session)
    students = users_by_id(session, {placement.student_id for placement, _ in proposals})
    return render_template("evaluation/stop_proposals.html", proposals=proposals, students=students)

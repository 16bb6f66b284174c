"""Route: the coordinator reopens the evaluations the exam board's decision locked."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from portfolio.access import load_placement, require_coordinator
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.errors import FieldError
from portfolio.domain.evaluation_lock import reopen_evaluation
from portfolio.routes.evaluation import bp, synthesis_refused


@bp.post("/stages/<int:placement_id>/synthese/heropenen")
@login_required
def reopen(placement_id: int):
    placement = load_placement(placement_id)
    require_coordinator()
    try:
        reopen_evaluation(
            get_session(),
            placement,
            reason=request.form.get("reden", ""),
            actor=current_user,
            moment=now(),
        )
    except FieldError as error:
        return synthesis_refused(placement, error.field, error.message)
    flash(
        "De evaluatie is heropend: ze kan weer aangepast worden, "
        "daarna beslist de examencommissie opnieuw.",
        "success",
    )
    return redirect(url_for("evaluation.synthesis", placement_id=placement.id), 303)

"""Routes: the coordinator's attitude list (/beheer/attitudes): add, edit, order, archive."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio import access
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import attitudes as attitude_ops
from portfolio.domain.errors import FieldError
from portfolio.models import Attitude
from portfolio.routes.supervision import bp


def _load_attitude(attitude_id: int) -> Attitude:
    access.require_coordinator()
    attitude = get_session().get(Attitude, attitude_id)
    if attitude is None:
        abort(404)
    return attitude


def _attitudes_page(status: int = 200, errors: dict | None = None, values: dict | None = None):
    session = get_session()
    return (
        render_template(
            "supervision/attitudes.html",
            attitudes=attitude_ops.all_attitudes(session),
            used=attitude_ops.used_attitude_ids(session),
            errors=errors or {},
            values=values or {},
        ),
        status,
    )


@bp.route("/beheer/attitudes", methods=["GET", "POST"])
@login_required
def attitudes():
    access.require_coordinator()
    if request.method == "GET":
        return _attitudes_page()
    try:
        attitude = attitude_ops.add_attitude(
            get_session(),
            name=request.form.get("name", ""),
            description=request.form.get("description", ""),
            actor=current_user,
        )
    except FieldError as error:
        return _attitudes_page(
            422, errors={("new", error.field): error.message}, values={"new": request.form}
        )
    flash(f"Attitude '{attitude.name}' toegevoegd.", "success")
    return redirect(url_for("supervision.attitudes"), 303)


@bp.post("/beheer/attitudes/<int:attitude_id>")
@login_required
def attitude_update(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    try:
        attitude_ops.update_attitude(
            get_session(),
            attitude,
            name=request.form.get("name", ""),
            description=request.form.get("description", ""),
            actor=current_user,
        )
    except FieldError as error:
        return _attitudes_page(
            422,
            errors={(attitude.id, error.field): error.message},
            values={attitude.id: request.form},
        )
    flash(f"Attitude '{attitude.name}' bewaard.", "success")
    return redirect(url_for("supervision.attitudes") + f"#attitude-{attitude.id}", 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/verplaatsen")
@login_required
def attitude_move(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    direction = request.form.get("richting")
    if direction not in ("omhoog", "omlaag"):
        abort(422)
    attitude_ops.move_attitude(
        get_session(), attitude, up=direction == "omhoog", actor=current_user
    )
    return redirect(url_for("supervision.attitudes") + f"#attitude-{attitude.id}", 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/archiveren")
@login_required
def attitude_archive(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    attitude_ops.archive_attitude(get_session(), attitude, moment=now(), actor=current_user)
    flash(
        f"Attitude '{attitude.name}' gearchiveerd: ze blijft zichtbaar bij oude feedback.",
        "success",
    )
    return redirect(url_for("supervision.attitudes"), 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/herstellen")
@login_required
def attitude_restore(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    try:
        attitude_ops.restore_attitude(get_session(), attitude, actor=current_user)
    except FieldError as error:
        return _attitudes_page(422, errors={(attitude.id, "restore"): error.message})
    flash(f"Attitude '{attitude.name}' staat weer in de lijst.", "success")
    return redirect(url_for("supervision.attitudes"), 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/verwijderen")
@login_required
def attitude_delete(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    name = attitude.name
    attitude_ops.delete_attitude(get_session(), attitude, actor=current_user)
    flash(f"Attitude '{name}' verwijderd.", "success")
    return redirect(url_for("supervision.attitudes"), 303)

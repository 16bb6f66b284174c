"""Routes: the coordinator's area (/beheer): one blueprint, its gate and form helpers here, the
pages by concern in this package's modules (people, pools, placements, calendar, mentors,
documents)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from portfolio.access import require_coordinator
from portfolio.db import get_session
from portfolio.domain.errors import DomainError
from portfolio.extensions import login_manager

bp = Blueprint("coordinator", __name__, url_prefix="/beheer")


@bp.before_request
def coordinator_required():
    """The coarse gate: every /beheer page is for the coordinator only."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_coordinator()
    return None


def submit_form(form, action):
    """Validate the form and run the domain action; a refusal is shown in the form, which
    keeps what was typed (next to the field for a FieldError)."""
    if not form.validate_on_submit():
        return None
    try:
        return action()
    except DomainError as error:
        field = getattr(error, "field", None)
        if field in form:
            form[field].errors = [*form[field].errors, error.message]
        else:
            form.form_errors.append(error.message)
        return None


def form_page(template: str, form, **context):
    """Render a form page: 422 after a refused submit, 200 otherwise."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status


def valid_or_refuse(form):
    """Refuse a small calendar form with the first field message (422)."""
    if not form.validate_on_submit():
        messages = [m for errors in form.errors.values() for m in errors]
        raise DomainError(messages[0] if messages else "Controleer wat je invulde.")
    return form


def get_or_404(model, object_id: int):
    return get_session().get(model, object_id) or abort(404)


@bp.get("")
def index():
    """The coordinator's home: the programme's dashboard (routes/dashboard.py)."""
    # Imported here: the dashboard's blueprint imports this module for the coordinator gate.
    from portfolio.routes.dashboard import dashboard_page

    return dashboard_page()


# The pages register themselves on `bp` when imported (after the helpers above exist).
from portfolio.routes.coordinator import (  # noqa: E402
    documents,
    mentors,
    people,
    placements,
    pools,
    semester_calendar,
)

__all__ = ["bp", "documents", "mentors", "people", "placements", "pools", "semester_calendar"]

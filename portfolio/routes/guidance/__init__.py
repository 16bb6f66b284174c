"""Routes: guidance moments (begeleidingsmomenten) for students, supervisors and coordinator.

A mentor reaches only the form of their own student's site visit (MENTOR_ENDPOINTS; the
routes check the moment and placement through portfolio/access.py).
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from portfolio.access import require_guidance_area
from portfolio.domain import guidance
from portfolio.domain.guidance_attendance import ATTENDANCE_LABELS
from portfolio.domain.guidance_hours import format_minutes
from portfolio.extensions import login_manager
from portfolio.models import GuidanceStatus

bp = Blueprint("guidance", __name__)

MENTOR_ENDPOINTS = frozenset({"guidance.form", "guidance.add_note"})


@bp.before_request
def _gate():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_guidance_area(mentor_allowed=request.endpoint in MENTOR_ENDPOINTS)
    return None


@bp.context_processor
def _labels():
    return {
        "type_labels": guidance.TYPE_LABELS,
        "status_labels": guidance.STATUS_LABELS,
        "attendance_labels": ATTENDANCE_LABELS,
        "fmt_minutes": format_minutes,
        "Status": GuidanceStatus,
    }


# The submodules register their routes on bp.
from portfolio.routes.guidance import forms, pages, planning, settings  # noqa: E402, F401

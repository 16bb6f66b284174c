"""Routes: what the stagebegeleider does daily, one blueprint by concern in this package: the
students overview (overview.py), exemplary feedback anchored to items with the student's
requests and replies (feedback.py), and the coordinator's attitude list (attitudes.py).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("supervision", __name__)

# The pages register themselves on `bp` when imported (after it exists).
from portfolio.routes.supervision import attitudes, feedback, overview  # noqa: E402

__all__ = ["attitudes", "bp", "feedback", "overview"]

"""Routes: the public page where anyone with a printed or PDF copy's code checks it.

It shows only what the copy shows anyway (document kind, the student's initials, the
signatures' roles and times) and whether the document still says the same; rate-limited,
because a code is the only key.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from portfolio.db import get_session
from portfolio.domain import signing, verification
from portfolio.extensions import limiter
from portfolio.models import Item

bp = Blueprint("verify", __name__)


@bp.get("/controle")
@limiter.limit("10 per minute")
def check():
    """Anyone with a printed copy's code checks it: no content, only what the copy shows."""
    typed = request.args.get("code", "").strip()
    result, error = None, None
    if typed:
        session = get_session()
        version = verification.find_by_code(session, typed)
        if version is None:
            error = "Deze code is onbekend. Controleer of je ze juist overnam (bv. ABCD-EFGH-JKMN)."
        else:
            item = session.get(Item, version.item_id)
            result = verification.public_check(
                session, version, signing.current_hash(session, item)
            )
    return render_template(
        "signing/check.html",
        typed=typed[:40],
        result=result,
        error=error,
        role_names=signing.ROLE_NAMES,
    )

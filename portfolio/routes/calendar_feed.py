"""Routes: the personal calendar feed (iCal) and the small page to make, renew or revoke it.

The feed URL carries a secret token instead of a session, so a phone's calendar can fetch it;
only the token's SHA-256 is stored, so the URL is shown once, right after making it.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import calendar_feed as feeds
from portfolio.domain.errors import Forbidden
from portfolio.extensions import limiter
from portfolio.ical import to_ical

bp = Blueprint("calendar_feed", __name__)


def _require_feed_role() -> None:
    if current_user.role not in feeds.FEED_ROLES:
        raise Forbidden("Een agenda-abonnement is er voor studenten en stagebegeleiders.")


def _page(feed_url: str | None = None):
    feed = feeds.active_feed(get_session(), current_user)
    return render_template("calendar_feed/page.html", feed=feed, feed_url=feed_url)


@bp.get("/agenda-abonnement")
@login_required
def page():
    _require_feed_role()
    return _page()


@bp.post("/agenda-abonnement")
@login_required
def issue():
    """Make a feed URL, or a new one (the old URL stops working); shown on this answer only."""
    _require_feed_role()
    token = feeds.issue_feed(get_session(), current_user, moment=now())
    feed_url = url_for("calendar_feed.feed", token=token, _external=True)
    flash("Je agenda-link is klaar. Kopieer hem nu: we tonen hem maar één keer.", "success")
    return _page(feed_url)


@bp.post("/agenda-abonnement/intrekken")
@login_required
def revoke():
    _require_feed_role()
    if feeds.revoke_feed(get_session(), current_user, moment=now()):
        flash("Je agenda-link is ingetrokken: agenda's krijgen er niets meer mee.", "success")
    else:
        flash("Je had geen agenda-link.", "info")
    return redirect(url_for("calendar_feed.page"), 303)


@bp.get("/agenda/<token>.ics")
@limiter.limit("30 per minute")
def feed(token: str):
    """The feed itself: read-only, no session; an unknown or revoked token is simply 404."""
    session = get_session()
    owner = feeds.feed_owner(session, token) if len(token) <= 100 else None
    if owner is None:
        abort(404)
    body = to_ical(
        feeds.feed_events(session, owner),
        name="Keuzestage",
        host=request.host.split(":")[0],
        stamp=now(),
    )
    response = make_response(body)
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = 'inline; filename="keuzestage.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

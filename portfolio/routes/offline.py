"""Routes: the installable app (manifest, service worker, offline page) and local drafts.

The service worker (static/sw.js) is served from the root so its scope is the whole site.
It keeps, per signed-in user, only the pages `keep` lists; every HTML answer names its user
in X-Offline-User so the worker never files one person's page under another's cache.
Drafts of plain forms (static/drafts.js) are cleared once the server accepted the form:
a successful full post leaves its draft key in the session for the next page to name.
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user, login_required
from sqlmodel import select

from portfolio.clock import today_in_brussels
from portfolio.db import get_session
from portfolio.domain.offline import pages_to_keep
from portfolio.errors import is_htmx
from portfolio.models import ItemKind, Role, StageDay
from portfolio.routes.portfolio.common import current_placement, items_of

bp = Blueprint("offline", __name__)

THEME_COLOUR = "#0b5cad"
TODAY_PAGE = "/vandaag"
DRAFT_KEY = re.compile(r"[\w:/|.,\-]{1,400}@[0-9]{1,16}")  # key@moment (drafts.js)
SENT_DRAFTS = "drafts_sent"
MAX_SENT_DRAFTS = 5


@bp.get("/sw.js")
def service_worker():
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    # The student's day page once it exists (h9's "Vandaag"), else the home page.
    has_today_page = any(rule.rule == TODAY_PAGE for rule in current_app.url_map.iter_rules())
    start = TODAY_PAGE if has_today_page else url_for("home.index")
    icons = [
        {"src": url_for("static", filename="favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {
            "src": url_for("static", filename="icon-192.png"),
            "sizes": "192x192",
            "type": "image/png",
        },
        {
            "src": url_for("static", filename="icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
        },
    ]
    body = {
        "name": "Keuzestage portfolio",
        "short_name": "Keuzestage",
        "description": "Je keuzestage: reflecties, stappen en stagedagen, ook zonder verbinding.",
        "lang": "nl-BE",
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/offline")
def offline_page():
    """The page the service worker shows for a page it does not keep; the same for everyone."""
    return render_template("offline/offline.html")


@bp.get("/offline/bewaren")
@login_required
def keep():
    """The URLs the signed-in student's phone keeps for offline use."""
    if current_user.role != Role.STUDENT:
        return jsonify(urls=[])
    placement = current_placement(current_user.id)
    if placement is None:
        return jsonify(urls=[url_for("home.index")])
    days = (
        get_session()
        .exec(select(StageDay.id, StageDay.day).where(StageDay.placement_id == placement.id))
        .all()
    )
    offers = [(i.id, i.stage_day_id) for i in items_of(placement, [ItemKind.AANBOD])]
    pages = pages_to_keep(list(days), offers, today_in_brussels())
    urls = [url_for("home.index")]
    urls += [
        url_for(
            "portfolio.day_item", placement_id=placement.id, stage_day_id=day_id, slug="reflectie"
        )
        for day_id in pages.reflection_day_ids
    ]
    urls += [
        url_for("portfolio.design", placement_id=placement.id, offer_id=offer_id)
        for offer_id in pages.design_offer_ids
    ]
    return jsonify(urls=urls)


@bp.after_app_request
def mark_offline_answers(response: Response) -> Response:
    kept_list = request.endpoint == "offline.keep"
    if (response.mimetype == "text/html" or kept_list) and current_user.is_authenticated:
        response.headers["X-Offline-User"] = str(current_user.id)
    # Only an accepted full post: its form was read already (a refused one may not be readable).
    if request.method == "POST" and response.status_code < 400 and not is_htmx():
        draft_key = request.form.get("draft_key", "")
        if DRAFT_KEY.fullmatch(draft_key):
            sent = session.get(SENT_DRAFTS, [])
            session[SENT_DRAFTS] = [*sent, draft_key][-MAX_SENT_DRAFTS:]
    return response


@bp.app_context_processor
def draft_helpers():
    def drafts_sent() -> str:
        """The draft keys (key@moment) of the last forms the server accepted.

        Named on every page, not read once: a service worker fetching a page in the background
        would otherwise take the names from the page the person actually opens next. Removing
        an accepted draft twice is harmless; reading does not rewrite the cookie.
        """
        return " ".join(session.get(SENT_DRAFTS, []))

    return {"drafts_sent": drafts_sent}

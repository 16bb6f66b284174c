"""Routes: a person's notices ("Meldingen"), their mail settings, the coordinator's outbox."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio.access import require_coordinator
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.notices import listing
from portfolio.notices import opted_out as opted_out_kinds
from portfolio.routes.form_input import whole_number

bp = Blueprint("notices", __name__)


def _page_number() -> int:
    return whole_number(request.args.get("pagina")) or 1


def _local(url: str | None) -> str:
    """The path of a notice's link, so following it never leaves this site."""
    if not url:
        return url_for("notices.index")
    parts = urlsplit(url)
    path = parts.path if parts.path.startswith("/") else "/"
    return (
        path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


@bp.get("/meldingen")
@login_required
def index():
    page = listing.notices_page(get_session(), current_user, _page_number())
    return render_template("notices/index.html", page=page)


@bp.post("/meldingen/<int:notice_id>/openen")
@login_required
def open_notice(notice_id: int):
    """Mark the notice read and go to what it is about."""
    session = get_session()
    notice = listing.own_notice(session, current_user, notice_id)
    if notice is None:
        abort(404)
    listing.mark_read(session, current_user, moment=now(), notice_id=notice.id)
    return redirect(_local(notice.url), 303)


@bp.post("/meldingen/<int:notice_id>/gelezen")
@login_required
def read(notice_id: int):
    session = get_session()
    if listing.own_notice(session, current_user, notice_id) is None:
        abort(404)
    listing.mark_read(session, current_user, moment=now(), notice_id=notice_id)
    return redirect(url_for("notices.index", pagina=_page_number()), 303)


@bp.post("/meldingen/alles-gelezen")
@login_required
def read_all():
    count = listing.mark_read(get_session(), current_user, moment=now())
    flash(f"{count} melding(en) als gelezen gemarkeerd.", "success")
    return redirect(url_for("notices.index"), 303)


@bp.route("/instellingen", methods=["GET", "POST"])
@login_required
def settings():
    session, kinds = get_session(), listing.settable_kinds()
    if request.method == "POST":
        wanted = set(request.form.getlist("soort"))
        if wanted - set(kinds):
            flash("Kies alleen soorten mail uit de lijst.", "error")
            page = render_template("notices/settings.html", kinds=kinds, off=set(kinds) - wanted)
            return page, 422
        listing.save_opt_outs(session, current_user, wanted=wanted)
        flash("Je instellingen zijn bewaard.", "success")
        return redirect(url_for("notices.settings"), 303)
    off = opted_out_kinds(session, current_user.id)
    return render_template("notices/settings.html", kinds=kinds, off=off)


@bp.get("/beheer/uitgaande-mail")
@login_required
def outbox():
    """The coordinator's view of the outbox: what waits, what failed and why, what was sent."""
    require_coordinator()
    session = get_session()
    page = listing.outbox_page(session, _page_number())
    return render_template("notices/outbox.html", page=page, counts=listing.outbox_counts(session))

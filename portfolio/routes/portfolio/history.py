"""Portfolio history: an item's saved versions, one of them in full, and restoring it."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user, login_required

from portfolio.access import load_placement
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import items as ops
from portfolio.domain.people import users_by_id
from portfolio.domain.steps import SPECS
from portfolio.domain.versions import get_version, versions_of
from portfolio.models import User
from portfolio.routes.portfolio import bp
from portfolio.routes.portfolio.common import (
    BASE,
    form_context,
    int_field,
    item_to_change,
    item_url,
    load_item,
)


@bp.get(BASE + "/items/<int:item_id>/geschiedenis")
@login_required
def history(placement_id: int, item_id: int):
    placement = load_placement(placement_id)
    item = load_item(placement, item_id)
    session = get_session()
    versions = versions_of(session, item)
    authors = users_by_id(session, {v.saved_by_id for v in versions if v.saved_by_id})
    context = form_context(placement)
    context.update(item=item, spec=SPECS[item.kind], versions=versions, authors=authors)
    return render_template("portfolio/history.html", **context)


@bp.get(BASE + "/items/<int:item_id>/versies/<int:version>")
@login_required
def version(placement_id: int, item_id: int, version: int):
    placement = load_placement(placement_id)
    item = load_item(placement, item_id)
    session = get_session()
    row = get_version(session, item, version)
    author = session.get(User, row.saved_by_id) if row.saved_by_id else None
    context = form_context(placement)
    context.update(item=item, spec=SPECS[item.kind], row=row, author=author)
    return render_template("portfolio/version.html", **context)


@bp.post(BASE + "/items/<int:item_id>/terugzetten")
@login_required
def restore(placement_id: int, item_id: int):
    """Make an earlier version (form field `version`) the current text again."""
    item = item_to_change(placement_id, item_id)
    version = int_field("version", required=True)
    ops.restore_version(get_session(), item, version, actor=current_user, moment=now())
    flash(f"Versie {version} staat terug als huidige tekst.", "success")
    return redirect(item_url(item), code=303)

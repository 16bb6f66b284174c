"""Portfolio writes: save (autosave), add and delete; Markdown preview."""

from __future__ import annotations

import re
from functools import partial

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import bindparam
from sqlmodel import select

from portfolio.access import load_placement, require_student_write
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import items as ops
from portfolio.domain import signing
from portfolio.domain.conflicts import resolve_conflict
from portfolio.domain.errors import DomainError
from portfolio.domain.steps import SPECS
from portfolio.domain.versions import StaleVersion
from portfolio.errors import is_htmx
from portfolio.markdown import render_markdown
from portfolio.models import Item, ItemKind, Placement
from portfolio.routes.form_input import whole_number
from portfolio.routes.portfolio import bp
from portfolio.routes.portfolio.common import (
    BASE,
    LIST_PAGES,
    find_or_create,
    int_field,
    item_to_change,
    item_url,
    load_item,
)
from portfolio.routes.portfolio.signing import signature_context

FORM_KEY = re.compile(r"[a-z0-9-]{1,80}")
ADDED = {
    ItemKind.ACTIEPUNT: "Actiepunt toegevoegd.",
    ItemKind.AANBOD: "Aanbod toegevoegd aan je werkrooster.",
    ItemKind.ONTWERPWERK: "Idee toegevoegd.",
}


def _posted_content(kind: str) -> dict:
    """The posted values of the content keys this kind keeps."""
    keys = ops.content_keys(SPECS[kind])
    return {key: request.form[key] for key in keys if key in request.form}


@bp.post(BASE + "/bewaren")
@login_required
def save(placement_id: int):
    """Save one item (autosave or the Bewaren button); a new singleton is created first."""
    loaded = _load_together(placement_id)  # noqa: F841 - keeps them in the session's identity map
    placement = load_placement(placement_id)
    require_student_write(placement)
    version = int_field("version", required=True)
    item_id = int_field("item_id")
    if item_id is not None:
        item, fresh = load_item(placement, item_id), False
    else:
        kind = request.form.get("kind", "")
        ops.spec_or_error(kind)
        scope = ops.Scope(
            int_field("stage_day_id"), int_field("parent_id"), int_field("attitude_id")
        )
        item, fresh = find_or_create(placement, kind, scope)
    content = _posted_content(item.kind)
    title = request.form.get("title") if item.kind == ItemKind.AANBOD else None
    # Set by the autosave script when the student settles a conflict (see domain/conflicts.py).
    choice = request.form.get("conflict_choice")
    write = partial(resolve_conflict, choice=choice) if choice else ops.save_item
    try:
        write(
            get_session(),
            item,
            content=content,
            title=title,
            base_version=item.version if version == 0 and (fresh or _untouched(item)) else version,
            actor=current_user,
            moment=now(),
        )
    except StaleVersion as conflict:
        return _conflict_response(placement, conflict, content, title)
    if not is_htmx():
        flash("Bewaard.", "success")
        return redirect(item_url(item), code=303)
    context = {}
    if signing.is_signable(item.kind):
        # The answer carries the signing status too, so the page never keeps saying
        # "ondertekend" (or "aangeboden") for content that changed.
        context = signature_context(placement, item, item.kind) | {"fresh_signing_status": True}
    return render_template(
        "portfolio/partials/_save_state.html", item=item, saved=True, is_student=True, **context
    )


def _load_together(placement_id: int):
    """Load the posted item with its placement in one query: the checks that follow (404, 403,
    may the student write) then find both in the session instead of querying each. The caller
    holds the answer: the session keeps only weak references."""
    item_id = whole_number(request.form.get("item_id"))
    if item_id is None:
        return None
    params = {"item_id": item_id, "placement_id": placement_id}
    return get_session().exec(_ITEM_WITH_PLACEMENT, params=params).first()


# Built once: every autosave runs it.
_ITEM_WITH_PLACEMENT = (
    select(Item, Placement)
    .join(Placement, Placement.id == Item.placement_id)
    .where(Item.id == bindparam("item_id"), Placement.id == bindparam("placement_id"))
)


def _untouched(item) -> bool:
    """Never saved with text (e.g. created by the first upload on a blank page, or by another
    tab's first save that changed nothing): a form loaded before it existed (version 0) may
    fill it without a conflict."""
    return item.version == 1 and not item.content and not item.title


def _conflict_response(placement: Placement, conflict: StaleVersion, mine: dict, my_title):
    item = conflict.item
    fields = [f for f in SPECS[item.kind].fields if f.key in mine or f.key in item.content]
    body = render_template(
        "portfolio/partials/_conflict.html",
        placement=placement,
        item=item,
        fields=fields,
        mine=mine,
        my_title=my_title,
        saved_by=conflict.saved_by,
    )
    if not is_htmx():
        body = render_template(
            "portfolio/conflict.html",
            conflict_html=Markup(body),  # noqa: S704 - a rendered (autoescaped) template
            item=item,
            back_url=item_url(item),
            placement=placement,
        )
    response = make_response(body, 409)
    # form_key names the form's conflict region (see _forms.html); it goes into a header
    # and a CSS selector, so anything but that shape falls back to the item's own key.
    form_key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(form_key):
        form_key = f"item-{item.id}"
    response.headers["HX-Retarget"] = f"#conflict-{form_key}"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.post(BASE + "/toevoegen")
@login_required
def create(placement_id: int):
    """Add an action point, an idea or an offer on a stage day."""
    placement = load_placement(placement_id)
    require_student_write(placement)
    kind = request.form.get("kind", "")
    item = ops.create_item(
        get_session(),
        placement,
        kind,
        title=request.form.get("title", ""),
        content=_posted_content(kind) if kind == ItemKind.AANBOD else {},
        stage_day_id=int_field("stage_day_id"),
        actor=current_user,
        moment=now(),
    )
    flash(ADDED[kind], "success")
    return redirect(item_url(item), code=303)


@bp.post(BASE + "/items/<int:item_id>/verwijderen")
@login_required
def delete(placement_id: int, item_id: int):
    item = item_to_change(placement_id, item_id)
    back = url_for(LIST_PAGES.get(item.kind, "portfolio.overview"), placement_id=placement_id)
    ops.delete_item(get_session(), item, actor=current_user, moment=now())
    flash("Verwijderd. In de geschiedenis blijft het bewaard.", "success")
    return redirect(back, code=303)


@bp.post(BASE + "/voorbeeld")
@login_required
def preview(placement_id: int):
    """Render Markdown as it will look (safe renderer: raw HTML off, unsafe links refused)."""
    load_placement(placement_id)
    text = request.form.get("tekst", "")
    if len(text) > ops.MAX_FIELD_CHARS:
        raise DomainError("Deze tekst is te lang voor een voorbeeld.")
    html = render_markdown(text) or Markup('<p class="hint">Nog niets om te tonen.</p>')
    return make_response(str(html), 200, {"Content-Type": "text/html; charset=utf-8"})

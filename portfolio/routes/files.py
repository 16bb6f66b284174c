"""Routes: files on portfolio items (upload, caption, delete, show); the upload widget's texts
are in portfolio/upload_widget.py."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from sqlmodel import Session
from werkzeug.exceptions import RequestEntityTooLarge

from portfolio.access import can_student_write, load_placement, require_student_write
from portfolio.clock import now
from portfolio.db import get_engine, get_session
from portfolio.domain import files, item_labels
from portfolio.domain.items import Scope
from portfolio.domain.steps import SPECS
from portfolio.errors import is_htmx, render_error
from portfolio.models import Item, Placement, StageDay, Upload
from portfolio.routes.portfolio.common import (
    BASE,
    DAY_SLUGS,
    PART_SLUGS,
    find_or_create,
    load_item,
    require_visible,
)
from portfolio.storage import content_disposition
from portfolio.upload_widget import filesize, upload_widget_options
from portfolio.uploads import UploadRefused, download_name, format_size

log = logging.getLogger(__name__)

bp = Blueprint("files", __name__)

ITEM_FILES = "/stages/<int:placement_id>/items/<int:item_id>/bestanden"

CLIENT_KEY = re.compile(r"[A-Za-z0-9-]{16,64}")

bp.add_app_template_global(upload_widget_options)
bp.add_app_template_filter(filesize, "filesize")


# ---------------------------------------------------------------- loading, in a fixed order


def _upload_of(placement: Placement, item: Item, upload_id: int) -> Upload:
    upload = get_session().get(Upload, upload_id)
    if (
        upload is None
        or upload.placement_id != placement.id
        or upload.item_id != item.id
        or upload.deleted_at is not None
    ):
        abort(404)
    return upload


def _upload_to_change(
    placement_id: int, item_id: int, upload_id: int
) -> tuple[Placement, Item, Upload]:
    """Load placement, item and upload (404/403 in that order), then require a student write."""
    placement = load_placement(placement_id)
    item = load_item(placement, item_id, check_view=False)
    found = _upload_of(placement, item, upload_id)
    require_student_write(placement)
    return placement, item, found


def _item_label(item: Item) -> str:
    return item_labels.item_label(get_session(), item)


# ---------------------------------------------------------------- responses


def _render(placement: Placement, item: Item | None, *, kind: str = "", status: int = 200, **extra):
    """Return the widget for htmx, else the full files page (accepting what the kind takes).

    `item` is None only after a refused first upload on an item never saved (see
    _first_upload): the item was not created, and `new_upload_url` in `extra` still creates it.
    """
    kind = item.kind if item is not None else kind
    accept = files.upload_accept(kind)
    context = {
        "placement": placement,
        "item": item,
        "item_label": _item_label(item) if item is not None else SPECS[kind].title,
        "uploads": files.uploads_by_item(get_session(), [item.id])[item.id] if item else [],
        # A kind that takes no files shows what it has, without forms.
        "can_edit": accept is not None and can_student_write(current_user, placement),
        "accept": accept,
        **extra,
    }
    if is_htmx():
        body = render_template("files/partials/_upload_widget.html", **context)
    else:
        body = render_template("files/item_files.html", **context)
    return make_response(body, status)


def _local_referrer() -> str | None:
    """Return the referring page as a local path, or None if it is not on this site."""
    referrer = request.referrer
    if not referrer or "\\" in referrer or any(ord(ch) < 32 for ch in referrer):
        return None
    parts = urlsplit(referrer)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", request.host):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _done(placement: Placement, item: Item, notice: str):
    """After a change: the fresh widget for htmx, else back to the page the form was on."""
    if is_htmx():
        return _render(placement, item, notice=notice)
    flash(notice, "success")
    target = _local_referrer() or url_for("home.index")
    return redirect(f"{target}#bestanden-{item.id}", 303)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    most = f" (maximaal {format_size(limit)} per keer)" if limit else ""
    return render_error(
        413,
        f"Het bestand is te groot om op te laden{most}. Kies een kleiner bestand, "
        "of maak de opname korter of in een lagere kwaliteit.",
        "Bestand te groot",
    )


# ---------------------------------------------------------------- pages and actions


@bp.get(ITEM_FILES)
@login_required
def item_files(placement_id: int, item_id: int):
    placement = load_placement(placement_id)
    return _render(placement, load_item(placement, item_id))


@bp.post(ITEM_FILES)
@login_required
def upload(placement_id: int, item_id: int):
    """Store a file on an item: only the categories its kind takes, whatever the form says."""
    placement = load_placement(placement_id)
    item = load_item(placement, item_id, check_view=False)
    require_student_write(placement)
    return _store(placement, item)


@bp.post(BASE + "/dagen/<int:stage_day_id>/<slug>/bestanden")
@login_required
def upload_to_day(placement_id: int, stage_day_id: int, slug: str):
    """The first upload on a day's reflection that was never saved."""
    kind = DAY_SLUGS.get(slug)
    placement = load_placement(placement_id)
    day = get_session().get(StageDay, stage_day_id)
    if kind is None or day is None or day.placement_id != placement.id:
        abort(404)
    return _first_upload(placement, kind, Scope(stage_day_id=day.id))


@bp.post(BASE + "/<slug>/bestanden")
@login_required
def upload_to_part(placement_id: int, slug: str):
    """The first upload on a part of the portfolio (the presentation, a signed document)."""
    kind = PART_SLUGS.get(slug)
    placement = load_placement(placement_id)
    if kind is None:
        abort(404)
    return _first_upload(placement, kind, Scope())


def _first_upload(placement: Placement, kind: str, scope: Scope):
    """Create the item of `kind` in `scope` for the student, then store the file on it.

    Each page that may show a blank form posts its first upload to its own URL + /bestanden
    (a queued recording keeps the URL it was made for, so these stay put).
    """
    require_visible(placement, kind)
    require_student_write(placement)
    if not files.upload_accept(kind):
        abort(404)
    item, created = find_or_create(placement, kind, scope)
    return _store(placement, item, retry_url=request.path if created else None)


def _store(placement: Placement, item: Item, *, retry_url: str | None = None):
    """Store the posted file on the item; a refusal shows why in the widget.

    `retry_url`: the item was created for this upload, and a refusal rolls that back, so the
    widget keeps posting to the URL that creates it.
    """
    allowed = files.allowed_categories(item)
    config = current_app.config
    try:
        stored = files.store_upload(
            get_session(),
            item=item,
            file=request.files.get("bestand"),
            caption=request.form.get("bijschrift", ""),
            actor=current_user,
            storage=files.get_storage(),
            max_image_bytes=config["MAX_IMAGE_BYTES"],
            max_media_bytes=config["MAX_MEDIA_BYTES"],
            allowed=allowed,
            client_key=_client_key(),
        )
    except UploadRefused as refused:
        log.info("Upload refused (%s) on item %s", refused.reason, item.id)
        return _render(
            placement,
            None if retry_url else item,
            kind=item.kind,
            status=refused.status,
            upload_error=refused.message,
            caption_draft=request.form.get("bijschrift", ""),
            new_upload_url=retry_url,
        )
    return _done(placement, item, f"{stored.original_name} is toegevoegd.")


def _client_key() -> str | None:
    """The recorder's key for this upload (recorder.js); anything else shaped is ignored."""
    key = request.form.get("client_key", "")
    return key if CLIENT_KEY.fullmatch(key) else None


@bp.post(ITEM_FILES + "/<int:upload_id>/bijschrift")
@login_required
def caption(placement_id: int, item_id: int, upload_id: int):
    placement, item, found = _upload_to_change(placement_id, item_id, upload_id)
    files.set_caption(get_session(), found, request.form.get("bijschrift", ""), actor=current_user)
    return _done(placement, item, f"Het bijschrift bij {found.original_name} is bewaard.")


@bp.post(ITEM_FILES + "/<int:upload_id>/verwijderen")
@login_required
def delete(placement_id: int, item_id: int, upload_id: int):
    placement, item, found = _upload_to_change(placement_id, item_id, upload_id)
    files.delete_upload(get_session(), found, actor=current_user)
    return _done(placement, item, f"{found.original_name} is verwijderd.")


@bp.get("/stages/<int:placement_id>/bestanden/<int:upload_id>")
@login_required
def download(placement_id: int, upload_id: int):
    placement = load_placement(placement_id)
    session = get_session()
    found = session.get(Upload, upload_id)
    if found is None or found.placement_id != placement.id or found.deleted_at is not None:
        abort(404)
    item = session.get(Item, found.item_id) if found.item_id is not None else None
    if item is not None and item.deleted_at is not None:
        abort(404)
    # The permission check comes before any byte or URL leaves the server.
    require_visible(placement, item.kind if item is not None else "")

    storage = files.get_storage()
    inline = found.category in files.INLINE_CATEGORIES
    filename = download_name(found.original_name, found.mime)
    url = storage.download_url(
        found.storage_key, filename=filename, content_type=found.mime, inline=inline
    )
    if url:
        response = redirect(url, 302)
        response.headers["Cache-Control"] = "no-store"  # the signed URL expires soon
        return response
    try:
        path = storage.local_path(found.storage_key)
        source = path if path is not None else storage.open(found.storage_key)
    except FileNotFoundError:
        log.error("Upload %s has a row but no stored file %s", found.id, found.storage_key)
        abort(404)
    # conditional=True answers If-None-Match and Range (seeking in audio and video).
    response = send_file(source, mimetype=found.mime, conditional=True, etag=path is not None)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, a stored file is a document of our origin: it may run nothing.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; " + (
        "img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"
    )
    # Only this person's browser may keep it, and it asks again (a cheap 304) before reuse,
    # so a deleted file or a withdrawn permission is not served from the cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# ---------------------------------------------------------------- maintenance


@bp.cli.command("orphans")
@click.option("--delete", is_flag=True, help="Delete them instead of only listing them.")
@click.option("--hours", default=24, show_default=True, help="Leave younger files alone.")
def orphans(delete: bool, hours: int):
    """List (or delete) stored files that no upload row refers to."""
    storage = files.get_storage()
    with Session(get_engine()) as session:
        keys = files.orphaned_keys(session, storage, changed_before=now() - timedelta(hours=hours))
    for key in keys:
        if delete:
            storage.delete(key)
        click.echo(("deleted " if delete else "") + key)
    click.echo(f"{len(keys)} orphaned file(s)" + (" deleted" if delete else ""))

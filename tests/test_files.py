"""Files on portfolio items: upload, caption, delete, download, the widget, local and S3."""

from __future__ import annotations

import io
import re
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from flask import Flask
from sqlalchemy import event
from sqlmodel import Session, select
from test_uploads import FILES
from werkzeug.datastructures import FileStorage

from portfolio.clock import BRUSSELS
from portfolio.domain import files
from portfolio.domain.steps import MENTOR_VISIBLE_KINDS
from portfolio.models import AuditEvent, Item, ItemKind, Setting, Upload, User
from portfolio.storage import LocalStorage
from portfolio.uploads import UploadRefused

PNG = FILES["png"]
HTML_AS_JPEG = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
CLOSED = datetime(2025, 11, 8, 0, 0, 1, tzinfo=BRUSSELS)  # just after 7 Nov 23:59:59
LAST_OPEN_MINUTE = datetime(2025, 11, 7, 23, 59, 0, tzinfo=BRUSSELS)


@pytest.fixture
def item(world, make_item) -> Item:
    return make_item(world.placement, "reflectie", title="Reflectie dag 1")


def _url(placement_id: int, item_id: int, rest: str = "") -> str:
    return f"/stages/{placement_id}/items/{item_id}/bestanden{rest}"


def _post_file(
    client,
    placement_id: int,
    item_id: int,
    data: bytes = PNG,
    name: str = "foto.png",
    *,
    caption: str = "",
    mimetype: str = "image/png",
    htmx: bool = True,
    accept: str | None = None,
    headers: dict | None = None,
):
    form = {"bestand": (io.BytesIO(data), name, mimetype), "bijschrift": caption}
    if accept is not None:
        form["accept"] = accept
    all_headers = {"HX-Request": "true"} if htmx else {}
    all_headers.update(headers or {})
    return client.post(
        _url(placement_id, item_id),
        data=form,
        content_type="multipart/form-data",
        headers=all_headers,
    )


def _stored_files(app: Flask) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _uploads(db: Session) -> list[Upload]:
    db.expire_all()
    return list(db.exec(select(Upload).order_by(Upload.id)))


def _add_upload(app, db, item: Item, user: User, data: bytes = PNG, **fields) -> Upload:
    """Store a file directly through the domain operation (no HTTP)."""
    with app.app_context():
        storage = files.get_storage()
        upload = files.store_upload(
            db,
            item=item,
            file=FileStorage(io.BytesIO(data), filename=fields.pop("name", "foto.png")),
            caption=fields.pop("caption", ""),
            actor=user,
            storage=storage,
            max_image_bytes=app.config["MAX_IMAGE_BYTES"],
            max_media_bytes=app.config["MAX_MEDIA_BYTES"],
        )
        db.commit()
    return upload


# ---------------------------------------------------------------- upload: the happy path


def test_upload_stores_the_file_adds_a_row_and_shows_it_in_the_widget(
    app, db, world, item, login_as
):
    response = _post_file(
        login_as(world.student), world.placement.id, item.id, caption="Onze bouwhoek"
    )
    assert response.status_code == 200
    [upload] = _uploads(db)
    assert (upload.placement_id, upload.item_id) == (world.placement.id, item.id)
    assert (upload.category, upload.mime, upload.size) == ("image", "image/png", len(PNG))
    assert upload.original_name == "foto.png" and upload.caption == "Onze bouwhoek"
    assert upload.uploaded_by_id == world.student.id
    assert re.fullmatch(rf"placements/{world.placement.id}/[0-9a-f]{{32}}\.png", upload.storage_key)
    assert (Path(app.config["UPLOAD_FOLDER"]) / upload.storage_key).read_bytes() == PNG
    # The widget swaps itself: a fragment, the image with its caption as alt text.
    assert "<html" not in response.text and f'id="bestanden-{item.id}"' in response.text
    assert 'alt="Onze bouwhoek"' in response.text
    assert f"/stages/{world.placement.id}/bestanden/{upload.id}" in response.text
    assert "foto.png is toegevoegd." in response.text
    actions = db.exec(select(AuditEvent.action)).all()
    assert "upload.add" in actions


def test_the_client_file_name_is_display_text_only(app, db, world, item, login_as):
    name = "../../etc/\u202epasswd<script>.png"
    response = _post_file(login_as(world.student), world.placement.id, item.id, name=name)
    assert response.status_code == 200
    [upload] = _uploads(db)
    assert upload.original_name == "passwd<script>.png"
    assert "passwd" not in upload.storage_key
    assert "<script>" not in response.text and "passwd&lt;script&gt;.png" in response.text


def test_without_javascript_the_form_posts_and_goes_back_to_the_page(db, world, item, login_as):
    client = login_as(world.student)
    page = f"http://localhost{_url(world.placement.id, item.id)}?x=1"
    response = _post_file(
        client, world.placement.id, item.id, htmx=False, headers={"Referer": page}
    )
    assert response.status_code == 303
    assert (
        response.headers["Location"]
        == f"{_url(world.placement.id, item.id)}?x=1#bestanden-{item.id}"
    )
    assert len(_uploads(db)) == 1
    followed = client.get(response.headers["Location"])
    assert "foto.png is toegevoegd." in followed.text


@pytest.mark.parametrize(
    "referrer",
    [None, "https://evil.example/stages", "http://localhost\\@evil.example/", "//evil.example/x"],
)
def test_a_foreign_referrer_sends_the_student_home(world, item, login_as, referrer):
    headers = {"Referer": referrer} if referrer else {}
    response = _post_file(
        login_as(world.student), world.placement.id, item.id, htmx=False, headers=headers
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/#bestanden-{item.id}"


# ---------------------------------------------------------------- upload: refusals


def test_another_students_placement_is_refused(app, db, world, item, login_as):
    response = _post_file(login_as(world.other_student), world.placement.id, item.id)
    assert response.status_code == 403
    assert _uploads(db) == [] and _stored_files(app) == []


def test_an_item_of_another_placement_is_not_found(app, db, world, make_item, login_as):
    foreign = make_item(world.other_placement, "stagepakket")
    response = _post_file(login_as(world.student), world.placement.id, foreign.id)
    assert response.status_code == 404
    assert _uploads(db) == [] and _stored_files(app) == []


@pytest.mark.parametrize("role", ["supervisor", "colleague", "coordinator", "mentor"])
def test_only_the_student_uploads(app, db, world, make_item, login_as, role):
    pakket = make_item(world.placement, "stagepakket")
    response = _post_file(login_as(getattr(world, role)), world.placement.id, pakket.id)
    assert response.status_code == 403
    assert _uploads(db) == [] and _stored_files(app) == []


def test_a_closed_portfolio_refuses_every_write(app, db, world, item, login_as, set_now):
    upload = _add_upload(app, db, item, world.student, caption="voor")
    client = login_as(world.student)

    set_now(LAST_OPEN_MINUTE)
    assert _post_file(client, world.placement.id, item.id).status_code == 200

    set_now(CLOSED)
    response = _post_file(client, world.placement.id, item.id)
    assert response.status_code == 403 and "afgesloten" in response.text
    caption = client.post(
        _url(world.placement.id, item.id, f"/{upload.id}/bijschrift"), data={"bijschrift": "na"}
    )
    assert caption.status_code == 403
    deleted = client.post(_url(world.placement.id, item.id, f"/{upload.id}/verwijderen"))
    assert deleted.status_code == 403
    rows = _uploads(db)
    assert len(rows) == 2 and len(_stored_files(app)) == 2
    assert rows[0].caption == "voor" and rows[0].deleted_at is None
    # The page still shows the files, without the forms.
    page = client.get(_url(world.placement.id, item.id))
    assert page.status_code == 200 and 'alt="voor"' in page.text
    assert 'type="file"' not in page.text and "Verwijderen" not in page.text


def test_html_posing_as_a_jpeg_is_refused_in_the_widget(app, db, world, item, login_as):
    response = _post_file(
        login_as(world.student),
        world.placement.id,
        item.id,
        HTML_AS_JPEG,
        "foto.jpg",
        mimetype="image/jpeg",
        caption="mijn bijschrift",
    )
    assert response.status_code == 422
    assert "Dit bestandstype wordt hier niet aanvaard. Kies een foto" in response.text
    assert f'id="bestanden-{item.id}"' in response.text and 'aria-invalid="true"' in response.text
    assert 'value="mijn bijschrift"' in response.text  # the caption typed is kept
    assert "HX-Retarget" not in response.headers  # the widget itself shows the message
    assert _uploads(db) == [] and _stored_files(app) == []


def test_a_refusal_without_javascript_is_a_full_page(world, item, login_as):
    response = _post_file(
        login_as(world.student), world.placement.id, item.id, HTML_AS_JPEG, "x.jpg", htmx=False
    )
    assert response.status_code == 422
    assert "<html" in response.text and "Bestanden bij Reflectie dag 1" in response.text
    assert "Dit bestandstype wordt hier niet aanvaard" in response.text


def test_too_large_files_are_refused(app, db, world, item, login_as):
    app.config.update(MAX_IMAGE_BYTES=len(PNG) - 1, MAX_MEDIA_BYTES=10)
    client = login_as(world.student)
    response = _post_file(client, world.placement.id, item.id)
    assert response.status_code == 422
    assert "Het bestand is te groot: maximaal" in response.text
    recording = _post_file(client, world.placement.id, item.id, FILES["mp3"], "opname.mp3")
    assert recording.status_code == 422
    assert "voor audio- en video-opnames" in recording.text
    assert _uploads(db) == [] and _stored_files(app) == []


def test_an_empty_file_is_refused(app, db, world, item, login_as):
    response = _post_file(login_as(world.student), world.placement.id, item.id, b"", "leeg.png")
    assert response.status_code == 422 and "Het bestand is leeg" in response.text
    assert _uploads(db) == [] and _stored_files(app) == []


def test_no_file_chosen_is_refused(db, world, item, login_as):
    response = login_as(world.student).post(
        _url(world.placement.id, item.id),
        data={"bijschrift": "zonder bestand"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and "Kies eerst een bestand" in response.text
    assert _uploads(db) == []


# What each kind of item takes, as the handbook asks for it (the upload check must match).
TAKES = {
    "verkenning": {"image"},
    "reflectie": {"image", "audio", "video"},
    "presentatie": {"image", "pdf", "audio", "video"},
    "stagepakket": {"pdf", "image"},
    "stageovereenkomst": {"pdf"},
    "risicoanalyse": {"pdf"},
}


def _in_use(db, kind: str) -> None:
    """Switch the optional placement documents on: a switched-off one takes nothing (404)."""
    if kind in ("stageovereenkomst", "risicoanalyse"):
        db.add(Setting(key=f"document.{kind}", value="aan:student,mentor,begeleider"))
        db.commit()


SAMPLES = {"image": ("foto.png", PNG), "pdf": ("v.pdf", FILES["pdf"])}
SAMPLES |= {"audio": ("o.mp3", FILES["mp3"]), "video": ("les.webm", FILES["webm"])}


@pytest.mark.parametrize("kind", [k.value for k in ItemKind])
def test_each_kind_takes_exactly_its_categories(app, db, world, make_item, login_as, kind):
    _in_use(db, kind)
    target = make_item(world.placement, kind)
    client = login_as(world.student)
    for category, (name, data) in SAMPLES.items():
        response = _post_file(client, world.placement.id, target.id, data, name)
        assert response.status_code == (200 if category in TAKES.get(kind, ()) else 422)
    assert {u.category for u in _uploads(db)} == TAKES.get(kind, set())
    assert len(_stored_files(app)) == len(TAKES.get(kind, ()))


def test_a_pdf_on_the_verkenning_photo_is_refused_whatever_the_form_says(
    app, db, world, make_item, login_as
):
    verkenning = make_item(world.placement, "verkenning")
    client = login_as(world.student)
    for accept in (None, "pdf", "image,pdf,audio,video"):
        response = _post_file(
            client, world.placement.id, verkenning.id, FILES["pdf"], "v.pdf", accept=accept
        )
        assert response.status_code == 422
        assert "Dit bestandstype wordt hier niet aanvaard. Kies een foto" in response.text
        # The widget answers with what the kind takes, not with what the form asked for.
        assert (
            'accept="image/*"' in response.text and 'name="accept" value="image"' in response.text
        )
    assert _uploads(db) == [] and _stored_files(app) == []
    # Neither can the form narrow it: a photo is still taken.
    assert _post_file(client, world.placement.id, verkenning.id, accept="pdf").status_code == 200


def test_a_video_on_a_reflection_is_stored(app, db, world, item, login_as):
    response = _post_file(
        login_as(world.student),
        world.placement.id,
        item.id,
        FILES["webm"],
        "les.webm",
        mimetype="video/webm",
        accept="image",
    )
    assert response.status_code == 200 and "les.webm is toegevoegd." in response.text
    [upload] = _uploads(db)
    assert (upload.category, upload.mime) == ("video", "video/webm")
    assert len(_stored_files(app)) == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_a_kind_without_uploads_refuses_every_file(app, db, world, make_item, login_as, htmx):
    actiepunt = make_item(world.placement, "actiepunt", title="Kringgesprek")
    client = login_as(world.student)
    response = _post_file(client, world.placement.id, actiepunt.id, htmx=htmx, accept="image")
    assert response.status_code == 422
    assert "Bij dit onderdeel van je portfolio kan je geen bestanden opladen." in response.text
    if htmx:
        assert response.headers["HX-Retarget"] == "#meldingen"
    assert _uploads(db) == [] and _stored_files(app) == []
    # Its files page offers no upload form either.
    page = client.get(_url(world.placement.id, actiepunt.id))
    assert page.status_code == 200 and 'type="file"' not in page.text


@pytest.mark.parametrize(
    ("slug", "accept_attr"),
    [
        ("verkenningsgesprek", "image/*"),
        ("presentatie", "image/*,application/pdf,audio/*,video/*"),
        ("stagepakket", "image/*,application/pdf"),
    ],
)
def test_the_item_page_widget_accepts_what_the_kind_takes(world, login_as, slug, accept_attr):
    page = login_as(world.student).get(f"/stages/{world.placement.id}/portfolio/{slug}")
    assert page.status_code == 200
    assert f'accept="{accept_attr}"' in page.text


def test_an_item_page_of_a_kind_without_uploads_has_no_widget(world, login_as):
    page = login_as(world.student).get(f"/stages/{world.placement.id}/portfolio/stap-1")
    assert page.status_code == 200 and "upload-widget" not in page.text


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize("csrf", [False, True])
def test_a_body_over_the_request_limit_is_a_clear_dutch_413(
    app, db, world, item, login_as, htmx, csrf
):
    app.config.update(MAX_CONTENT_LENGTH=3 * 1024, WTF_CSRF_ENABLED=csrf)
    response = _post_file(
        login_as(world.student), world.placement.id, item.id, PNG + bytes(5000), htmx=htmx
    )
    assert response.status_code == 413
    assert "Het bestand is te groot om op te laden (maximaal 3 KB per keer)" in response.text
    if htmx:
        assert response.headers["HX-Retarget"] == "#meldingen"
        assert "<html" not in response.text
    assert _uploads(db) == []


def test_a_storage_failure_is_a_503_and_leaves_no_row(app, db, world, item, login_as, monkeypatch):
    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(LocalStorage, "save", broken)
    response = _post_file(login_as(world.student), world.placement.id, item.id)
    assert response.status_code == 503
    assert "Het bestand kon nu niet bewaard worden" in response.text
    assert _uploads(db) == []


# ---------------------------------------------------------------- nothing half-stored


def _store(app, db, item, user):
    with app.app_context():
        return files.store_upload(
            db,
            item=item,
            file=FileStorage(io.BytesIO(PNG), filename="a.png"),
            caption="",
            actor=user,
            storage=files.get_storage(),
            max_image_bytes=1000,
            max_media_bytes=1000,
        )


def test_a_failing_row_deletes_the_stored_file(app, db, world, item):
    def refuse(session, context, instances):
        raise RuntimeError("database said no")

    event.listen(db, "before_flush", refuse)
    with pytest.raises(RuntimeError, match="database said no"):
        _store(app, db, item, world.student)
    event.remove(db, "before_flush", refuse)
    db.rollback()
    assert _stored_files(app) == [] and _uploads(db) == []


def test_a_rolled_back_request_deletes_the_stored_file(app, db, world, item):
    upload = _store(app, db, item, world.student)
    assert (Path(app.config["UPLOAD_FOLDER"]) / upload.storage_key).is_file()
    db.rollback()
    assert _stored_files(app) == [] and _uploads(db) == []


def test_a_committed_upload_keeps_its_file(app, db, world, item):
    _store(app, db, item, world.student)
    db.commit()
    db.close()
    assert len(_stored_files(app)) == 1 and len(_uploads(db)) == 1


# ---------------------------------------------------------------- caption and delete


def test_caption_is_changed_and_logged(app, db, world, item, login_as):
    upload = _add_upload(app, db, item, world.student, caption="oud")
    response = login_as(world.student).post(
        _url(world.placement.id, item.id, f"/{upload.id}/bijschrift"),
        data={"bijschrift": "  De poppenhoek  "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'alt="De poppenhoek"' in response.text
    assert _uploads(db)[0].caption == "De poppenhoek"
    detail = db.exec(select(AuditEvent.detail).where(AuditEvent.action == "upload.caption")).one()
    assert detail["previous"] == "oud"


def test_a_too_long_caption_is_refused(app, db, world, item, login_as):
    upload = _add_upload(app, db, item, world.student, caption="oud")
    response = login_as(world.student).post(
        _url(world.placement.id, item.id, f"/{upload.id}/bijschrift"),
        data={"bijschrift": "x" * 2001},
    )
    assert response.status_code == 422 and "maximaal 2000 tekens" in response.text
    assert _uploads(db)[0].caption == "oud"


def test_delete_is_soft_and_the_file_is_then_gone_for_everyone(app, db, world, item, login_as):
    upload = _add_upload(app, db, item, world.student)
    client = login_as(world.student)
    response = client.post(
        _url(world.placement.id, item.id, f"/{upload.id}/verwijderen"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Nog geen bestanden." in response.text and "foto.png is verwijderd." in response.text
    [row] = _uploads(db)
    assert row.deleted_at is not None and len(_stored_files(app)) == 1  # kept, just hidden
    assert client.get(f"/stages/{world.placement.id}/bestanden/{upload.id}").status_code == 404
    again = client.post(_url(world.placement.id, item.id, f"/{upload.id}/verwijderen"))
    assert again.status_code == 404


def test_caption_and_delete_check_the_upload_belongs_to_the_item(
    app, db, world, item, make_item, login_as
):
    other_item = make_item(world.placement, "agenda")
    upload = _add_upload(app, db, item, world.student)
    client = login_as(world.student)
    for action in ("bijschrift", "verwijderen"):
        url = _url(world.placement.id, other_item.id, f"/{upload.id}/{action}")
        assert client.post(url, data={"bijschrift": "x"}).status_code == 404
    assert _uploads(db)[0].deleted_at is None


@pytest.mark.parametrize("role", ["supervisor", "coordinator", "mentor", "other_student"])
def test_others_cannot_caption_or_delete(app, db, world, make_item, login_as, role):
    pakket = make_item(world.placement, "stagepakket")
    upload = _add_upload(app, db, pakket, world.student, caption="oud")
    client = login_as(getattr(world, role))
    for action in ("bijschrift", "verwijderen"):
        url = _url(world.placement.id, pakket.id, f"/{upload.id}/{action}")
        assert client.post(url, data={"bijschrift": "x"}).status_code == 403
    [row] = _uploads(db)
    assert row.caption == "oud" and row.deleted_at is None


# ---------------------------------------------------------------- download


DOWNLOAD_MATRIX = [
    ("student", "reflectie", 200),
    ("supervisor", "reflectie", 200),
    ("colleague", "reflectie", 200),
    ("coordinator", "reflectie", 200),
    ("outsider", "reflectie", 403),
    ("other_student", "reflectie", 403),
    ("mentor", "reflectie", 403),  # reflections are personal
    ("other_mentor", "reflectie", 403),
    ("mentor", "stagepakket", 200),
    ("mentor", "verkenning", 200),
    ("other_mentor", "stagepakket", 403),
    ("outsider", "stagepakket", 403),
]


@pytest.mark.parametrize(("role", "kind", "status"), DOWNLOAD_MATRIX)
def test_download_permissions(app, db, world, make_item, login_as, role, kind, status):
    target = make_item(world.placement, kind)
    upload = _add_upload(app, db, target, world.student)
    response = login_as(getattr(world, role)).get(
        f"/stages/{world.placement.id}/bestanden/{upload.id}"
    )
    assert response.status_code == status
    if status == 200:
        assert response.data == PNG
    else:
        assert PNG not in response.data


@pytest.mark.parametrize("kind", [k.value for k in ItemKind])
def test_mentors_get_files_only_of_the_kinds_the_handbook_gives_them(
    app, db, world, make_item, login_as, kind
):
    _in_use(db, kind)
    target = make_item(world.placement, kind)
    upload = _add_upload(app, db, target, world.student)
    response = login_as(world.mentor).get(f"/stages/{world.placement.id}/bestanden/{upload.id}")
    assert response.status_code == (200 if kind in MENTOR_VISIBLE_KINDS else 403)
    if kind in {"reflectie", "laatste-reflectie", "zelfbeeld", "coaching"}:
        assert response.status_code == 403  # personal, whatever the shared list says


def test_download_headers(app, db, world, item, login_as):
    upload = _add_upload(app, db, item, world.student, name="Bouwhoek é.png")
    response = login_as(world.student).get(f"/stages/{world.placement.id}/bestanden/{upload.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == (
        "inline; filename=\"Bouwhoek _.png\"; filename*=UTF-8''Bouwhoek%20%C3%A9.png"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" in response.headers
    again = login_as(world.student).get(
        f"/stages/{world.placement.id}/bestanden/{upload.id}",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_download_supports_ranges_for_seeking_in_recordings(app, db, world, item, login_as):
    video = FILES["mp4"] + bytes(1000)
    upload = _add_upload(app, db, item, world.student, video, name="les.mp4")
    assert upload.category == "video"
    response = login_as(world.student).get(
        f"/stages/{world.placement.id}/bestanden/{upload.id}", headers={"Range": "bytes=4-11"}
    )
    assert response.status_code == 206
    assert response.data == video[4:12] == b"ftypisom"
    assert response.headers["Content-Range"] == f"bytes 4-11/{len(video)}"
    assert response.headers["Accept-Ranges"] == "bytes"


def test_download_through_another_placement_is_not_found(app, db, world, item, login_as):
    upload = _add_upload(app, db, item, world.student)
    theirs = login_as(world.other_student).get(
        f"/stages/{world.other_placement.id}/bestanden/{upload.id}"
    )
    assert theirs.status_code == 404
    missing = login_as(world.student).get(f"/stages/{world.placement.id}/bestanden/999999")
    assert missing.status_code == 404


def test_uploads_of_a_deleted_item_are_not_served(app, db, world, item, login_as):
    upload = _add_upload(app, db, item, world.student)
    item.deleted_at = CLOSED
    db.add(item)
    db.commit()
    response = login_as(world.student).get(f"/stages/{world.placement.id}/bestanden/{upload.id}")
    assert response.status_code == 404


# ---------------------------------------------------------------- the files page and widget


def test_files_page_for_the_student_has_an_accessible_upload_form(app, db, world, item, login_as):
    _add_upload(app, db, item, world.student, FILES["mp3"], name="opname.mp3")
    _add_upload(app, db, item, world.student, FILES["pdf"], name="verslag.pdf")
    _add_upload(app, db, item, world.student, FILES["webm"], name="les.webm")
    response = login_as(world.student).get(_url(world.placement.id, item.id))
    text = response.text
    assert response.status_code == 200 and "Bestanden bij Reflectie dag 1" in text
    assert f'<label for="bestanden-{item.id}-bestand">' in text
    assert 'accept="image/*,audio/*,video/*"' in text  # what a reflection takes
    assert "capture" not in text  # the phone offers camera and files alike
    assert 'enctype="multipart/form-data"' in text and "<progress" in text
    assert "<audio controls" in text and "<video controls" in text
    assert "verslag.pdf <span" in text
    assert "style=" not in text and "<script>" not in text
    assert text.index("opname.mp3") < text.index("verslag.pdf") < text.index("les.webm")


@pytest.mark.parametrize(
    ("role", "kind", "status"),
    [
        ("supervisor", "reflectie", 200),
        ("mentor", "reflectie", 403),
        ("mentor", "stagepakket", 200),
        ("other_student", "stagepakket", 403),
    ],
)
def test_files_page_for_others_is_read_only(
    app, db, world, make_item, login_as, role, kind, status
):
    target = make_item(world.placement, kind)
    _add_upload(app, db, target, world.student, caption="Bouwhoek")
    response = login_as(getattr(world, role)).get(_url(world.placement.id, target.id))
    assert response.status_code == status
    if status == 200:
        assert 'alt="Bouwhoek"' in response.text
        assert 'type="file"' not in response.text and "Verwijderen" not in response.text


def test_files_page_names_an_untitled_item_by_its_kind(world, make_item, login_as):
    pakket = make_item(world.placement, "stagepakket")
    response = login_as(world.student).get(_url(world.placement.id, pakket.id))
    assert "<h1>Bestanden bij Stagepakket" in response.text


def test_uploads_by_item_is_one_query_whatever_the_number_of_items(
    app, db, world, make_item, count_queries
):
    items = [make_item(world.placement, "agenda") for _ in range(5)]
    for target in items:
        _add_upload(app, db, target, world.student, name="eerste.png")
        _add_upload(app, db, target, world.student, name="tweede.png")
    gone = _add_upload(app, db, items[0], world.student, name="weg.png")
    gone.deleted_at = CLOSED
    db.add(gone)
    db.commit()
    ids = [target.id for target in items]
    with count_queries() as one:
        single = files.uploads_by_item(db, ids[:1])
    with count_queries() as five:
        grouped = files.uploads_by_item(db, [*ids, 999999])
    assert one.n == five.n == 1
    assert [u.original_name for u in single[ids[0]]] == ["eerste.png", "tweede.png"]
    assert all(len(grouped[i]) == 2 for i in ids) and grouped[999999] == []
    assert files.uploads_by_item(db, []) == {}


def test_items_with_recordings(app, db, world, make_item):
    spoken = make_item(world.placement, "reflectie")
    written = make_item(world.placement, "reflectie")
    _add_upload(app, db, spoken, world.student, FILES["m4a"], name="dag1.m4a")
    _add_upload(app, db, written, world.student)
    assert files.items_with_recordings(db, [spoken.id, written.id]) == {spoken.id}


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("C:\\Users\\An\\Foto 1.JPG", "Foto 1.JPG"),
        ("a/b/../c.png", "c.png"),
        ("  twee   spaties\t.pdf ", "twee spaties .pdf"),
        ("\u202egnp.exe", "gnp.exe"),
        ("", "bestand"),
        (None, "bestand"),
        ("x" * 300 + ".webm", "x" * 250 + ".webm"),
    ],
)
def test_display_name(raw, shown):
    assert files.display_name(raw) == shown


def test_refusals_carry_a_status():
    assert UploadRefused("x", reason="type").status == 422


# ---------------------------------------------------------------- S3 (moto server)


def _fetch(url: str) -> tuple[bytes, dict[str, str]]:
    # An empty ProxyHandler guarantees urllib connects to the URL's own (loopback) host.
    assert url.startswith("http://127.0.0.1:")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def test_s3_upload_lands_in_the_bucket_and_downloads_through_a_presigned_url(
    app, db, world, make_item, login_as, s3_settings
):
    app.config.update(s3_settings)
    pakket = make_item(world.placement, "stagepakket")
    response = _post_file(login_as(world.student), world.placement.id, pakket.id, name="pakket.png")
    assert response.status_code == 200
    [upload] = _uploads(db)
    bucket = boto3.client(
        "s3",
        endpoint_url=s3_settings["S3_ENDPOINT_URL"],
        region_name=s3_settings["S3_REGION"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stored = bucket.get_object(
        Bucket=s3_settings["S3_BUCKET"], Key=f"{s3_settings['S3_PREFIX']}/{upload.storage_key}"
    )
    assert stored["Body"].read() == PNG and stored["ContentType"] == "image/png"
    assert _stored_files(app) == []  # nothing on local disk

    url = f"/stages/{world.placement.id}/bestanden/{upload.id}"
    outsider = login_as(world.outsider).get(url)
    assert outsider.status_code == 403 and "Location" not in outsider.headers
    response = login_as(world.mentor).get(url)
    assert response.status_code == 302 and response.headers["Cache-Control"] == "no-store"
    location = response.headers["Location"]
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=300" in location
    body, headers = _fetch(location)
    assert body == PNG
    assert headers["content-type"] == "image/png"
    assert headers["content-disposition"].startswith('inline; filename="pakket.png"')


def test_demo_attaches_a_photo_to_the_verkenningsgesprek(app, db, world, make_item):
    from portfolio.demo import files as demo_files

    verkenning = make_item(world.placement, "verkenning")
    demo = type(
        "Demo",
        (),
        {"placements": {"student": world.placement}, "users": {"student": world.student}},
    )
    with app.app_context():
        demo_files.seed(db, demo)
        db.commit()
    [upload] = files.uploads_by_item(db, [verkenning.id])[verkenning.id]
    assert upload.category == "image" and upload.caption.startswith("Foto van de afspraken")
    stored = Path(app.config["UPLOAD_FOLDER"]) / upload.storage_key
    assert stored.read_bytes() == demo_files.notebook_page_png()


def test_orphans_command_lists_and_deletes_files_without_a_row(app, db, world, item, set_now):
    kept = _add_upload(app, db, item, world.student)
    with app.app_context():
        storage = files.get_storage()
        storage.save(
            "placements/1/lost.png", io.BytesIO(PNG), content_type="image/png", size=len(PNG)
        )
    runner = app.test_cli_runner()
    set_now(datetime.now(UTC) + timedelta(hours=2))

    young = runner.invoke(args=["files", "orphans", "--hours", "3"])
    assert young.exit_code == 0 and "0 orphaned file(s)" in young.output

    listed = runner.invoke(args=["files", "orphans", "--hours", "1"])
    assert listed.output.splitlines() == ["placements/1/lost.png", "1 orphaned file(s)"]
    assert len(_stored_files(app)) == 2

    deleted = runner.invoke(args=["files", "orphans", "--hours", "1", "--delete"])
    assert "1 orphaned file(s) deleted" in deleted.output
    assert [p.relative_to(app.config["UPLOAD_FOLDER"]).as_posix() for p in _stored_files(app)] == [
        kept.storage_key
    ]

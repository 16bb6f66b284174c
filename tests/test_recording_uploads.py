"""A recording's upload names a client key: a retried upload is stored once, never twice."""

import io

import pytest
from sqlmodel import select

from portfolio.models import Upload

# An audio-only WebM header (EBML, DocType webm, one Opus track), as Chromium records it.
WEBM_AUDIO = (
    b"\x1a\x45\xdf\xa3\x8f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm"
    b"\x16\x54\xae\x6b\x8a\xae\x88\x86\x86A_OPUS"
)
KEY = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.fixture
def item(world, make_item):
    return make_item(world.placement, "reflectie", title="Reflectie dag 1")


def _send(client, world, item, **extra):
    data = {"bestand": (io.BytesIO(WEBM_AUDIO), "opname-20251008-2114.webm"), **extra}
    return client.post(
        f"/stages/{world.placement.id}/items/{item.id}/bestanden",
        data=data,
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )


def _uploads(db):
    db.expire_all()
    return db.exec(select(Upload)).all()


def test_a_retried_recording_upload_is_stored_once(db, world, item, login_as):
    student = login_as(world.student)
    first = _send(student, world, item, client_key=KEY)
    again = _send(student, world, item, client_key=KEY)
    assert first.status_code == again.status_code == 200
    [upload] = _uploads(db)
    assert (upload.client_key, upload.category, upload.mime) == (KEY, "audio", "audio/webm")
    assert "opname-20251008-2114.webm" in again.text


def test_two_recordings_with_their_own_keys_are_both_stored(db, world, item, login_as):
    student = login_as(world.student)
    _send(student, world, item, client_key=KEY)
    _send(student, world, item, client_key=KEY.replace("0f8f", "1f8f"))
    assert len(_uploads(db)) == 2


def test_an_odd_client_key_is_ignored_not_stored(db, world, item, login_as):
    student = login_as(world.student)
    _send(student, world, item, client_key="x" * 65)
    _send(student, world, item, client_key="<script>")
    assert [u.client_key for u in _uploads(db)] == [None, None]


def test_a_recording_of_another_students_item_is_refused(db, world, item, login_as):
    response = _send(login_as(world.other_student), world, item, client_key=KEY)
    assert response.status_code in (403, 404)
    assert _uploads(db) == []

"""Upkeep commands: `flask prune` (old ended sessions and sent mails) and
`flask backfill-upload-hashes` (uploads stored before their SHA-256 was taken)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

from signing_support import write_package
from sqlmodel import select

from portfolio.domain import signing
from portfolio.domain.files import get_storage
from portfolio.domain.retention import prune
from portfolio.models import ItemKind, LoginSession, OutboxMail, Placement, Signature, Upload
from portfolio.storage import new_key

NOW = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)  # the app's pinned clock in tests


def _login_session(db, user, name: str, *, ended_days_ago: int | None, created_days_ago: int):
    row = LoginSession(
        user_id=user.id,
        token_hash=hashlib.sha256(name.encode()).hexdigest(),
        created_at=NOW - timedelta(days=created_days_ago),
        last_seen_at=NOW - timedelta(days=created_days_ago),
        ended_at=None if ended_days_ago is None else NOW - timedelta(days=ended_days_ago),
    )
    db.add(row)
    return row


def _mail(db, to: str, *, created_days_ago: int, sent_days_ago: int | None, error=None):
    mail = OutboxMail(
        to_address=to,
        subject="Onderwerp",
        body="" if sent_days_ago is not None else "Tekst",
        created_at=NOW - timedelta(days=created_days_ago),
        next_attempt_at=NOW - timedelta(days=created_days_ago),
        attempts=0 if error is None else 9,
        last_error=error,
        sent_at=None if sent_days_ago is None else NOW - timedelta(days=sent_days_ago),
    )
    db.add(mail)
    return mail


def test_prune_deletes_only_old_ended_sessions_and_old_sent_mails(app, db, world):
    student = world.student
    _login_session(db, student, "ended-long-ago", ended_days_ago=91, created_days_ago=120)
    _login_session(db, student, "ended-lately", ended_days_ago=89, created_days_ago=120)
    _login_session(db, student, "open-but-old", ended_days_ago=None, created_days_ago=200)
    _mail(db, "oud@x.be", created_days_ago=100, sent_days_ago=91)
    _mail(db, "recent@x.be", created_days_ago=100, sent_days_ago=5)
    _mail(db, "mislukt@x.be", created_days_ago=200, sent_days_ago=None, error="550 unknown user")
    db.commit()

    result = app.test_cli_runner().invoke(args=["prune"])

    assert result.exit_code == 0, result.output
    assert "1 beëindigde sessie(s), 1 verstuurde mail(s)" in result.output
    db.expire_all()
    kept_sessions = {r.token_hash for r in db.exec(select(LoginSession))}
    assert kept_sessions == {
        hashlib.sha256(n.encode()).hexdigest() for n in ("ended-lately", "open-but-old")
    }
    assert {m.to_address for m in db.exec(select(OutboxMail))} == {"recent@x.be", "mislukt@x.be"}
    # A second run finds nothing more to do.
    with app.app_context():
        assert prune(db, moment=NOW).sessions == 0


def _stored_upload(db, item, owner, data: bytes, *, stored: bool = True) -> Upload:
    """An upload row as stored before hashing: the bytes in storage, no sha256."""
    key = new_key(item.placement_id, ".pdf")
    if stored:
        get_storage().save(key, io.BytesIO(data), content_type="application/pdf", size=len(data))
    upload = Upload(
        placement_id=item.placement_id,
        item_id=item.id,
        storage_key=key,
        original_name="oud.pdf",
        mime="application/pdf",
        category="pdf",
        size=len(data),
        uploaded_by_id=owner.id,
    )
    db.add(upload)
    db.commit()
    return upload


def _sign_as_student(db, package, content_hash: str, *, voided_at=None) -> None:
    signer = db.get(Placement, package.placement_id).student_id
    db.add(
        Signature(
            item_id=package.id,
            signer_id=signer,
            role="student",
            content_hash=content_hash,
            signed_at=NOW,
            voided_at=voided_at,
        )
    )
    db.commit()


def test_backfill_hashes_old_uploads_in_batches_and_leaves_signed_ones(app, db, world, make_item):
    item = make_item(world.placement, ItemKind.PRESENTATIE, content={})
    package = write_package(db, world)
    with app.app_context():
        plain = [_stored_upload(db, item, world.student, b"PDF-%d" % n) for n in range(5)]
        gone = _stored_upload(db, item, world.student, b"weg", stored=False)
        signed = _stored_upload(db, package, world.student, b"%PDF-getekend")
    # The stagepakket was signed while its attachment hashed as "upload-<id>-<size>".
    _sign_as_student(db, package, signing.current_hash(db, package))

    result = app.test_cli_runner().invoke(args=["backfill-upload-hashes", "--batch", "2"])

    assert result.exit_code == 0, result.output
    assert "Gehasht: 5 upload(s)." in result.output
    assert "Overgeslagen: 1 upload(s)" in result.output
    assert "Niet gevonden in de opslag: 1 upload(s)." in result.output
    db.expire_all()
    for n, upload in enumerate(plain):
        assert db.get(Upload, upload.id).sha256 == hashlib.sha256(b"PDF-%d" % n).hexdigest()
    assert db.get(Upload, gone.id).sha256 is None
    assert db.get(Upload, signed.id).sha256 is None
    # The signature still holds: its hash covered the stand-in, which is kept.
    signatures = signing.signatures_of(db, package)
    attachments = signing.attachments_of(db, package)
    assert set(signing.valid_signatures(package, signatures, attachments)) == {"student"}


def test_backfill_hashes_a_signed_item_once_its_signatures_are_voided(app, db, world):
    package = write_package(db, world)
    with app.app_context():
        upload = _stored_upload(db, package, world.student, b"%PDF-heropend")
    _sign_as_student(db, package, "0" * 64, voided_at=NOW)

    result = app.test_cli_runner().invoke(args=["backfill-upload-hashes"])

    assert result.exit_code == 0 and "Gehasht: 1 upload(s)." in result.output
    db.expire_all()
    assert db.get(Upload, upload.id).sha256 == hashlib.sha256(b"%PDF-heropend").hexdigest()

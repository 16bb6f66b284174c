"""Signing the stagepakket: the hash over text and attachments, the lock and reopening,
signed versions with their verification code, print view and PDF, and the refusals."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime

import pytest
from signing_support import MOMENT, slip_file_change, write_package
from sqlmodel import select
from test_uploads import FILES
from werkzeug.datastructures import FileStorage

from portfolio import create_app
from portfolio.clock import BRUSSELS
from portfolio.domain import files, signing, verification
from portfolio.domain import items as ops
from portfolio.domain.errors import DomainError
from portfolio.domain.mentor_links import issue_link
from portfolio.models import (
    AuditEvent,
    Notice,
    OutboxMail,
    Signature,
    SignedVersion,
    Upload,
    User,
)
from portfolio.storage import LocalStorage, storage_from_config

CLOSED = datetime(2025, 11, 8, 0, 0, 1, tzinfo=BRUSSELS)
HX = {"HX-Request": "true"}


@pytest.fixture
def ctx(app):
    """Domain calls tell people (notices with links), which needs the app; never with a client
    (the client's requests would share this context's `g`)."""
    with app.test_request_context():
        yield


@pytest.fixture
def package(db, world):
    """The stagepakket with some text, saved by the student."""
    return write_package(db, world)


@pytest.fixture
def sign_all(app, db, world):
    """Sign the package as all three parties, directly in the domain."""

    def sign(item):
        with app.test_request_context():
            for person in (world.student, world.mentor, world.supervisor):
                signer = db.get(User, person.id)
                signing.sign(db, item, world.placement, signer=signer, moment=MOMENT)
        db.commit()

    return sign


@pytest.fixture
def attach(db, world, tmp_path):
    """Store an attachment the way the upload route does (hash taken while storing)."""

    def store(item, data=FILES["pdf"], name="bijlage.pdf", storage=None):
        stored = files.store_upload(
            db,
            item=item,
            file=FileStorage(stream=io.BytesIO(data), filename=name),
            caption="",
            actor=db.get(User, world.student.id),
            storage=storage or LocalStorage(tmp_path / "files"),
            max_image_bytes=10**7,
            max_media_bytes=10**7,
        )
        db.commit()
        return stored

    return store


def _state(db, item):
    attachments = signing.attachments_of(db, item)
    return signing.is_fully_signed(item, signing.signatures_of(db, item), attachments)


# ---------------------------------------------------------------- domain


def test_three_signatures_complete_the_package_and_record_person_role_time_hash(
    sign_all, ctx, db, world, package
):
    sign_all(package)
    assert _state(db, package)
    rows = db.exec(select(Signature).order_by(Signature.id)).all()
    assert [r.role for r in rows] == ["student", "mentor", "begeleider"]
    digest = signing.current_hash(db, package)
    assert {r.content_hash for r in rows} == {digest}
    assert all(r.signer_id and r.signed_at == MOMENT and r.signed_version_id for r in rows)
    assert len(db.exec(select(SignedVersion)).all()) == 1


def test_the_hash_covers_every_attachment(ctx, db, world, package, attach):
    before = signing.current_hash(db, package)
    upload = attach(package)
    assert upload.sha256 and len(upload.sha256) == 64
    with_file = signing.current_hash(db, package)
    assert with_file != before
    upload.deleted_at = MOMENT
    db.add(upload)
    db.commit()
    assert signing.current_hash(db, package) == before
    # Text without attachments hashes as before attachments counted: old signatures hold.
    assert before == signing.content_hash(package)


@pytest.mark.parametrize("backend", ["local", "s3"])
def test_the_upload_hash_is_taken_on_either_backend(package, attach, request, tmp_path, backend):
    config = request.getfixturevalue("s3_settings") if backend == "s3" else {}
    storage = storage_from_config(config) if config else LocalStorage(tmp_path)
    data = FILES["pdf"]
    stored = attach(package, data, "contract.pdf", storage)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    with storage.open(stored.storage_key) as kept:  # the hash did not eat the stream
        assert kept.read() == data


@pytest.mark.parametrize("change", ["added", "removed"])
def test_an_attachment_added_or_removed_voids_every_signature(
    sign_all, ctx, db, world, package, attach, change
):
    kept = attach(package) if change == "removed" else None
    sign_all(package)
    assert _state(db, package)
    # Even a file change that slipped past the lock breaks every signature.
    slip_file_change(db, package, change, kept, world.student.id)
    attachments = signing.attachments_of(db, package)
    assert signing.valid_signatures(package, signing.signatures_of(db, package), attachments) == {}
    assert not _state(db, package)


def test_a_signed_package_refuses_every_change_until_reopened(
    sign_all, ctx, db, world, package, attach
):
    kept = attach(package)
    sign_all(package)
    student = db.get(User, world.student.id)
    with pytest.raises(DomainError, match="Wijzigen maakt alle handtekeningen ongeldig") as refused:
        ops.save_item(
            db,
            package,
            content={"taken": "x"},
            base_version=package.version,
            actor=student,
            moment=MOMENT,
        )
    assert refused.value.status == 423
    with pytest.raises(DomainError, match="ondertekend"):
        attach(package, FILES["png"], "foto.png")
    db.rollback()
    with pytest.raises(DomainError, match="ondertekend"):
        files.delete_upload(db, kept, actor=student)
    db.rollback()

    voided = signing.reopen(db, package, world.placement, actor=student, moment=MOMENT)
    db.commit()
    assert {s.role for s in voided} == {"student", "mentor", "begeleider"}
    assert not signing.is_locked(signing.signatures_of(db, package))
    write_package(db, world, "x")
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "stagepakket.reopened")).one()
    # The signed version stays readable, marked void.
    version = db.exec(select(SignedVersion)).one()
    assert version.voided_at is not None and version.content["taken"] == "Een wandeling ontwerpen"
    assert version.attachments[0]["sha256"] == kept.sha256


def test_only_the_parties_sign_request_and_reopen(ctx, db, world, package):
    for outsider in (world.colleague, world.other_mentor, world.other_student, world.coordinator):
        with pytest.raises(DomainError) as refused:
            signing.sign(db, package, world.placement, signer=outsider, moment=MOMENT)
        assert refused.value.status == 403
    for not_student in (world.mentor, world.supervisor):
        with pytest.raises(DomainError):
            signing.request_signatures(
                db, package, world.placement, actor=not_student, moment=MOMENT
            )
        with pytest.raises(DomainError):
            signing.reopen(db, package, world.placement, actor=not_student, moment=MOMENT)
    signing.sign(db, package, world.placement, signer=world.student, moment=MOMENT)
    with pytest.raises(DomainError, match="al"):
        signing.sign(db, package, world.placement, signer=world.student, moment=MOMENT)


def test_codes_are_readable_and_typed_codes_are_normalised():
    code = verification.new_code()
    assert len(code) == 14 and code.count("-") == 2
    assert verification.normalise_code(code.lower().replace("-", " ")) == code
    assert verification.normalise_code("ABCD-EFGH-IJK0") is None  # I and 0 are never used
    assert verification.initials("Student  Een") == "S. E."


# ---------------------------------------------------------------- routes


def _base(world):
    return f"/stages/{world.placement.id}/portfolio"


def test_the_student_offers_the_package_and_it_locks_once_signed(db, world, package, login_as):
    base = _base(world)
    student = login_as(world.student)
    page = student.get(f"{base}/stagepakket").text
    assert "Ter ondertekening aanbieden" in page
    assert student.post(f"{base}/stagepakket/aanbieden").status_code == 303
    page = student.get(f"{base}/stagepakket").text
    assert "Ter ondertekening aangeboden" in page
    version = db.exec(select(SignedVersion)).one()
    assert version.requested_by_id == world.student.id

    for person in (world.mentor, world.supervisor, world.student):
        assert login_as(person).post(f"{base}/stagepakket/ondertekenen").status_code == 303
    page = student.get(f"{base}/stagepakket").text
    assert "Ondertekend door alle drie" in page
    assert "data-autosave" not in page and "Stagepakket wijzigen" in page


def test_a_signed_package_is_edited_only_after_the_confirmation(
    sign_all, db, world, package, login_as
):
    sign_all(package)
    base = _base(world)
    student = login_as(world.student)
    save = {"item_id": package.id, "version": package.version, "taken": "Andere taak"}
    refused = student.post(f"{base}/bewaren", data=save, headers=HX)
    assert refused.status_code == 423
    assert "Je stagepakket is ondertekend. Wijzigen maakt alle handtekeningen ongeldig." in (
        refused.text
    )
    confirm = student.get(f"{base}/stagepakket/wijzigen")
    assert confirm.status_code == 200
    assert "Wijzigen maakt alle handtekeningen ongeldig" in confirm.text
    assert db.exec(
        select(Signature).where(Signature.voided_at.is_(None))
    ).all()  # GET changes nothing

    assert student.post(f"{base}/stagepakket/wijzigen").status_code == 303
    assert db.exec(select(Signature).where(Signature.voided_at.is_(None))).all() == []
    saved = student.post(f"{base}/bewaren", data=save, headers=HX)
    assert saved.status_code == 200
    # The autosave answer carries the new signing status for the page.
    assert "data-signing-status" in saved.text and "Ondertekend door alle drie" not in saved.text
    page = student.get(f"{base}/stagepakket").text
    assert "Gewijzigd na ondertekening: opnieuw ondertekenen" in page


def test_uploads_to_a_signed_package_are_refused(sign_all, db, world, package, login_as):
    sign_all(package)
    response = login_as(world.student).post(
        f"/stages/{world.placement.id}/items/{package.id}/bestanden",
        data={"bestand": (io.BytesIO(FILES["pdf"]), "extra.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 423
    assert db.exec(select(Upload)).first() is None


def test_another_mentors_link_is_refused(db, world, package, app):
    _, token = issue_link(db, world.other_mentor, moment=MOMENT, actor=world.coordinator)
    db.commit()
    client = app.test_client()
    assert client.get(f"/m/{token}").status_code == 302
    base = _base(world)
    assert client.get(f"{base}/stagepakket").status_code == 403
    assert client.post(f"{base}/stagepakket/ondertekenen").status_code == 403
    assert client.get(f"{base}/stagepakket/handtekeningen").status_code == 403
    assert db.exec(select(Signature)).first() is None


def test_refusals_wrong_person_and_closed_portfolio(
    sign_all, db, world, package, login_as, set_now
):
    base = _base(world)
    for person in (world.mentor, world.supervisor, world.colleague):
        client = login_as(person)
        assert client.post(f"{base}/stagepakket/aanbieden").status_code == 403
        assert client.post(f"{base}/stagepakket/wijzigen").status_code == 403
    assert login_as(world.colleague).post(f"{base}/stagepakket/ondertekenen").status_code == 403
    sign_all(package)
    set_now(CLOSED)
    student = login_as(world.student)
    for url in ("/stagepakket/aanbieden", "/stagepakket/wijzigen"):
        response = student.post(base + url)
        assert response.status_code == 403 and "afgesloten" in response.text
    assert db.exec(select(Signature).where(Signature.voided_at.is_not(None))).first() is None


def test_the_verification_page_print_view_and_pdf(sign_all, db, world, package, login_as):
    sign_all(package)
    version = db.exec(select(SignedVersion)).one()
    base = _base(world)
    mentor = login_as(world.mentor)
    page = mentor.get(f"{base}/stagepakket/handtekeningen").text
    assert version.code in page and version.content_hash in page
    assert "komt overeen met de huidige inhoud" in page and "Mentor Een" in page
    printed = mentor.get(f"{base}/stagepakket/versies/{version.id}").text
    assert "Een wandeling ontwerpen" in printed and version.code in printed
    pdf = mentor.get(f"{base}/stagepakket/versies/{version.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert version.code in pdf.headers["Content-Disposition"]
    other = login_as(world.other_student).get(f"{base}/stagepakket/versies/{version.id}")
    assert other.status_code == 403


def test_a_code_of_a_changed_document_reports_the_mismatch(
    sign_all, app, db, world, package, client
):
    sign_all(package)
    code = db.exec(select(SignedVersion)).one().code
    page = client.get("/controle", query_string={"code": code.lower()}).text
    assert "niet gewijzigd" in page and "S. E." in page
    assert "Een wandeling" not in page and "Student Een" not in page  # no content, no names
    student = db.get(User, world.student.id)
    with app.test_request_context():
        signing.reopen(db, package, world.placement, actor=student, moment=MOMENT)
    ops.save_item(
        db,
        package,
        content={"taken": "Iets anders"},
        base_version=package.version,
        actor=student,
        moment=MOMENT,
    )
    db.commit()
    page = client.get("/controle", query_string={"code": code}).text
    assert "werd na deze versie gewijzigd" in page and "vervallen op" in page
    unknown = client.get("/controle", query_string={"code": "ABCD-EFGH-JKMN"})
    assert unknown.status_code == 200 and "Deze code is onbekend" in unknown.text


def test_the_public_check_is_rate_limited(app):
    limited = create_app(
        {**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    client = limited.test_client()
    answers = [client.get("/controle", query_string={"code": "x"}).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def test_requested_complete_and_voided_notices_reach_the_right_people(db, world, package, login_as):
    base = _base(world)
    student = login_as(world.student)
    student.post(f"{base}/stagepakket/aanbieden")

    def told(subject_part):
        rows = db.exec(select(Notice).where(Notice.subject.contains(subject_part))).all()
        return sorted(row.recipient_id for row in rows)

    asked = told("vraagt je handtekening")
    assert asked == sorted([world.mentor.id, world.supervisor.id])
    mail = db.exec(select(OutboxMail).where(OutboxMail.to_address == world.mentor.email)).first()
    assert f"{base}/stagepakket" in mail.body
    for person in (world.mentor, world.supervisor, world.student):
        login_as(person).post(f"{base}/stagepakket/ondertekenen")
    assert len(told("ondertekend door alle partijen")) == 3
    student.post(f"{base}/stagepakket/wijzigen")
    assert told("je handtekening is vervallen") == sorted([world.mentor.id, world.supervisor.id])

"""The optional placement documents (stageovereenkomst, risicoanalyse) in the domain: the
coordinator's switch and party set, signing by exactly those parties, voiding, refusals."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from signing_support import MOMENT, slip_file_change, write_document
from sqlmodel import select
from test_uploads import FILES
from werkzeug.datastructures import FileStorage

from portfolio.domain import files, placement_documents, signing
from portfolio.domain import items as ops
from portfolio.domain.errors import DomainError
from portfolio.domain.signing_view import signature_view
from portfolio.models import AuditEvent, ItemKind, Notice, Role, Upload, User
from portfolio.notices.reminders import due_reminders
from portfolio.storage import LocalStorage

CONTRACT = ItemKind.STAGEOVEREENKOMST
RISK = ItemKind.RISICOANALYSE


@pytest.fixture
def ctx(app):
    """Domain calls tell people (notices with links), which needs a request context."""
    with app.test_request_context():
        yield


def switch_on(db, world, kind=CONTRACT, roles=(Role.STUDENT, Role.MENTOR)):
    placement_documents.set_document(
        db, kind, enabled=True, roles=roles, actor=db.get(User, world.coordinator.id)
    )
    db.commit()


def write(db, world, kind=CONTRACT, text="Stageplaats De Zon, 6 oktober tot 12 december"):
    return write_document(db, world, kind, {"tekst": text})


def attach(db, world, item, tmp_path):
    stored = files.store_upload(
        db,
        item=item,
        file=FileStorage(stream=io.BytesIO(FILES["pdf"]), filename="overeenkomst.pdf"),
        caption="",
        actor=db.get(User, world.student.id),
        storage=LocalStorage(tmp_path / "files"),
        max_image_bytes=10**7,
        max_media_bytes=10**7,
    )
    db.commit()
    return stored


def test_optional_documents_are_off_until_the_coordinator_switches_them_on(db, world):
    assert placement_documents.required_roles(db, CONTRACT) == ()
    assert placement_documents.switched_off_kinds(db) == {CONTRACT, RISK}
    assert placement_documents.required_roles(db, ItemKind.STAGEPAKKET) == signing.SIGNING_ROLES
    switch_on(db, world, RISK, roles=[Role.SUPERVISOR, Role.STUDENT])
    # Kept in the programme's order, whatever order the form sent.
    assert placement_documents.required_roles(db, RISK) == (Role.STUDENT, Role.SUPERVISOR)
    assert placement_documents.switched_off_kinds(db) == {CONTRACT}
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "document.settings")).one()
    assert event.detail["document"] == "risicoanalyse" and event.detail["enabled"] is True


def test_a_party_set_needs_at_least_one_known_party(db, world):
    coordinator = db.get(User, world.coordinator.id)
    for roles in ([], ["coordinator"], [Role.STUDENT, "x"]):
        with pytest.raises(DomainError, match="Kies minstens één partij"):
            placement_documents.set_document(
                db, CONTRACT, enabled=True, roles=roles, actor=coordinator
            )
    with pytest.raises(DomainError):
        placement_documents.set_document(
            db, ItemKind.STAGEPAKKET, enabled=False, roles=[Role.STUDENT], actor=coordinator
        )


def test_a_switched_off_document_is_refused(ctx, db, world):
    switch_on(db, world)
    item = write(db, world)
    placement_documents.set_document(
        db, CONTRACT, enabled=False, roles=[Role.STUDENT], actor=db.get(User, world.coordinator.id)
    )
    db.commit()
    student = db.get(User, world.student.id)
    for action in (
        lambda: signing.sign(db, item, world.placement, signer=student, moment=MOMENT),
        lambda: signing.request_signatures(db, item, world.placement, actor=student, moment=MOMENT),
        lambda: ops.save_item(
            db,
            item,
            content={"tekst": "x"},
            base_version=item.version,
            actor=student,
            moment=MOMENT,
        ),
    ):
        with pytest.raises(DomainError, match="gebruikt geen stageovereenkomst") as refused:
            action()
        assert refused.value.status == 404


def test_complete_once_the_set_parties_signed_and_only_they_sign(ctx, db, world):
    switch_on(db, world, roles=[Role.STUDENT, Role.MENTOR])
    item = write(db, world)
    with pytest.raises(DomainError, match="Alleen de student en de mentor ondertekenen") as refused:
        signing.sign(db, item, world.placement, signer=world.supervisor, moment=MOMENT)
    assert refused.value.status == 403
    for outsider in (world.other_mentor, world.other_student, world.coordinator):
        with pytest.raises(DomainError):
            signing.sign(db, item, world.placement, signer=outsider, moment=MOMENT)
    signing.sign(db, item, world.placement, signer=world.student, moment=MOMENT)
    view = signature_view(db, item, world.placement, viewer=world.mentor)
    assert not view["fully_signed"] and view["can_sign"] and view["my_signing_role"] == "mentor"
    signing.sign(db, item, world.placement, signer=world.mentor, moment=MOMENT)
    db.commit()
    view = signature_view(db, item, world.placement, viewer=world.supervisor)
    assert view["fully_signed"] and view["signing_roles"] == (Role.STUDENT, Role.MENTOR)
    assert view["my_signing_role"] is None and not view["can_sign"]
    # The stagepakket's three-party rule is untouched.
    assert not signing.is_fully_signed(item, signing.signatures_of(db, item))
    # Everyone the document concerns is told it is complete; the supervisor is no party.
    complete = db.exec(select(Notice).where(Notice.subject.contains("alle partijen"))).all()
    assert sorted(n.recipient_id for n in complete) == sorted([world.student.id, world.mentor.id])
    assert all("stageovereenkomst" in n.subject for n in complete)
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.action.like("document.%"))).all()
    assert actions.count("document.signed") == 2


def test_a_student_only_document_asks_nobody_else(ctx, db, world):
    switch_on(db, world, RISK, roles=[Role.STUDENT])
    item = write(db, world, RISK)
    signing.request_signatures(
        db, item, world.placement, actor=db.get(User, world.student.id), moment=MOMENT
    )
    assert db.exec(select(Notice)).all() == []
    signing.sign(db, item, world.placement, signer=world.student, moment=MOMENT)
    assert signing.is_fully_signed(
        item, signing.signatures_of(db, item), roles=placement_documents.required_roles(db, RISK)
    )


@pytest.mark.parametrize("change", ["added", "removed"])
def test_an_attachment_added_or_removed_voids_the_signatures(ctx, db, world, tmp_path, change):
    switch_on(db, world, roles=[Role.STUDENT, Role.MENTOR])
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(db, world.placement, CONTRACT, actor=student, moment=MOMENT)
    db.commit()
    kept = attach(db, world, item, tmp_path)  # a PDF only, no text: signable too
    for person in (world.student, world.mentor):
        signing.sign(db, item, world.placement, signer=person, moment=MOMENT)
    db.commit()
    roles = placement_documents.required_roles(db, CONTRACT)
    assert signing.is_fully_signed(item, [], roles=()) is False
    assert signing.is_fully_signed(
        item, signing.signatures_of(db, item), signing.attachments_of(db, item), roles=roles
    )
    # Locked: a change goes through a reopen, which voids every signature.
    with pytest.raises(DomainError, match="Je stageovereenkomst is ondertekend") as refused:
        attach(db, world, item, tmp_path)
    assert refused.value.status == 423
    db.rollback()
    # Even a file change that slipped past the lock (a repair, a script) breaks the signatures.
    slip_file_change(db, item, change, kept, world.student.id)
    attachments = signing.attachments_of(db, item)
    assert signing.valid_signatures(item, signing.signatures_of(db, item), attachments) == {}
    assert not signing.is_fully_signed(
        item, signing.signatures_of(db, item), attachments, roles=roles
    )
    view = signature_view(db, item, world.placement, viewer=world.student)
    assert view["voided_roles"] == {Role.STUDENT, Role.MENTOR} and not view["fully_signed"]


def test_an_empty_document_cannot_be_offered(ctx, db, world):
    switch_on(db, world)
    student = db.get(User, world.student.id)
    item = ops.get_or_create_item(db, world.placement, CONTRACT, actor=student, moment=MOMENT)
    with pytest.raises(DomainError, match="De stageovereenkomst is nog leeg; vul ze eerst in"):
        signing.request_signatures(db, item, world.placement, actor=student, moment=MOMENT)


def test_unsigned_parties_of_a_document_in_use_are_reminded_after_three_days(
    app, db, world, make_item
):
    evening = datetime(2025, 10, 9, 17, 0, tzinfo=UTC)  # 19:00 in Brussels: the digest runs
    written = evening - timedelta(days=4)
    contract = make_item(world.placement, CONTRACT, content={}, updated_at=written)
    risk = make_item(world.placement, RISK, content={"tekst": "Geen"}, updated_at=written)

    def due():
        with app.test_request_context():
            return {
                (r.recipient_id, r.text.split(" ")[1])
                for r in due_reminders(db, evening)
                if r.kind == "ondertekening"
            }

    assert due() == set()  # both switched off
    switch_on(db, world, RISK, roles=[Role.STUDENT, Role.SUPERVISOR])
    switch_on(db, world, CONTRACT, roles=[Role.MENTOR])
    # The contract has no text yet: nothing to sign; the risk analysis asks its two parties.
    assert due() == {(world.student.id, "risicoanalyse"), (world.supervisor.id, "risicoanalyse")}
    db.add(
        Upload(
            placement_id=contract.placement_id,
            item_id=contract.id,
            storage_key="x/contract.pdf",
            original_name="contract.pdf",
            mime="application/pdf",
            category="pdf",
            size=3,
            sha256="cd" * 32,
            uploaded_by_id=world.student.id,
            uploaded_at=written,
        )
    )
    db.commit()
    # A PDF alone is something to sign; only the mentor signs the contract here.
    assert (world.mentor.id, "stageovereenkomst") in due()
    assert risk.id and (world.supervisor.id, "stageovereenkomst") not in due()

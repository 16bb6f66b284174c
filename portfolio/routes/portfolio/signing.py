"""Signing a document: the stagepakket, and the placement contract and risk analysis when the
programme uses them (offer, sign, reopen), its signed versions, print view and PDF.

Every URL names the document by its slug (/stagepakket/..., /stageovereenkomst/...). The rules
live in portfolio.domain.signing and portfolio.domain.verification; the public page that
checks a printed copy's code is portfolio/routes/verify.py.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio.access import can_student_write, is_owner, load_placement, require_student_write
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import items as ops
from portfolio.domain import signing
from portfolio.domain.errors import DomainError
from portfolio.domain.people import users_by_id
from portfolio.domain.placement_documents import BY_SLUG, DOCUMENTS, Document, require_enabled
from portfolio.domain.signing_view import signature_view
from portfolio.domain.steps import SPECS
from portfolio.models import Item, Placement, Role, SignedVersion
from portfolio.pdf import html_to_pdf
from portfolio.routes.portfolio import bp
from portfolio.routes.portfolio.common import BASE, require_visible

# A plain string segment (not an `any` converter): an unknown slug is a 404 from the view,
# after the CSRF check, like every other POST.
DOC = BASE + "/<doc>"


def _document(slug: str) -> Document:
    """The document a URL names; 404 for another slug or a document the programme does not use."""
    doc = BY_SLUG.get(slug)
    if doc is None:
        abort(404)
    require_enabled(get_session(), doc.kind)
    return doc


def _doc_url(placement: Placement, doc: Document) -> str:
    return url_for("portfolio.part", placement_id=placement.id, slug=doc.slug)


def _item(placement: Placement, doc: Document) -> Item:
    """Load the placement's document (it exists once the student saved or uploaded to it)."""
    item = ops.find_item(get_session(), placement, doc.kind, ops.Scope())
    if item is None:
        raise DomainError(signing.empty_message(doc))
    return item


def signature_context(placement: Placement, item: Item | None, kind: str) -> dict:
    """The signing state of a document for its page: who signed, what is asked of the viewer."""
    # The student signs only while the portfolio is open; mentor and supervisor also after.
    may_sign = not is_owner(current_user, placement) or can_student_write(current_user, placement)
    return signature_view(
        get_session(), item, placement, kind=kind, viewer=current_user, viewer_may_sign=may_sign
    )


def _student_document(placement_id: int, slug: str) -> tuple[Placement, Document, Item]:
    placement = load_placement(placement_id)
    doc = _document(slug)
    require_student_write(placement)
    return placement, doc, _item(placement, doc)


def _offered_to(roles) -> str:
    others = [role for role in roles if role != Role.STUDENT]
    if others == [Role.MENTOR, Role.SUPERVISOR]:
        return "je mentor en stagebegeleider"
    return " en ".join("je " + signing.ROLE_NAMES[role] for role in others)


@bp.post(DOC + "/aanbieden")
@login_required
def request_signatures(placement_id: int, doc: str):
    """The student offers the document as it is now for signing."""
    placement, document, item = _student_document(placement_id, doc)
    session = get_session()
    signing.request_signatures(session, item, placement, actor=current_user, moment=now())
    offered_to = _offered_to(signing.required_roles(session, document.kind))
    if offered_to:
        flash(f"Je {document.noun} is ter ondertekening aangeboden aan {offered_to}.", "success")
    else:
        flash(f"Je {document.noun} is klaar om te ondertekenen.", "success")
    return redirect(_doc_url(placement, document), 303)


@bp.post(DOC + "/ondertekenen")
@login_required
def sign(placement_id: int, doc: str):
    """Sign the document as it is now (one of the parties it names)."""
    placement = load_placement(placement_id)
    document = _document(doc)
    session = get_session()
    roles = signing.required_roles(session, document.kind)
    # Who may sign comes before what is signed: a non-party gets a 403, not "still empty".
    signing.require_signer(current_user, placement, roles, document)
    if is_owner(current_user, placement):
        require_student_write(placement)
    item = _item(placement, document)
    signing.sign(session, item, placement, signer=current_user, moment=now())
    message = f"Je ondertekende {document.the}."
    if signing.is_fully_signed(item, signing.signatures_of(session, item), roles=roles):
        message += f" {document.pronoun.capitalize()} is nu door alle partijen ondertekend."
    flash(message, "success")
    return redirect(_doc_url(placement, document), 303)


@bp.get(DOC + "/wijzigen")
@login_required
def confirm_reopen(placement_id: int, doc: str):
    """Ask before a signed document is reopened: changing it voids every signature."""
    placement, document, item = _student_document(placement_id, doc)
    if not signing.is_locked(signing.signatures_of(get_session(), item)):
        return redirect(_doc_url(placement, document), 303)
    return render_template(
        "signing/confirm_reopen.html",
        placement=placement,
        document=document,
        message=signing.locked_message(document),
        back_url=_doc_url(placement, document),
    )


@bp.post(DOC + "/wijzigen")
@login_required
def reopen(placement_id: int, doc: str):
    """Reopen the document for changes after the confirmation; every signature is voided."""
    placement, document, item = _student_document(placement_id, doc)
    voided = signing.reopen(get_session(), item, placement, actor=current_user, moment=now())
    if voided:
        flash(
            f"Je kan je {document.noun} weer wijzigen. De handtekeningen zijn vervallen; "
            f"bied {document.pronoun} daarna opnieuw ter ondertekening aan.",
            "success",
        )
    return redirect(_doc_url(placement, document), 303)


# ---------------------------------------------------------------- signed versions


def _readable_document(placement_id: int, slug: str) -> tuple[Placement, Item]:
    placement = load_placement(placement_id)
    document = _document(slug)
    require_visible(placement, document.kind)
    item = ops.find_item(get_session(), placement, document.kind, ops.Scope())
    if item is None:
        abort(404)
    return placement, item


@bp.get(DOC + "/handtekeningen")
@login_required
def versions(placement_id: int, doc: str):
    """Who signed which version (hash, time, role) and whether it still matches."""
    placement, item = _readable_document(placement_id, doc)
    session = get_session()
    context = signature_context(placement, item, item.kind)
    by_version: dict[int | None, list] = {}
    for signature in sorted(signing.signatures_of(session, item), key=lambda s: s.signed_at):
        by_version.setdefault(signature.signed_version_id, []).append(signature)
    return render_template(
        "signing/versions.html",
        placement=placement,
        item=item,
        current_hash=signing.current_hash(session, item),
        by_version=by_version,
        **context,
    )


def _version_of(placement_id: int, slug: str, version_id: int):
    placement, item = _readable_document(placement_id, slug)
    version = get_session().get(SignedVersion, version_id)
    if version is None or version.item_id != item.id:
        abort(404)
    return placement, item, version


def _render_print(placement: Placement, item: Item, version: SignedVersion) -> str:
    session = get_session()
    signatures = [
        s for s in signing.signatures_of(session, item) if s.signed_version_id == version.id
    ]
    signers = users_by_id(session, {s.signer_id for s in signatures})
    return render_template(
        "signing/print.html",
        placement=placement,
        version=version,
        document=DOCUMENTS[item.kind],
        spec=SPECS[item.kind],
        signatures=sorted(signatures, key=lambda s: s.signed_at),
        signer_names={user_id: user.name for user_id, user in signers.items()},
        role_names=signing.ROLE_NAMES,
        matches=version.voided_at is None
        and signing.current_hash(session, item) == version.content_hash,
        check_url=url_for("verify.check", _external=True),
    )


@bp.get(DOC + "/versies/<int:version_id>")
@login_required
def print_view(placement_id: int, doc: str, version_id: int):
    """A signed version as it was signed, with its signatures and verification code."""
    return _render_print(*_version_of(placement_id, doc, version_id))


@bp.get(DOC + "/versies/<int:version_id>/pdf")
@login_required
def pdf(placement_id: int, doc: str, version_id: int):
    """The same signed version as a PDF (for the archive or to send on)."""
    placement, item, version = _version_of(placement_id, doc, version_id)
    document = html_to_pdf(_render_print(placement, item, version), base_url=request.host_url)
    response = make_response(document)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{DOCUMENTS[item.kind].slug}-{version.code}.pdf"'
    )
    return response

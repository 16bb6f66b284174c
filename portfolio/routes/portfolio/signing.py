"""Signing the stagepakket (offer, sign, reopen), its signed versions, print view and PDF.

The rules live in portfolio.domain.signing and portfolio.domain.verification; the public
page that checks a printed copy's code is portfolio/routes/verify.py.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio.access import can_student_write, is_owner, load_placement, require_student_write
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import items as ops
from portfolio.domain import signing, verification
from portfolio.domain.errors import DomainError
from portfolio.domain.evaluation import users_by_id
from portfolio.domain.steps import SPECS
from portfolio.models import Item, ItemKind, Placement, SignedVersion
from portfolio.pdf import html_to_pdf
from portfolio.routes.portfolio import bp
from portfolio.routes.portfolio.common import BASE, require_visible

PACKAGE = BASE + "/stagepakket"


def _package_url(placement: Placement) -> str:
    return url_for("portfolio.part", placement_id=placement.id, slug="stagepakket")


def _package(placement: Placement) -> Item:
    """Load the placement's stagepakket (it exists once the student opened its page)."""
    item = ops.find_item(get_session(), placement, ItemKind.STAGEPAKKET, ops.Scope())
    if item is None:
        raise DomainError("Het stagepakket is nog leeg; vul het eerst in.")
    return item


def signature_context(placement: Placement, item: Item | None) -> dict:
    """The signing state of a document for its page: who signed, what is asked of the viewer."""
    session = get_session()
    signatures, attachments, versions, valid, current = [], [], [], {}, None
    if item is not None:  # readers of a package the student never opened see an empty one
        signatures = signing.signatures_of(session, item)
        attachments = signing.attachments_of(session, item)
        versions = verification.versions_of(session, item)
        valid = signing.valid_signatures(item, signatures, attachments)
        current = signing.content_hash(item, attachments)
    live = next((v for v in versions if v.voided_at is None and v.content_hash == current), None)
    requested = next((v for v in versions if v.voided_at is None and v.requested_at), None)
    my_role = signing.signer_role(current_user, placement)
    # The student signs only while the portfolio is open; mentor and supervisor also after.
    student_may_write = not is_owner(current_user, placement) or can_student_write(
        current_user, placement
    )
    signers = users_by_id(session, {s.signer_id for s in signatures})
    return {
        "valid_signatures": valid,
        "voided_roles": {s.role for s in signatures if s.voided_at is not None} - set(valid),
        "signer_names": {user_id: user.name for user_id, user in signers.items()},
        "signing_roles": signing.SIGNING_ROLES,
        "role_names": signing.ROLE_NAMES,
        "my_signing_role": my_role,
        "can_sign": bool(item and my_role and my_role not in valid and student_may_write),
        "fully_signed": signing.is_fully_signed(item, signatures, attachments),
        "locked": signing.is_locked(signatures),
        "live_version": live,
        # Offered for signing, but the text or attachments changed since: offer again.
        "changed_since_request": requested is not None and requested is not live,
        "signed_versions": versions,
    }


def _student_package(placement_id: int) -> tuple[Placement, Item]:
    placement = load_placement(placement_id)
    require_student_write(placement)
    return placement, _package(placement)


@bp.post(PACKAGE + "/aanbieden")
@login_required
def request_signatures(placement_id: int):
    """The student offers the package as it is now for signing."""
    placement, item = _student_package(placement_id)
    signing.request_signatures(get_session(), item, placement, actor=current_user, moment=now())
    flash(
        "Je stagepakket is ter ondertekening aangeboden aan je mentor en stagebegeleider.",
        "success",
    )
    return redirect(_package_url(placement), 303)


@bp.post(PACKAGE + "/ondertekenen")
@login_required
def sign(placement_id: int):
    """Sign the stagepakket as it is now (student, mentor or fixed supervisor)."""
    placement = load_placement(placement_id)
    # Who may sign comes before what is signed: a non-party gets a 403, not "still empty".
    signing.require_signer(current_user, placement)
    if is_owner(current_user, placement):
        require_student_write(placement)
    session = get_session()
    item = _package(placement)
    signing.sign(session, item, placement, signer=current_user, moment=now())
    if signing.is_fully_signed(item, signing.signatures_of(session, item)):
        flash(
            "Je ondertekende het stagepakket. Het is nu door alle partijen ondertekend.", "success"
        )
    else:
        flash("Je ondertekende het stagepakket.", "success")
    return redirect(_package_url(placement), 303)


@bp.get(PACKAGE + "/wijzigen")
@login_required
def confirm_reopen(placement_id: int):
    """Ask before a signed package is reopened: changing it voids every signature."""
    placement, item = _student_package(placement_id)
    if not signing.is_locked(signing.signatures_of(get_session(), item)):
        return redirect(_package_url(placement), 303)
    return render_template(
        "signing/confirm_reopen.html",
        placement=placement,
        message=signing.LOCKED_MESSAGE,
        back_url=_package_url(placement),
    )


@bp.post(PACKAGE + "/wijzigen")
@login_required
def reopen(placement_id: int):
    """Reopen the package for changes after the confirmation; every signature is voided."""
    placement, item = _student_package(placement_id)
    voided = signing.reopen(get_session(), item, placement, actor=current_user, moment=now())
    if voided:
        flash(
            "Je kan je stagepakket weer wijzigen. De handtekeningen zijn vervallen; "
            "bied het daarna opnieuw ter ondertekening aan.",
            "success",
        )
    return redirect(_package_url(placement), 303)


# ---------------------------------------------------------------- signed versions


def _readable_package(placement_id: int) -> tuple[Placement, Item]:
    placement = load_placement(placement_id)
    require_visible(placement, ItemKind.STAGEPAKKET)
    item = ops.find_item(get_session(), placement, ItemKind.STAGEPAKKET, ops.Scope())
    if item is None:
        abort(404)
    return placement, item


@bp.get(PACKAGE + "/handtekeningen")
@login_required
def versions(placement_id: int):
    """Who signed which version (hash, time, role) and whether it still matches."""
    placement, item = _readable_package(placement_id)
    session = get_session()
    context = signature_context(placement, item)
    signatures = signing.signatures_of(session, item)
    by_version: dict[int | None, list] = {}
    for signature in sorted(signatures, key=lambda s: s.signed_at):
        by_version.setdefault(signature.signed_version_id, []).append(signature)
    return render_template(
        "signing/versions.html",
        placement=placement,
        item=item,
        current_hash=signing.current_hash(session, item),
        by_version=by_version,
        **context,
    )


def _version_of(placement_id: int, version_id: int) -> tuple[Placement, Item, SignedVersion]:
    placement, item = _readable_package(placement_id)
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
        spec=SPECS[item.kind],
        signatures=sorted(signatures, key=lambda s: s.signed_at),
        signer_names={user_id: user.name for user_id, user in signers.items()},
        role_names=signing.ROLE_NAMES,
        matches=version.voided_at is None
        and signing.current_hash(session, item) == version.content_hash,
        check_url=url_for("verify.check", _external=True),
    )


@bp.get(PACKAGE + "/versies/<int:version_id>")
@login_required
def print_view(placement_id: int, version_id: int):
    """A signed version as it was signed, with its signatures and verification code."""
    return _render_print(*_version_of(placement_id, version_id))


@bp.get(PACKAGE + "/versies/<int:version_id>/pdf")
@login_required
def pdf(placement_id: int, version_id: int):
    """The same signed version as a PDF (for the archive or to send on)."""
    placement, item, version = _version_of(placement_id, version_id)
    document = html_to_pdf(_render_print(placement, item, version), base_url=request.host_url)
    response = make_response(document)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="stagepakket-{version.code}.pdf"'
    )
    return response

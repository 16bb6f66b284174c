"""What a signed document's page (and an export of it) shows about its signatures.

One view for both: the portfolio page adds who is reading and whether they may sign now.
"""

from __future__ import annotations

from sqlmodel import Session, select

from portfolio.domain import signing, verification
from portfolio.domain.placement_documents import (
    DOCUMENTS,
    ROLE_NAMES,
    STAGEPAKKET,
    parties_text,
    required_roles,
)
from portfolio.models import Item, Placement, User


def signature_view(
    session: Session,
    item: Item | None,
    placement: Placement,
    *,
    kind: str = STAGEPAKKET.kind,
    viewer: User | None,
    viewer_may_sign: bool = True,
) -> dict:
    """Return the signing state of a document as its page (or an export) shows it.

    Who signed this exact content and what was voided, the signed versions, and what is
    asked of the viewer (None: an export, whose reader signs nothing). viewer_may_sign is
    False for a student whose portfolio closed (mentor and supervisor still sign then).
    """
    kind = item.kind if item is not None else kind
    doc = DOCUMENTS[kind]
    roles = required_roles(session, kind)
    signatures, attachments, versions, valid, current = [], [], [], {}, None
    if item is not None:  # readers of a document the student never opened see an empty one
        signatures = signing.signatures_of(session, item)
        attachments = signing.attachments_of(session, item)
        versions = verification.versions_of(session, item)
        valid = signing.valid_signatures(item, signatures, attachments)
        current = signing.content_hash(item, attachments)
    live = next((v for v in versions if v.voided_at is None and v.content_hash == current), None)
    requested = next((v for v in versions if v.voided_at is None and v.requested_at), None)
    my_role = signing.signer_role(viewer, placement, roles) if viewer is not None else None
    signer_ids = {s.signer_id for s in signatures}
    signers = session.exec(select(User).where(User.id.in_(signer_ids))).all() if signer_ids else []
    return {
        "document": doc,
        "signable": True,
        "valid_signatures": valid,
        # Roles whose signature no longer counts (reopened, or the content changed since).
        "voided_roles": {s.role for s in signatures} - set(valid),
        "signer_names": {user.id: user.name for user in signers},
        "signing_roles": roles,
        "parties_text": parties_text(roles) if roles else "",
        "role_names": ROLE_NAMES,
        "my_signing_role": my_role,
        "can_sign": bool(item and my_role and my_role not in valid and viewer_may_sign),
        "fully_signed": signing.is_fully_signed(item, signatures, attachments, roles=roles),
        "locked": signing.is_locked(signatures),
        "live_version": live,
        # Offered for signing, but the text or attachments changed since: offer again.
        "changed_since_request": requested is not None and requested is not live,
        "signed_versions": versions,
    }

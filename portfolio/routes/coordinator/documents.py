"""Routes of the coordinator's area: the optional placement documents (stageovereenkomst,
risicoanalyse): in use or not, and which parties sign them."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portfolio import coordinator_forms as forms
from portfolio.db import get_session
from portfolio.domain import placement_documents as documents
from portfolio.routes.coordinator import bp, form_page, submit_form


@bp.route("/documenten", methods=["GET", "POST"])
def document_settings():
    """Switch the placement contract and the risk analysis on or off; choose who signs."""
    session = get_session()
    per_document = {}
    for doc in documents.OPTIONAL:
        setting = documents.document_setting(session, doc.kind)
        # Each document has its own form; only the posted one reads the request.
        posted = request.method == "POST" and request.form.get("document") == doc.slug
        per_document[doc] = forms.DocumentForm(
            prefix=doc.slug,
            formdata=None if not posted else request.form,
            enabled=setting.enabled,
            roles=list(setting.roles),
        )
    chosen = documents.BY_SLUG.get(request.form.get("document", ""))
    if request.method == "POST" and chosen in per_document:
        form = per_document[chosen]

        def save():
            documents.set_document(
                session,
                chosen.kind,
                enabled=form.enabled.data,
                roles=form.roles.data or [],
                actor=current_user,
            )
            flash(f"De instellingen voor de {chosen.noun} zijn bewaard.", "success")
            return True

        if submit_form(form, save):
            return redirect(url_for(".document_settings"), 303)
    else:
        form = next(iter(per_document.values()))
    return form_page("coordinator/documents.html", form, per_document=per_document)

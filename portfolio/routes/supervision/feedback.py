"""Routes: the feedback panel of one item: read it, give feedback, ask for it, reply."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio import access
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import attitudes as attitude_ops
from portfolio.domain import feedback as feedback_ops
from portfolio.domain import item_labels
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import FieldError
from portfolio.domain.steps import SPECS
from portfolio.errors import is_htmx
from portfolio.mail import public_url
from portfolio.models import Feedback, Item, Placement, Role
from portfolio.routes.form_input import whole_number
from portfolio.routes.supervision import bp


def item_label(item: Item) -> str:
    """Name an item with its day, offer or attitude (domain/item_labels.py)."""
    return item_labels.item_label(get_session(), item)


def load_item(placement_id: int, item_id: int) -> tuple[Placement, Item]:
    """Load a placement the user may see (404/403), then its item (404) of a visible kind (403)."""
    placement = access.load_placement(placement_id)
    item = get_session().get(Item, item_id)
    if item is None or item.placement_id != placement.id or item.deleted_at is not None:
        abort(404)
    if not access.can_view_item_kind(current_user, placement, item.kind):
        abort(403)
    return placement, item


def _panel_context(placement: Placement, item: Item, **extra) -> dict:
    session = get_session()
    can_write = access.can_give_feedback(current_user, placement, item.kind)
    is_owner = access.is_owner(current_user, placement)
    context = dict(
        placement=placement,
        item=item,
        thread=feedback_ops.item_thread(session, placement, item),
        open_requests=feedback_ops.open_requests(session, item),
        attitudes=attitude_ops.active_attitudes(session) if can_write else [],
        kinds=[
            (k, v) for k, v in feedback_ops.KIND_LABELS.items() if k != feedback_ops.MENTOR_NOTE
        ],
        can_write=can_write,
        is_mentor=current_user.role == Role.MENTOR,
        is_owner=is_owner,
        owner_can_write=is_owner and not is_closed(placement, now()),
        errors={},
        values={},
    )
    context["can_reply"] = context["owner_can_write"] or can_write
    context.update(extra)
    return context


def _render_panel(placement: Placement, item: Item, status: int = 200, **extra):
    context = _panel_context(placement, item, **extra)
    if is_htmx():
        response = make_response(
            render_template("supervision/partials/_item_feedback.html", **context), status
        )
    else:
        response = make_response(
            render_template(
                "supervision/item.html",
                spec=SPECS.get(item.kind),
                label=item_label(item),
                **context,
            ),
            status,
        )
    response.headers["Vary"] = "HX-Request"
    return response


def _write(placement: Placement, item: Item, operation, *, message: str, values: dict, key=None):
    """Run a feedback write; bad input re-renders the panel (422) with the message by its field.

    Success: for htmx the fresh panel with a notice, otherwise a redirect to the item's page.
    """
    try:
        operation()
    except FieldError as error:
        return _render_panel(
            placement, item, 422, errors={key or error.field: error.message}, values=values
        )
    if is_htmx():
        return _render_panel(placement, item, notice=message)
    flash(message, "success")
    return redirect(
        url_for("supervision.item_page", placement_id=placement.id, item_id=item.id)
        + f"#feedback-{item.id}",
        303,
    )


@bp.get("/stages/<int:placement_id>/items/<int:item_id>/feedback")
@login_required
def item_page(placement_id: int, item_id: int):
    """The item read-only with its feedback panel (for supervisors from the overview)."""
    placement, item = load_item(placement_id, item_id)
    context = _panel_context(placement, item)
    return render_template(
        "supervision/item.html", spec=SPECS.get(item.kind), label=item_label(item), **context
    )


@bp.get("/stages/<int:placement_id>/items/<int:item_id>/feedback/paneel")
@login_required
def item_feedback(placement_id: int, item_id: int):
    """The feedback panel alone (lazy-loaded beside an item); without htmx, the full page."""
    placement, item = load_item(placement_id, item_id)
    if not is_htmx():
        return redirect(
            url_for("supervision.item_page", placement_id=placement_id, item_id=item_id)
        )
    return _render_panel(placement, item)


def _about(placement: Placement, item: Item, anchor: str) -> dict:
    """What a notification mail names: the item's label and an absolute link to the spot."""
    url = public_url("supervision.item_page", placement_id=placement.id, item_id=item.id)
    return {"label": item_label(item), "url": f"{url}#{anchor}"}


def _attitude_ids(values: list[str]) -> list[int]:
    ids = [whole_number(v) for v in values]
    if None in ids:
        raise FieldError("Kies alleen attitudes uit de lijst.", field="attitudes")
    return ids


@bp.post("/stages/<int:placement_id>/items/<int:item_id>/feedback")
@login_required
def give_feedback(placement_id: int, item_id: int):
    placement, item = load_item(placement_id, item_id)
    access.require_feedback_author(placement, item.kind)
    form = request.form

    def operation():
        feedback = feedback_ops.give_feedback(
            get_session(),
            placement=placement,
            item=item,
            author=current_user,
            kind=form.get("kind"),
            body=form.get("body"),
            attitude_ids=_attitude_ids(form.getlist("attitudes")),
            request_id=whole_number(form.get("request_id")),
            moment=now(),
        )
        feedback_ops.notify_feedback(
            get_session(),
            feedback,
            placement=placement,
            **_about(placement, item, f"fb-{feedback.id}"),
        )

    is_mentor = current_user.role == Role.MENTOR
    return _write(
        placement,
        item,
        operation,
        message="Je notitie is bewaard." if is_mentor else "Je feedback is bewaard.",
        values={
            "kind": form.get("kind", ""),
            "body": form.get("body", ""),
            "attitudes": form.getlist("attitudes"),
        },
    )


@bp.post("/stages/<int:placement_id>/items/<int:item_id>/feedbackvragen")
@login_required
def ask_feedback(placement_id: int, item_id: int):
    placement, item = load_item(placement_id, item_id)
    access.require_student_write(placement)
    question = request.form.get("question", "")

    def operation():
        asked = feedback_ops.ask_feedback(
            get_session(),
            placement=placement,
            item=item,
            student=current_user,
            question=question,
            moment=now(),
        )
        feedback_ops.notify_request(
            get_session(),
            asked,
            placement=placement,
            **_about(placement, item, f"feedback-{item.id}"),
        )

    return _write(
        placement,
        item,
        operation,
        message="Je vraag om feedback is verstuurd naar je begeleiders.",
        values={"question": question},
    )


@bp.post("/stages/<int:placement_id>/items/<int:item_id>/feedback/<int:feedback_id>/antwoorden")
@login_required
def reply(placement_id: int, item_id: int, feedback_id: int):
    placement, item = load_item(placement_id, item_id)
    feedback = get_session().get(Feedback, feedback_id)
    if feedback is None or feedback.item_id != item.id:
        abort(404)
    if access.is_owner(current_user, placement):
        access.require_student_write(placement)
    else:
        access.require_feedback_author(placement, item.kind)
    body = request.form.get("body", "")
    key = f"reply-{feedback.id}"

    def operation():
        answer = feedback_ops.reply_to(
            get_session(), feedback=feedback, author=current_user, body=body, moment=now()
        )
        feedback_ops.notify_reply(
            get_session(),
            answer,
            feedback=feedback,
            **_about(placement, item, f"fb-{feedback.id}"),
        )

    return _write(
        placement,
        item,
        operation,
        message="Je antwoord is bewaard.",
        values={key: body},
        key=key,
    )

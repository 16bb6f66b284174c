"""Routes: what the stagebegeleider does daily — the students overview, exemplary feedback
anchored to items (with the student's requests and replies), and the coordinator's attitude list.
"""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func
from sqlmodel import select

from portfolio import access
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import attitudes as attitude_ops
from portfolio.domain import feedback as feedback_ops
from portfolio.domain import item_labels
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import FieldError, Forbidden
from portfolio.domain.overview import FILTERS, SORTS, OverviewOptions, build_overview
from portfolio.domain.steps import MENTOR_VISIBLE_KINDS, SPECS
from portfolio.errors import is_htmx
from portfolio.mail import public_url
from portfolio.models import Attitude, Feedback, FeedbackRequest, Item, Placement, Role, User
from portfolio.pagination import Pager
from portfolio.routes.form_input import whole_number

bp = Blueprint("supervision", __name__)


# ---------------------------------------------------------------- the students overview


@bp.get("/studenten")
@login_required
def overview():
    if current_user.role not in (Role.SUPERVISOR, Role.COORDINATOR):
        raise Forbidden("Dit overzicht is er voor stagebegeleiders en de stagecoördinator.")
    options = OverviewOptions.parse(request.args)
    page = build_overview(
        get_session(),
        visible=access.visible_placements_clause(current_user),
        viewer_id=current_user.id,
        moment=now(),
        options=options,
        pager=Pager.from_args(request.args),
    )
    return render_template(
        "supervision/overview.html", page=page, options=options, filters=FILTERS, sorts=SORTS
    )


# ---------------------------------------------------------------- one placement's feedback


def item_label(item: Item) -> str:
    """Name an item with its day, offer or attitude (domain/item_labels.py)."""
    return item_labels.item_label(get_session(), item)


@bp.get("/stages/<int:placement_id>/feedback")
@login_required
def placement_feedback(placement_id: int):
    """List the placement's items (those this person may see) with feedback and open requests."""
    placement = access.load_placement(placement_id)
    session = get_session()
    query = select(Item).where(Item.placement_id == placement.id, Item.deleted_at.is_(None))
    if current_user.role == Role.MENTOR:
        query = query.where(Item.kind.in_(MENTOR_VISIBLE_KINDS))
    step_order = {kind: n for n, kind in enumerate(SPECS)}
    items = sorted(
        session.exec(query),
        key=lambda i: (
            step_order.get(i.kind, len(step_order)),
            i.day or date.min,
            i.position,
            i.id,
        ),
    )
    counts = dict(
        session.exec(
            select(Feedback.item_id, func.count(Feedback.id))
            .where(Feedback.placement_id == placement.id)
            .group_by(Feedback.item_id)
        ).all()
    )
    visible_ids = {item.id for item in items}
    requests = [
        r
        for r in session.exec(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.placement_id == placement.id,
                FeedbackRequest.resolved_at.is_(None),
            )
            .order_by(FeedbackRequest.asked_at)
        )
        if r.item_id in visible_ids
    ]
    student = session.get(User, placement.student_id)
    return render_template(
        "supervision/placement.html",
        placement=placement,
        student=student,
        items=items,
        items_by_id={item.id: item for item in items},
        counts=counts,
        requests=requests,
        labels=item_labels.item_labels(session, items),
    )


# ---------------------------------------------------------------- the feedback panel of one item


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


# ---------------------------------------------------------------- the coordinator's attitude list


def _load_attitude(attitude_id: int) -> Attitude:
    access.require_coordinator()
    attitude = get_session().get(Attitude, attitude_id)
    if attitude is None:
        abort(404)
    return attitude


def _attitudes_page(status: int = 200, errors: dict | None = None, values: dict | None = None):
    session = get_session()
    return (
        render_template(
            "supervision/attitudes.html",
            attitudes=attitude_ops.all_attitudes(session),
            used=attitude_ops.used_attitude_ids(session),
            errors=errors or {},
            values=values or {},
        ),
        status,
    )


@bp.route("/beheer/attitudes", methods=["GET", "POST"])
@login_required
def attitudes():
    access.require_coordinator()
    if request.method == "GET":
        return _attitudes_page()
    try:
        attitude = attitude_ops.add_attitude(
            get_session(),
            name=request.form.get("name", ""),
            description=request.form.get("description", ""),
            actor=current_user,
        )
    except FieldError as error:
        return _attitudes_page(
            422, errors={("new", error.field): error.message}, values={"new": request.form}
        )
    flash(f"Attitude '{attitude.name}' toegevoegd.", "success")
    return redirect(url_for("supervision.attitudes"), 303)


@bp.post("/beheer/attitudes/<int:attitude_id>")
@login_required
def attitude_update(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    try:
        attitude_ops.update_attitude(
            get_session(),
            attitude,
            name=request.form.get("name", ""),
            description=request.form.get("description", ""),
            actor=current_user,
        )
    except FieldError as error:
        return _attitudes_page(
            422,
            errors={(attitude.id, error.field): error.message},
            values={attitude.id: request.form},
        )
    flash(f"Attitude '{attitude.name}' bewaard.", "success")
    return redirect(url_for("supervision.attitudes") + f"#attitude-{attitude.id}", 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/verplaatsen")
@login_required
def attitude_move(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    direction = request.form.get("richting")
    if direction not in ("omhoog", "omlaag"):
        abort(422)
    attitude_ops.move_attitude(
        get_session(), attitude, up=direction == "omhoog", actor=current_user
    )
    return redirect(url_for("supervision.attitudes") + f"#attitude-{attitude.id}", 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/archiveren")
@login_required
def attitude_archive(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    attitude_ops.archive_attitude(get_session(), attitude, moment=now(), actor=current_user)
    flash(
        f"Attitude '{attitude.name}' gearchiveerd: ze blijft zichtbaar bij oude feedback.",
        "success",
    )
    return redirect(url_for("supervision.attitudes"), 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/herstellen")
@login_required
def attitude_restore(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    try:
        attitude_ops.restore_attitude(get_session(), attitude, actor=current_user)
    except FieldError as error:
        return _attitudes_page(422, errors={(attitude.id, "restore"): error.message})
    flash(f"Attitude '{attitude.name}' staat weer in de lijst.", "success")
    return redirect(url_for("supervision.attitudes"), 303)


@bp.post("/beheer/attitudes/<int:attitude_id>/verwijderen")
@login_required
def attitude_delete(attitude_id: int):
    attitude = _load_attitude(attitude_id)
    name = attitude.name
    attitude_ops.delete_attitude(get_session(), attitude, actor=current_user)
    flash(f"Attitude '{name}' verwijderd.", "success")
    return redirect(url_for("supervision.attitudes"), 303)

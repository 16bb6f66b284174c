"""Routes: the supervisor's students overview and one placement's items with their feedback."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import func
from sqlmodel import select

from portfolio import access
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import item_labels
from portfolio.domain.errors import Forbidden
from portfolio.domain.overview import (
    FILTERS,
    SORTS,
    OverviewOptions,
    build_overview,
    is_costly_order,
)
from portfolio.domain.steps import MENTOR_VISIBLE_KINDS, SPECS
from portfolio.models import Feedback, FeedbackRequest, Item, Role, User
from portfolio.pagination import Pager
from portfolio.routes.supervision import bp
from portfolio.ttl_cache import TTLCache, app_cache


@bp.get("/studenten")
@login_required
def overview():
    if current_user.role not in (Role.SUPERVISOR, Role.COORDINATOR):
        raise Forbidden("Dit overzicht is er voor stagebegeleiders en de stagecoördinator.")
    options = OverviewOptions.parse(request.args)
    # The whole programme's costly orders are kept a while: paging through them (and coming
    # back to them) does not sort 15,000 placements each time. A supervisor's list is small.
    remembered = current_user.role == Role.COORDINATOR and is_costly_order(options)
    page = build_overview(
        get_session(),
        visible=access.visible_placements_clause(current_user),
        viewer_id=current_user.id,
        moment=now(),
        options=options,
        pager=Pager.from_args(request.args),
        remember=_programme_orders().get_or_compute if remembered else None,
    )
    return render_template(
        "supervision/overview.html",
        page=page,
        options=options,
        filters=FILTERS,
        sorts=SORTS,
        order_seconds=current_app.config["OVERVIEW_ORDER_SECONDS"] if remembered else 0,
    )


def _programme_orders() -> TTLCache:
    # At most 32 orders of up to 15,000 ids (60 kB each as an array of ints).
    return app_cache("overview_orders", "OVERVIEW_ORDER_SECONDS", max_entries=32)


# ---------------------------------------------------------------- one placement's feedback


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

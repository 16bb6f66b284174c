"""Rows for the benchmarks: a realistic portfolio per placement, added in bulk."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from portfolio.models import (
    Feedback,
    FeedbackKind,
    FeedbackRequest,
    Item,
    ItemKind,
    ItemVersion,
    Placement,
    StageDay,
)

DESIGN = {k: "Ingevuld." for k in ("beginsituatie", "doel", "aanbod", "begeleiding", "organisatie")}


def add_items(
    db,
    placement: Placement,
    *,
    author_id: int,
    supervisor_id: int | None,
    days: list[StageDay] | None = None,
) -> None:
    """Give a placement a realistic portfolio: per stage day an offer with a ready design and
    an agenda, a reflection on two days of three, and on the first day a question for
    feedback (answered when a supervisor is given). Rows are added directly, no versions
    beyond the first. With `days`, only those days get items (and no feedback)."""
    with_feedback = days is None
    if days is None:
        days = db.exec(
            select(StageDay).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
        ).all()
    moment = datetime(2025, 9, 1, 8, tzinfo=UTC)
    items: list[Item] = []
    for index, day in enumerate(days):
        scope = dict(placement_id=placement.id, stage_day_id=day.id, day=day.day)
        offer = Item(kind=ItemKind.AANBOD, title=f"Aanbod {index + 1}", **scope)
        offer.content = {"tijd": "9.00 - 9.45", "omschrijving": "Met de klas.", "bron": "eigen"}
        db.add(offer)
        db.flush()  # the design names its offer
        design = Item(kind=ItemKind.DENKWERK, parent_id=offer.id, content=DESIGN, **scope)
        design.completed_at = moment
        items += [offer, design]
        items.append(Item(kind=ItemKind.AGENDA, content={"verloop": "Kring, hoeken."}, **scope))
        if index % 3 != 2:
            answers = {"wat_gebeurde": "Iets.", "waaraan_lag": "Dit.", "meenemen": "Dat."}
            items.append(Item(kind=ItemKind.REFLECTIE, content=answers, **scope))
    for item in items:
        item.created_by_id = item.updated_by_id = author_id
    db.add_all(items)
    db.flush()
    db.add_all(
        ItemVersion(item_id=i.id, version=1, content=i.content, saved_by_id=author_id)
        for i in items
    )
    if with_feedback:
        reflection = next(i for i in items if i.kind == ItemKind.REFLECTIE)
        db.add(FeedbackRequest(placement_id=placement.id, item_id=reflection.id, question="Goed?"))
        if supervisor_id:
            db.add(
                Feedback(
                    placement_id=placement.id,
                    item_id=reflection.id,
                    author_id=supervisor_id,
                    kind=FeedbackKind.SUGGESTION,
                    body="Kijk ook naar wat jij deed.",
                )
            )
    db.flush()

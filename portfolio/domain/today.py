"""The student's "Vandaag" card: what today asks for, each thing pointing at its page.

A fixed number of queries whatever the number of stage days, items or feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, func, literal, union_all
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from portfolio.bound_lists import in_list
from portfolio.domain import signing
from portfolio.domain.item_labels import item_labels
from portfolio.domain.progress import DayStatus
from portfolio.models import (
    Feedback,
    FeedbackReply,
    FeedbackRequest,
    Item,
    ItemKind,
    Placement,
    Signature,
    Warning,
)

# Feedback and replies younger than this count as new on the card.
NEW_FEEDBACK_DAYS = 7
MAX_NEWS = 5


@dataclass
class News:
    """A feedback or a reply someone else wrote on one of the student's items."""

    item_id: int
    item_label: str
    is_reply: bool
    at: datetime
    anchor: str


@dataclass
class TodayCard:
    reflection_day: DayStatus | None  # today if it is a stage day, else the last one before
    next_day: DayStatus | None  # the first stage day after today
    news: list[News] = field(default_factory=list)
    open_requests: list[tuple[FeedbackRequest, str]] = field(default_factory=list)
    warnings: int = 0
    package_state: str = "ontbreekt"  # ontbreekt, niet ondertekend, ondertekend


def pick_days(statuses: list[DayStatus], today: date) -> tuple[DayStatus | None, DayStatus | None]:
    """Today's (or the last past) stage day to reflect on, and the next one to prepare."""
    past = [s for s in statuses if s.day <= today]
    coming = [s for s in statuses if s.day > today]
    return (past[-1] if past else None, coming[0] if coming else None)


# The card's statements are built once, with bound parameters: on a page this cheap to run,
# building a statement (a UNION above all) cost more CPU than the database took to answer it.
PLACEMENT, STUDENT, SINCE = bindparam("placement_id"), bindparam("student_id"), bindparam("since")

_NEWS = union_all(
    select(
        Feedback.id.label("id"),
        Feedback.item_id.label("item_id"),
        Feedback.created_at.label("at"),
        literal(False).label("is_reply"),
    ).where(
        Feedback.placement_id == PLACEMENT,
        Feedback.created_at >= SINCE,
        Feedback.item_id.is_not(None),
        Feedback.author_id != STUDENT,
    ),
    select(FeedbackReply.feedback_id, Feedback.item_id, FeedbackReply.created_at, literal(True))
    .join(Feedback, Feedback.id == FeedbackReply.feedback_id)
    .where(
        Feedback.placement_id == PLACEMENT,
        FeedbackReply.created_at >= SINCE,
        FeedbackReply.author_id != STUDENT,
    ),
).subquery()
NEWS = select(_NEWS).order_by(_NEWS.c.at.desc()).limit(MAX_NEWS)

OPEN_REQUESTS = (
    select(FeedbackRequest)
    .where(FeedbackRequest.placement_id == PLACEMENT, FeedbackRequest.resolved_at.is_(None))
    .order_by(FeedbackRequest.asked_at)
    .limit(MAX_NEWS)
)

# Items to name, without their content (labels need kind, title, day and parent).
ITEMS_TO_NAME = select(Item).options(defer(Item.content)).where(in_list(Item.id, "ids"))

WARNINGS = select(func.count(Warning.id)).where(Warning.placement_id == PLACEMENT)

# The stagepakket with its signatures, without its content (the lock vouches for it).
PACKAGE = (
    select(Item, Signature)
    .options(defer(Item.content))
    .outerjoin(Signature, Signature.item_id == Item.id)
    .where(
        Item.placement_id == PLACEMENT,
        Item.kind == ItemKind.STAGEPAKKET,
        Item.deleted_at.is_(None),
    )
    .order_by(Item.id)
)


def today_card(
    session: Session,
    placement: Placement,
    statuses: list[DayStatus],
    *,
    today: date,
    moment: datetime,
) -> TodayCard:
    """Gather the card for the placement's student at this moment."""
    reflection_day, next_day = pick_days(statuses, today)
    card = TodayCard(reflection_day=reflection_day, next_day=next_day)
    of_placement = {"placement_id": placement.id}
    news = list(
        session.execute(
            NEWS,
            of_placement
            | {
                "student_id": placement.student_id,
                "since": moment - timedelta(days=NEW_FEEDBACK_DAYS),
            },
        )
    )
    requests = list(session.exec(OPEN_REQUESTS, params=of_placement))
    # The items of the news and of the open requests are named together (one lookup).
    item_ids = {row.item_id for row in news} | {r.item_id for r in requests}
    days = {s.stage_day.id: s.day for s in statuses}
    labels = {}
    if item_ids:
        items = session.exec(ITEMS_TO_NAME, params={"ids": sorted(item_ids)}).all()
        labels = item_labels(session, list(items), days)
    card.news = [
        News(row.item_id, labels.get(row.item_id, ""), row.is_reply, row.at, f"fb-{row.id}")
        for row in news
    ]
    card.open_requests = [(r, labels.get(r.item_id, "")) for r in requests]
    card.warnings = session.exec(WARNINGS, params=of_placement).one()
    card.package_state = _package_state(session.exec(PACKAGE, params=of_placement).all())
    return card


def _package_state(rows) -> str:
    """The stagepakket's state from its rows of (package, signature or None)."""
    if not rows:
        return "ontbreekt"
    package = rows[0][0]
    signatures = [sig for item, sig in rows if item is package and sig is not None]
    if signing.is_fully_signed(package, signatures):
        return "ondertekend"
    return "niet ondertekend"

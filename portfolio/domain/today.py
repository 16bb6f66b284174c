"""The student's "Vandaag" card: what today asks for, each thing pointing at its page.

A fixed number of queries whatever the number of stage days, items or feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, literal, union_all
from sqlalchemy.orm import defer
from sqlmodel import Session, select

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
    news = _news_rows(session, placement, since=moment - timedelta(days=NEW_FEEDBACK_DAYS))
    requests = list(
        session.exec(
            select(FeedbackRequest)
            .where(
                FeedbackRequest.placement_id == placement.id,
                FeedbackRequest.resolved_at.is_(None),
            )
            .order_by(FeedbackRequest.asked_at)
            .limit(MAX_NEWS)
        )
    )
    # The items of the news and of the open requests are named together (one lookup).
    item_ids = {row.item_id for row in news} | {r.item_id for r in requests}
    days = {s.stage_day.id: s.day for s in statuses}
    labels = item_labels(session, _items(session, item_ids), days) if item_ids else {}
    card.news = [
        News(row.item_id, labels.get(row.item_id, ""), row.is_reply, row.at, f"fb-{row.id}")
        for row in news
    ]
    card.open_requests = [(r, labels.get(r.item_id, "")) for r in requests]
    card.warnings = session.exec(
        select(func.count(Warning.id)).where(Warning.placement_id == placement.id)
    ).one()
    card.package_state = _package_state(session, placement)
    return card


def _items(session: Session, ids: set[int]) -> list[Item]:
    """Items to name, without their content (labels need kind, title, day and parent)."""
    return list(session.exec(select(Item).options(defer(Item.content)).where(Item.id.in_(ids))))


def _news_rows(session: Session, placement: Placement, *, since: datetime) -> list:
    """The newest feedback and replies by others on this placement's items (one query)."""
    feedback = select(
        Feedback.id.label("id"),
        Feedback.item_id.label("item_id"),
        Feedback.created_at.label("at"),
        literal(False).label("is_reply"),
    ).where(
        Feedback.placement_id == placement.id,
        Feedback.created_at >= since,
        Feedback.item_id.is_not(None),
        Feedback.author_id != placement.student_id,
    )
    replies = (
        select(
            FeedbackReply.feedback_id,
            Feedback.item_id,
            FeedbackReply.created_at,
            literal(True),
        )
        .join(Feedback, Feedback.id == FeedbackReply.feedback_id)
        .where(
            Feedback.placement_id == placement.id,
            FeedbackReply.created_at >= since,
            FeedbackReply.author_id != placement.student_id,
        )
    )
    both = union_all(feedback, replies).subquery()
    return list(session.execute(select(both).order_by(both.c.at.desc()).limit(MAX_NEWS)))


def _package_state(session: Session, placement: Placement) -> str:
    """The stagepakket's state, read with its signatures in one query."""
    rows = session.exec(
        select(Item, Signature)
        .options(defer(Item.content))  # the lock vouches for the content: no hash to compute
        .outerjoin(Signature, Signature.item_id == Item.id)
        .where(
            Item.placement_id == placement.id,
            Item.kind == ItemKind.STAGEPAKKET,
            Item.deleted_at.is_(None),
        )
        .order_by(Item.id)
    ).all()
    if not rows:
        return "ontbreekt"
    package = rows[0][0]
    signatures = [sig for item, sig in rows if item is package and sig is not None]
    if signing.is_fully_signed(package, signatures):
        return "ondertekend"
    return "niet ondertekend"

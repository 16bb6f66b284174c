"""The student's "Vandaag" card: what today asks for, each thing pointing at its page.

A fixed number of queries whatever the number of stage days, items or feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func
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
    card.news = _news(session, placement, since=moment - timedelta(days=NEW_FEEDBACK_DAYS))
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
    if requests:
        items = session.exec(select(Item).where(Item.id.in_({r.item_id for r in requests})))
        labels = item_labels(session, items)
        card.open_requests = [(r, labels.get(r.item_id, "")) for r in requests]
    card.warnings = session.exec(
        select(func.count(Warning.id)).where(Warning.placement_id == placement.id)
    ).one()
    card.package_state = _package_state(session, placement)
    return card


def _news(session: Session, placement: Placement, *, since: datetime) -> list[News]:
    """The newest feedback and replies by others on this placement's items."""
    feedback = session.exec(
        select(Feedback.id, Feedback.item_id, Feedback.created_at)
        .where(
            Feedback.placement_id == placement.id,
            Feedback.created_at >= since,
            Feedback.item_id.is_not(None),
            Feedback.author_id != placement.student_id,
        )
        .order_by(Feedback.created_at.desc())
        .limit(MAX_NEWS)
    ).all()
    replies = session.exec(
        select(FeedbackReply.feedback_id, Feedback.item_id, FeedbackReply.created_at)
        .join(Feedback, Feedback.id == FeedbackReply.feedback_id)
        .where(
            Feedback.placement_id == placement.id,
            FeedbackReply.created_at >= since,
            FeedbackReply.author_id != placement.student_id,
        )
        .order_by(FeedbackReply.created_at.desc())
        .limit(MAX_NEWS)
    ).all()
    rows = [(fid, item_id, at, False) for fid, item_id, at in feedback]
    rows += [(fid, item_id, at, True) for fid, item_id, at in replies]
    rows = sorted(rows, key=lambda row: row[2], reverse=True)[:MAX_NEWS]
    if not rows:
        return []
    items = session.exec(select(Item).where(Item.id.in_({row[1] for row in rows})))
    labels = item_labels(session, items)
    return [
        News(item_id, labels.get(item_id, ""), is_reply, at, f"fb-{fid}")
        for fid, item_id, at, is_reply in rows
    ]


def _package_state(session: Session, placement: Placement) -> str:
    package = session.exec(
        select(Item).where(
            Item.placement_id == placement.id,
            Item.kind == ItemKind.STAGEPAKKET,
            Item.deleted_at.is_(None),
        )
    ).first()
    if package is None:
        return "ontbreekt"
    if signing.is_fully_signed(package, signing.signatures_of(session, package)):
        return "ondertekend"
    return "niet ondertekend"

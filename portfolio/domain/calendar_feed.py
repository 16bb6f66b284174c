"""Personal calendar feeds: the secret token (only its SHA-256 stored) and what a feed holds.

A student's feed: the stage days (OPR/R) of their placements, their guidance moments (group
sessions of their pool, 1-on-1 talks, site visits) and the portfolio's closing moment. A
supervisor's feed: the site visits and 1-on-1 talks of the students they supervise. Only
what a calendar needs: a title, a time, a place; never questions, notes or reflections.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from portfolio.domain import audit
from portfolio.domain.deadline import closes_at
from portfolio.domain.errors import Forbidden
from portfolio.models import (
    CalendarFeed,
    DayKind,
    GuidanceMoment,
    GuidanceStatus,
    GuidanceType,
    Placement,
    Role,
    StageDay,
    User,
)

FEED_ROLES = (Role.STUDENT, Role.SUPERVISOR)
SHOWN_STATUSES = (GuidanceStatus.PLANNED, GuidanceStatus.DONE)
DAY_TITLES = {DayKind.OPR: "Stagedag (OPR)", DayKind.R: "Stagedag (R)"}
SUPERVISOR_TYPES = (GuidanceType.STAGEBEZOEK, GuidanceType.EEN_OP_EEN)
TYPE_TITLES = {GuidanceType.STAGEBEZOEK: "Stagebezoek", GuidanceType.EEN_OP_EEN: "1-op-1-gesprek"}


@dataclass(frozen=True)
class FeedEvent:
    uid: str  # stable across fetches, so calendars update an event instead of adding one
    title: str
    starts: date | datetime  # a date: an all-day event
    ends: date | datetime
    location: str = ""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(session: Session, user: User) -> CalendarFeed | None:
    return session.exec(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, col(CalendarFeed.revoked_at).is_(None)
        )
    ).first()


def revoke_feed(session: Session, user: User, *, moment: datetime) -> bool:
    """Revoke the user's feed; from now on its URL gives 404. True when there was one."""
    feed = active_feed(session, user)
    if feed is None:
        return False
    feed.revoked_at = moment
    session.add(feed)
    audit.record(session, actor=user, action="calendar_feed.revoked", feed_id=feed.id)
    return True


def issue_feed(session: Session, user: User, *, moment: datetime) -> str:
    """Give the user a new feed token (revoking the old one); returns it, to be shown once."""
    if user.role not in FEED_ROLES:
        raise Forbidden("Een agenda-abonnement is er voor studenten en stagebegeleiders.")
    revoke_feed(session, user, moment=moment)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, token_hash=hash_token(token), created_at=moment)
    session.add(feed)
    session.flush()
    audit.record(session, actor=user, action="calendar_feed.issued", feed_id=feed.id)
    return token


def feed_owner(session: Session, token: str) -> User | None:
    """The person a live token belongs to; None for an unknown or revoked token."""
    row = session.exec(
        select(User)
        .join(CalendarFeed, col(CalendarFeed.user_id) == User.id)
        .where(CalendarFeed.token_hash == hash_token(token), col(CalendarFeed.revoked_at).is_(None))
    ).first()
    return row if row is not None and row.active else None


def feed_events(session: Session, user: User) -> list[FeedEvent]:
    if user.role == Role.STUDENT:
        return _student_events(session, user)
    if user.role == Role.SUPERVISOR:
        return _supervisor_events(session, user)
    return []


def _moment_event(gm: GuidanceMoment, title: str, location: str = "") -> FeedEvent:
    ends = gm.starts_at + timedelta(minutes=gm.duration_minutes)
    return FeedEvent(f"moment-{gm.id}", title, gm.starts_at, ends, location)


def _student_events(session: Session, user: User) -> list[FeedEvent]:
    placements = session.exec(select(Placement).where(Placement.student_id == user.id)).all()
    if not placements:
        return []
    by_id = {p.id: p for p in placements}
    events = [
        FeedEvent(
            f"stagedag-{d.id}",
            f"{DAY_TITLES.get(d.kind, 'Stagedag')} · {by_id[d.placement_id].site_name}",
            d.day,
            d.day + timedelta(days=1),
            by_id[d.placement_id].site_address,
        )
        for d in session.exec(
            select(StageDay).where(col(StageDay.placement_id).in_(list(by_id)))
        ).all()
    ]
    pools = {p.pool_id for p in placements if p.pool_id is not None}
    clause = col(GuidanceMoment.placement_id).in_(list(by_id))
    if pools:
        clause = clause | (
            col(GuidanceMoment.placement_id).is_(None) & col(GuidanceMoment.pool_id).in_(pools)
        )
    for gm in session.exec(
        select(GuidanceMoment).where(clause, col(GuidanceMoment.status).in_(SHOWN_STATUSES))
    ).all():
        place = by_id[gm.placement_id].site_address if gm.type == GuidanceType.STAGEBEZOEK else ""
        events.append(_moment_event(gm, gm.title, place))
    for p in placements:
        closing = closes_at(p)
        events.append(
            FeedEvent(
                f"afsluiting-{p.id}",
                f"Portfolio sluit ({p.site_name})",
                closing - timedelta(minutes=15),
                closing,
            )
        )
    return events


def _supervisor_events(session: Session, user: User) -> list[FeedEvent]:
    rows = session.exec(
        select(GuidanceMoment, Placement, User)
        .join(Placement, col(Placement.id) == GuidanceMoment.placement_id)
        .join(User, col(User.id) == Placement.student_id)
        .where(
            Placement.supervisor_id == user.id,
            col(GuidanceMoment.type).in_(SUPERVISOR_TYPES),
            col(GuidanceMoment.status).in_(SHOWN_STATUSES),
        )
    ).all()
    return [
        _moment_event(
            gm,
            f"{TYPE_TITLES[gm.type]}: {student.name} ({placement.site_name})",
            placement.site_address if gm.type == GuidanceType.STAGEBEZOEK else "",
        )
        for gm, placement, student in rows
    ]

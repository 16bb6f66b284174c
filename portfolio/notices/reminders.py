"""Reminders: who is reminded of what at a given moment, and the daily digest that carries them.

`due_reminders` decides (plain rules, a fixed number of queries however many placements);
`send_reminders` drops what was sent before or turned off and queues one digest mail per person.
Everything is in Europe/Brussels time. Reminders go out in the evening digest: runs before
DIGEST_HOUR do nothing, and a person gets at most one digest a day. Closed or stopped
placements get none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from sqlalchemy import insert, or_
from sqlmodel import Session, select

from portfolio.clock import BRUSSELS, today_in_brussels
from portfolio.domain.deadline import closes_at, is_closed
from portfolio.domain.placement_documents import DOCUMENTS, required_roles
from portfolio.domain.progress import DesignState, ReflectionState, day_statuses
from portfolio.domain.signing import content_hash, valid_signatures
from portfolio.mail import enqueue_many, public_url, render_mail
from portfolio.models import (
    Item,
    MailOptOut,
    MentorLink,
    Placement,
    PlacementStatus,
    ReminderSent,
    Role,
    Signature,
    Upload,
    User,
)
from portfolio.notices import mail_text
from portfolio.templating import nl_date, nl_datetime

DIGEST_HOUR = 18  # the evening digest: the evening of a stage day, the day before the next
CLOSING_NOTICE = timedelta(hours=30)  # the last digest at least 24 hours before closing
SIGNING_WAIT = timedelta(days=3)
MENTOR_LINK_WAIT = timedelta(days=7)


@dataclass(frozen=True)
class Reminder:
    recipient_id: int
    kind: str  # a key of portfolio.notices.REMINDER_KINDS
    key: str  # unique per thing reminded of: the same key is never sent twice
    text: str
    url: str


def _day_text(day) -> str:
    return nl_date(day, "EEEE d MMMM")


def _open_placements(session: Session, moment: datetime) -> list[Placement]:
    """Placements that still run at this moment: not stopped and not closed (one query)."""
    recent = today_in_brussels(moment) - timedelta(days=3)
    candidates = session.exec(
        select(Placement).where(
            Placement.status != PlacementStatus.STOPPED,
            or_(Placement.last_day >= recent, Placement.closes_at_override > moment),
        )
    ).all()
    return [p for p in candidates if not is_closed(p, moment)]


def _day_reminders(session: Session, placements: list[Placement], moment: datetime):
    """The evening of a stage day without a reflection; the day before an unready design."""
    today = today_in_brussels(moment)
    tomorrow = today + timedelta(days=1)
    statuses = day_statuses(session, placements, moment)
    for placement in placements:
        url = public_url("portfolio.overview", placement_id=placement.id)
        for status in statuses[placement.id]:
            if status.day == today and status.reflection != ReflectionState.WRITTEN:
                yield Reminder(
                    placement.student_id,
                    "reflectie",
                    f"reflectie:{status.stage_day.id}",
                    f"Je schreef nog geen reflectie bij je stagedag van {_day_text(today)}.",
                    url,
                )
            if status.day == tomorrow and status.design == DesignState.MISSING:
                yield Reminder(
                    placement.student_id,
                    "ontwerp",
                    f"ontwerp:{status.stage_day.id}",
                    "Je ontwerp voor je stagedag van morgen "
                    f"({_day_text(tomorrow)}) is nog niet klaar.",
                    url,
                )


def _closing_reminders(placements: list[Placement], moment: datetime):
    for placement in placements:
        closing = closes_at(placement)
        if closing - moment <= CLOSING_NOTICE:
            when = nl_datetime(closing.astimezone(BRUSSELS), "EEEE d MMMM 'om' HH:mm")
            yield Reminder(
                placement.student_id,
                "sluiting",
                f"sluiting:{placement.id}:{closing.isoformat()}",
                f"Je portfolio sluit {when}. Daarna kan je niets meer wijzigen.",
                public_url("portfolio.overview", placement_id=placement.id),
            )


def _signing_reminders(session: Session, placements: list[Placement], moment: datetime):
    """Parties who have not signed a document (the stagepakket, and the placement contract and
    risk analysis when in use) that has not changed for three days.

    Based on the document's own signatures as they are now; a signature request (a later
    workflow) would be the better start of the three days.
    """
    roles_of = {kind: required_roles(session, kind) for kind in DOCUMENTS}
    roles_of = {kind: roles for kind, roles in roles_of.items() if roles}
    by_id = {p.id: p for p in placements}
    documents = session.exec(
        select(Item).where(
            Item.placement_id.in_(list(by_id)),
            Item.kind.in_(list(roles_of)),
            Item.deleted_at.is_(None),
            Item.updated_at <= moment - SIGNING_WAIT,
        )
    ).all()
    if not documents:
        return
    uploads = defaultdict(list)
    for upload in session.exec(
        select(Upload).where(
            Upload.item_id.in_([d.id for d in documents]), Upload.deleted_at.is_(None)
        )
    ):
        uploads[upload.item_id].append(upload)
    documents = [
        d for d in documents if uploads[d.id] or any(str(v).strip() for v in d.content.values())
    ]
    signatures = defaultdict(list)
    for signature in session.exec(
        select(Signature).where(Signature.item_id.in_([d.id for d in documents]))
    ):
        signatures[signature.item_id].append(signature)
    for document in documents:
        placement = by_id[document.placement_id]
        signed = set(valid_signatures(document, signatures[document.id]))
        party = {
            Role.STUDENT: placement.student_id,
            Role.MENTOR: placement.mentor_id,
            Role.SUPERVISOR: placement.supervisor_id,
        }
        version = content_hash(document, uploads[document.id])[:16]
        url = public_url("portfolio.item_page", placement_id=placement.id, item_id=document.id)
        name = DOCUMENTS[document.kind].the.capitalize()
        for role in roles_of[document.kind]:
            if role in signed or party[role] is None:
                continue
            yield Reminder(
                party[role],
                "ondertekening",
                f"ondertekening:{party[role]}:{document.id}:{version}",
                f"{name} wacht al 3 dagen op je handtekening.",
                url,
            )


def _mentor_link_reminders(session: Session, placements: list[Placement], moment: datetime):
    """Tell the coordinators about a mentor link nobody opened in 7 days (they can issue a new
    one; the app keeps only the link's hash, so it cannot send the same link again)."""
    mentors = {p.mentor_id for p in placements if p.mentor_id is not None}
    if not mentors:
        return
    links = session.exec(
        select(MentorLink).where(
            MentorLink.mentor_id.in_(mentors),
            MentorLink.last_used_at.is_(None),
            MentorLink.revoked_at.is_(None),
            MentorLink.expires_at > moment,
            MentorLink.created_at <= moment - MENTOR_LINK_WAIT,
        )
    ).all()
    if not links:
        return
    coordinators = session.exec(
        select(User.id).where(User.role == Role.COORDINATOR, User.active.is_(True))
    ).all()
    names = dict(session.exec(select(User.id, User.name).where(User.id.in_(mentors))).all())
    for link in links:
        for coordinator_id in coordinators:
            yield Reminder(
                coordinator_id,
                "mentorlink",
                f"mentorlink:{coordinator_id}:{link.id}",
                f"Mentor {names[link.mentor_id]} opende de persoonlijke link na 7 dagen nog niet.",
                public_url("coordinator.mentor_links", user_id=link.mentor_id),
            )


def due_reminders(session: Session, moment: datetime) -> list[Reminder]:
    """Every reminder due at this moment, before dropping what was sent or turned off."""
    if moment.astimezone(BRUSSELS).hour < DIGEST_HOUR:
        return []
    placements = _open_placements(session, moment)
    if not placements:
        return []
    return [
        *_day_reminders(session, placements, moment),
        *_closing_reminders(placements, moment),
        *_signing_reminders(session, placements, moment),
        *_mentor_link_reminders(session, placements, moment),
    ]


def _digest_key(user_id: int, moment: datetime) -> str:
    return f"digest:{user_id}:{today_in_brussels(moment).isoformat()}"


def send_reminders(session: Session, moment: datetime) -> int:
    """Queue one digest mail per person with their new reminders; return how many mails.

    Each reminder (and each day's digest) is recorded in ReminderSent under a unique key, in the
    same transaction as its mail: none is sent twice, and a failing mail server loses nothing.
    """
    reminders = due_reminders(session, moment)
    if not reminders:
        return 0
    people = {r.recipient_id for r in reminders}
    keys = {r.key for r in reminders} | {_digest_key(uid, moment) for uid in people}
    already = set(session.exec(select(ReminderSent.key).where(ReminderSent.key.in_(keys))))
    turned_off = set(
        session.exec(
            select(MailOptOut.user_id, MailOptOut.kind).where(MailOptOut.user_id.in_(people))
        ).all()
    )
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(people)))}
    per_person: dict[int, list[Reminder]] = defaultdict(list)
    chosen: set[str] = set()
    for reminder in reminders:
        user = users.get(reminder.recipient_id)
        if (
            user is None
            or not user.active
            or reminder.key in already
            or (user.id, reminder.kind) in turned_off
            or reminder.key in chosen
            or _digest_key(user.id, moment) in already
        ):
            continue
        chosen.add(reminder.key)
        per_person[user.id].append(reminder)
    if not per_person:
        return 0
    mails, sent = [], []
    for user_id, items in per_person.items():
        user = users[user_id]
        subject, intro = render_mail("reminders", recipient=user, reminders=items)
        body = render_template("mail/_reminder_list.txt", intro=intro, reminders=items)
        mails.append((user.email, subject, mail_text(user, body, None)))
        sent += [(r.key, user_id, r.kind) for r in items]
        sent.append((_digest_key(user_id, moment), user_id, "digest"))
    # Two statements for the whole run, however many people are reminded.
    enqueue_many(session, mails, moment=moment)
    session.execute(
        insert(ReminderSent.__table__),
        [{"key": k, "recipient_id": u, "kind": kind, "sent_at": moment} for k, u, kind in sent],
    )
    return len(per_person)

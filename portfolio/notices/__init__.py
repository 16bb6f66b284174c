"""In-app notices with a mail: `notify` writes a Notice and queues its mail in one transaction.

Mail texts live in templates/mail/*.txt: the first line is the subject, the rest the text.
A person can turn off the mail of the kinds marked optional ("Instellingen"); the notice in
the app stays, so nothing is missed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from sqlalchemy import func
from sqlmodel import Session, select

from portfolio.mail import enqueue_mail, one_line, render_mail
from portfolio.models import MailOptOut, Notice, User

NOTICE_BODY_MAX = 4000


@dataclass(frozen=True)
class Kind:
    label: str  # what the person turns on or off, in "Instellingen"
    optional: bool  # False: the mail always goes (a warning, a stop, a decision)


NOTICE_KINDS = {
    "feedback": Kind("Feedback, notities en antwoorden", True),
    "feedbackvraag": Kind("Vragen om feedback", True),
    "gesprek": Kind("1-op-1 gesprekken", True),
    "handtekening": Kind("Handtekeningen op het stagepakket en andere stagedocumenten", True),
    "waarschuwing": Kind("Waarschuwingen", False),
    "stopzetting": Kind("Een stopgezette stage", False),
    "verlenging": Kind("Een verlenging van het portfolio", False),
    "beslissing": Kind("De beslissing van de examencommissie", False),
}

# Reminders (portfolio.notices.reminders): each can be turned off; the label says what it is.
REMINDER_KINDS = {
    "reflectie": "De avond van een stagedag zonder reflectie",
    "ontwerp": "De dag voor een stagedag waarvan het ontwerp nog niet klaar is",
    "sluiting": "24 uur voor het portfolio sluit",
    "ondertekening": "Een stagepakket of stagedocument dat na 3 dagen nog niet ondertekend is",
    "mentorlink": "Een mentorlink die na 7 dagen nog niet geopend is",
}


def opted_out(session: Session, user_id: int) -> set[str]:
    """The kinds of mail this person turned off."""
    return set(session.exec(select(MailOptOut.kind).where(MailOptOut.user_id == user_id)))


def mail_text(recipient: User, body: str, url: str | None) -> str:
    return render_template("mail/_notice_body.txt", recipient=recipient, body=body, url=url)


def notify(
    session: Session,
    *,
    recipient: User | None,
    kind: str,
    subject: str,
    body: str,
    url: str | None = None,
) -> Notice | None:
    """Give `recipient` a notice and queue its mail (unless they turned that kind off).

    Nothing happens for nobody or an inactive account. Both rows belong to the caller's
    transaction: they exist only if the change that caused them is committed.
    """
    if recipient is None or not recipient.active:
        return None
    notice = Notice(
        recipient_id=recipient.id,
        kind=kind,
        subject=one_line(subject),
        body=body[:NOTICE_BODY_MAX],
        url=url,
    )
    session.add(notice)
    known = NOTICE_KINDS.get(kind)
    if known is None or not known.optional or kind not in opted_out(session, recipient.id):
        enqueue_mail(session, recipient.email, subject, mail_text(recipient, body, url))
    return notice


def notify_from_template(
    session: Session, *, recipient: User | None, kind: str, template: str, url=None, **context
) -> Notice | None:
    """Render templates/mail/<template>.txt for `recipient` and notify them with it."""
    if recipient is None:
        return None
    subject, body = render_mail(template, recipient=recipient, **context)
    return notify(
        session, recipient=recipient, kind=kind, subject=subject, body=body.strip(), url=url
    )


def unread_count_query(user_id):
    """The count of notices this person (an id, or a bound parameter) has not read yet, as a
    statement (the menu's layout query embeds it)."""
    return select(func.count(Notice.id)).where(
        Notice.recipient_id == user_id, Notice.read_at.is_(None)
    )

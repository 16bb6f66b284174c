"""Outgoing mail goes through the outbox: queued in the transaction of the change that causes
it, delivered after the commit (portfolio.outbox) over SMTP, or to the log without MAIL_SERVER."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, has_request_context, render_template, url_for
from sqlalchemy import insert
from sqlmodel import Session

from portfolio.models import OutboxMail

log = logging.getLogger(__name__)

SUBJECT_MAX = 300


def one_line(subject: str) -> str:
    """Put a subject on one line: it often holds a typed name, and a line break in a header
    would make EmailMessage refuse the mail (or, unchecked, add a header)."""
    return " ".join(subject.split())[:SUBJECT_MAX]


def enqueue_mail(session: Session, to: str, subject: str, body: str) -> OutboxMail:
    """Queue a plain-text mail in `session`; it leaves only if that transaction commits."""
    mail = OutboxMail(to_address=to, subject=one_line(subject), body=body)
    session.add(mail)
    if has_request_context():
        g.outbox_waiting = True  # deliver after this request's commit (see init_app)
    return mail


def enqueue_many(session: Session, mails: list[tuple[str, str, str]], *, moment) -> None:
    """Queue many (to, subject, body) mails in one statement (the reminders' digests)."""
    if not mails:
        return
    rows = [
        {
            "to_address": to,
            "subject": one_line(subject),
            "body": body,
            "created_at": moment,
            "next_attempt_at": moment,
            "attempts": 0,
        }
        for to, subject, body in mails
    ]
    session.execute(insert(OutboxMail.__table__), rows)


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue a plain-text mail in this request's session (sent after its commit)."""
    from portfolio.db import get_session

    enqueue_mail(get_session(), to, subject, body)


def commit_despite_refusal() -> None:
    """Commit what this request queued although it answers with an error status (a refused
    sign-in that locked an account still mails its owner), and deliver it after the response."""
    from portfolio.db import get_session

    get_session().commit()
    g.outbox_committed = True


def render_mail(template: str, **context) -> tuple[str, str]:
    """Render templates/mail/<template>.txt into (subject, text): its first line is the subject."""
    rendered = render_template(f"mail/{template}.txt", **context)
    subject, _, text = rendered.partition("\n")
    return one_line(subject), text.strip() + "\n"


def public_url(endpoint: str, **values) -> str:
    """Return an absolute URL for a mail, on PUBLIC_BASE_URL when it is set."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def mail_mentor_link(mentor, *, url: str, expires_at) -> None:
    """Queue a mentor's personal link (a failing mail server is retried from the outbox)."""
    subject, body = render_mail("mentor_link", mentor=mentor, url=url, expires_at=expires_at)
    send_mail(mentor.email, subject, body)


def init_app(app: Flask) -> None:
    """Deliver queued mail after the response has gone out, unless MAIL_DELIVERY is "cron"."""

    @app.after_request
    def deliver_after_response(response):
        # Registered after portfolio.db's commit hook, so Flask runs it before that hook; the
        # close callback runs once the response is sent, which is after the commit.
        committed_anyway = g.pop("outbox_committed", False)
        if (
            g.pop("outbox_waiting", False)
            and (response.status_code < 400 or committed_anyway)
            and app.config.get("MAIL_DELIVERY", "after_response") == "after_response"
        ):
            response.call_on_close(lambda: _deliver_in_app_context(app))
        return response


def _deliver_in_app_context(app: Flask) -> None:
    from portfolio.outbox import deliver_due

    with app.app_context():
        try:
            deliver_due()
        except Exception:  # the queue keeps the mail; cron or the next request retries
            log.exception("Delivering the outbox after a response failed")

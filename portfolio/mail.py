"""Outgoing mail: SMTP when MAIL_SERVER is set, otherwise the message goes to the log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, render_template, url_for

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text mail; raises OSError (smtplib errors included) when sending fails.

    The subject is put on one line: it often holds a name someone typed, and a line break in a
    header would make EmailMessage refuse the mail (or, unchecked, add a header).
    """
    subject = " ".join(subject.split())
    config = current_app.config
    sender = config.get("MAIL_DEFAULT_SENDER") or "keuzestage@localhost"
    if not config.get("MAIL_SERVER"):
        # The local default: show the mail to the developer instead of sending it.
        log.info("Mail (niet verstuurd, geen MAIL_SERVER) aan %s: %s\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT") or 587, timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
    log.info("Mail verstuurd aan %s: %s", to, subject)


def public_url(endpoint: str, **values) -> str:
    """Return an absolute URL for a mail, on PUBLIC_BASE_URL when it is set."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def mail_mentor_link(mentor, *, url: str, expires_at) -> bool:
    """Mail a mentor their personal link; False (and logged) when the mail server fails."""
    body = render_template("mentor/link_mail.txt", mentor=mentor, url=url, expires_at=expires_at)
    try:
        send_mail(mentor.email, "Je persoonlijke link voor het stageportfolio", body)
    except OSError:
        log.exception("Mentor link mail to %s failed", mentor.email)
        return False
    return True

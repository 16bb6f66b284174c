"""Issuing and mailing a mentor's personal link (Flask glue around domain/mentor_links.py)."""

from __future__ import annotations

from flask import current_app

from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.mentor_links import issue_link
from portfolio.mail import mail_mentor_link, public_url
from portfolio.models import MentorLink, User


def send_mentor_link(mentor: User, *, actor: User | None) -> tuple[MentorLink, str]:
    """Issue a new link (the old one stops working) and mail it; returns the link and URL."""
    link, token = issue_link(
        get_session(),
        mentor,
        moment=now(),
        actor=actor,
        margin_days=current_app.config["MENTOR_LINK_MARGIN_DAYS"],
    )
    url = public_url("mentor.enter", token=token)
    mail_mentor_link(mentor, url=url, expires_at=link.expires_at)
    return link, url

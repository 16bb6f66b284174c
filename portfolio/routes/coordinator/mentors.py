"""Routes of the coordinator's area: mentors' personal links."""

from __future__ import annotations

from flask import (
    abort,
    redirect,
    render_template,
    url_for,
)
from flask import session as flask_session
from flask_login import current_user

from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import listings
from portfolio.domain.mentor_links import revoke_link
from portfolio.mentor_access import send_mentor_link
from portfolio.models import (
    MentorLink,
    Role,
    User,
)
from portfolio.routes.coordinator import bp, get_or_404


def _mentor(user_id: int) -> User:
    mentor = get_or_404(User, user_id)
    if mentor.role != Role.MENTOR:
        abort(404)
    return mentor


def _links_page(mentor: User, **context):
    session = get_session()
    return render_template(
        "coordinator/mentor_links.html",
        mentor=mentor,
        links=listings.links_of(session, mentor),
        students=listings.students_of_mentor(session, mentor),
        moment=now(),
        **context,
    )


NEW_LINK_KEY = "nieuwe_mentorlink"


@bp.get("/mentoren/<int:user_id>")
def mentor_links(user_id: int):
    mentor = _mentor(user_id)
    # A link just issued is shown once: the key is popped on this (first) display.
    new = flask_session.pop(NEW_LINK_KEY, None)
    if new and new.get("mentor_id") == mentor.id:
        return _links_page(mentor, new_url=new["url"])
    return _links_page(mentor)


@bp.post("/mentoren/<int:user_id>/links")
def issue_mentor_link(user_id: int):
    """Issue and mail a link, then redirect (POST-redirect-GET: a refresh makes no second link)."""
    mentor = _mentor(user_id)
    _link, url = send_mentor_link(mentor, actor=current_user)
    flask_session[NEW_LINK_KEY] = {"mentor_id": mentor.id, "url": url}
    return redirect(url_for(".mentor_links", user_id=mentor.id) + "#nieuwe-link", 303)


@bp.post("/mentoren/<int:user_id>/links/<int:link_id>/intrekken")
def revoke_mentor_link(user_id: int, link_id: int):
    mentor, link = _mentor(user_id), get_or_404(MentorLink, link_id)
    if link.mentor_id != mentor.id:
        abort(404)
    revoke_link(get_session(), link, moment=now(), actor=current_user)
    return redirect(url_for(".mentor_links", user_id=mentor.id), 303)

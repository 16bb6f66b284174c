"""The main menu per role; entries whose area is not installed are left out."""

from __future__ import annotations

from functools import cache

from flask import current_app

from portfolio.models import Role

MENU = {
    Role.STUDENT: [
        ("Overzicht", "home.index"),
        ("Mijn portfolio", "portfolio.overview"),
        ("Begeleiding", "guidance.mine"),
    ],
    Role.SUPERVISOR: [
        ("Mijn studenten", "supervision.overview"),
        ("Begeleidingsmomenten", "guidance.index"),
        ("Exports", "exports.index"),
    ],
    Role.MENTOR: [("Mijn stagiairs", "mentor.home")],
    Role.COORDINATOR: [
        ("Beheer", "coordinator.index"),
        ("Studenten", "supervision.overview"),
        ("Begeleidingsmomenten", "guidance.index"),
        ("Stopzettingen", "evaluation.stop_proposals_page"),
        ("Exports", "exports.index"),
    ],
}

# The personal calendar feed page (h11-offline).
MENU[Role.STUDENT].append(("Agenda", "calendar_feed.page"))
MENU[Role.SUPERVISOR].append(("Agenda", "calendar_feed.page"))


def menu_for(user) -> list[tuple[str, str]]:
    """Return (label, endpoint) pairs for this user's role."""
    if not getattr(user, "is_authenticated", False):
        return []
    endpoints = current_app.view_functions
    return [(label, ep) for label, ep in MENU.get(Role(user.role), []) if ep in endpoints]


def placement_tabs(user, placement) -> list[tuple[str, str]]:
    """Return (label, endpoint) tabs for one placement, only those this user may open."""
    from portfolio.access import can_see_warnings, can_view_item_kind
    from portfolio.models import ItemKind

    if not getattr(user, "is_authenticated", False) or placement is None:
        return []
    is_mentor = user.role == Role.MENTOR
    tabs = [
        ("Portfolio", "portfolio.overview", True),
        ("Feedback", "supervision.placement_feedback", True),
        ("Begeleiding", "guidance.placement", not is_mentor),
        ("Evaluatie", "evaluation.overview", True),
        (
            "Attitudes in de tijd",
            "evaluation.timeline",
            can_view_item_kind(user, placement, ItemKind.ZELFBEELD),
        ),
        ("Waarschuwingen", "evaluation.warnings", can_see_warnings(user, placement)),
        ("Beheer", "coordinator.placement", user.role == Role.COORDINATOR),
        ("Downloaden", "exports.placement", True),
    ]
    endpoints = current_app.view_functions
    return [(label, ep) for label, ep, allowed in tabs if allowed and ep in endpoints]


def layout_counts(user) -> tuple[int, int]:
    """Unread notices and the student's number of placements, kept in `g` for the request.

    The base layout shows the first in both menus and needs the second to decide whether a
    student gets the placement switcher. A full page's GET reads both with the session check
    (portfolio.auth, layout_columns); other requests that render the layout (an error page
    after a POST) ask here, in one SELECT of the same two scalar subqueries.
    """
    from flask import g

    from portfolio.db import get_session

    cached = g.get("layout_counts")
    if cached is not None and cached[0] == user.id:
        return cached[1]
    counts = tuple(get_session().execute(_layout_statement(), {"user_id": user.id}).one())
    remember_layout_counts(user.id, counts)
    return counts


def remember_layout_counts(user_id: int, counts: tuple) -> None:
    from flask import g

    g.layout_counts = (user_id, tuple(counts))


def _layout_columns(person) -> tuple:
    """Unread notices and own placements of `person` (an id, a bound parameter or User.id)."""
    from sqlalchemy import func, select

    from portfolio.models import Placement
    from portfolio.notices import unread_count_query

    placements = select(func.count(Placement.id)).where(Placement.student_id == person)
    return (unread_count_query(person).scalar_subquery(), placements.scalar_subquery())


@cache
def _layout_statement():
    """Built once, with the person as a bound parameter."""
    from sqlalchemy import bindparam, select

    return select(*_layout_columns(bindparam("user_id")))


@cache
def layout_columns() -> tuple:
    """The same counts correlated on the signed-in user, for the session query."""
    from portfolio.models import User

    return _layout_columns(User.id)


def unread_notices(user) -> int:
    """The number of unread notices for the menu (shares its query with placement_choices)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return layout_counts(user)[0]


def placement_choices(user, placement) -> list:
    """The student's own placements to switch between (empty unless they have several)."""
    from portfolio.db import get_session
    from portfolio.domain.current import student_placements

    if not getattr(user, "is_authenticated", False) or placement is None:
        return []
    if user.role != Role.STUDENT or placement.student_id != user.id:
        return []
    if layout_counts(user)[1] < 2:
        return []  # almost every student: no second query
    return student_placements(get_session(), user.id)

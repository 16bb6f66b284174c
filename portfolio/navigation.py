"""The main menu per role; entries whose area is not installed are left out."""

from __future__ import annotations

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
    ],
    Role.MENTOR: [("Mijn stagiairs", "mentor.home")],
    Role.COORDINATOR: [
        ("Beheer", "coordinator.index"),
        ("Studenten", "supervision.overview"),
        ("Begeleidingsmomenten", "guidance.index"),
    ],
}


def menu_for(user) -> list[tuple[str, str]]:
    """Return (label, endpoint) pairs for this user's role."""
    if not getattr(user, "is_authenticated", False):
        return []
    endpoints = current_app.view_functions
    return [(label, ep) for label, ep in MENU.get(Role(user.role), []) if ep in endpoints]

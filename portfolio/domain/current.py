"""Which of a student's placements is "current", and how a placement names itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import bindparam
from sqlmodel import Session, select

from portfolio.models import Placement

_OF_STUDENT = (
    select(Placement)
    .where(Placement.student_id == bindparam("student_id"))
    .order_by(Placement.first_day, Placement.id)
)


def student_placements(session: Session, student_id: int) -> list[Placement]:
    """All of a student's placements, oldest first (one query, built once: every student
    page asks)."""
    return list(session.exec(_OF_STUDENT, params={"student_id": student_id}))


def pick_current(placements: Sequence[Placement], today: date) -> Placement | None:
    """The placement running today, else the next one to start, else the most recent one.

    A placement runs from its first stage day up to and including its last. Among several
    running ones (overlaps are rare), the one that started last wins.
    """
    running = [p for p in placements if p.first_day <= today <= p.last_day]
    if running:
        return max(running, key=lambda p: (p.first_day, p.id))
    coming = [p for p in placements if p.first_day > today]
    if coming:
        return min(coming, key=lambda p: (p.first_day, p.id))
    if placements:
        return max(placements, key=lambda p: (p.last_day, p.id))
    return None


def current_placement(session: Session, student_id: int, today: date) -> Placement | None:
    """The student's current placement (domain.md: running today, else next, else last)."""
    return pick_current(student_placements(session, student_id), today)


def placement_name(placement: Placement) -> str:
    """A short name that tells a student's placements apart: site, semester and school year."""
    start = placement.first_day
    year = start.year if start.month >= 9 else start.year - 1
    return f"{placement.site_name} · semester {placement.semester} · {year}–{year + 1}"

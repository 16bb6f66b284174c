"""Demo content for the coordinator: free days, a second pool, a student still to place,
and the mentor's presence on the first stage days."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from portfolio.clock import now, today_in_brussels
from portfolio.domain.attendance_card import confirm_presence
from portfolio.domain.placements import stage_days
from portfolio.domain.programme import add_holiday, create_pool
from portfolio.models import Presence, Role, User


def _holidays(year: int) -> list[tuple[date, str]]:
    return [
        (date(year, 11, 1), "Allerheiligen"),
        (date(year, 11, 11), "Wapenstilstand"),
        (date(year, 12, 25), "Kerstmis"),
        (date(year + 1, 1, 1), "Nieuwjaar"),
        (date(year + 1, 5, 1), "Dag van de Arbeid"),
    ]


def seed(session: Session, demo) -> None:
    coordinator = demo.users["coordinator"]
    today = today_in_brussels()
    for day, name in _holidays(today.year if today.month >= 9 else today.year - 1):
        add_holiday(session, day=day, name=name, actor=coordinator)
    create_pool(session, name="Pool keuzestage B", actor=coordinator)
    session.add(
        User(
            role=Role.STUDENT,
            name="Lotte Later",
            email="student3@demo.test",
            student_number="r0000003",
        )
    )
    placement, mentor = demo.placements["student"], demo.users["mentor"]
    past = [d for d in stage_days(session, placement) if d.day < today]
    for index, day in enumerate(past[:3]):
        absent = index == 1
        confirm_presence(
            session,
            placement,
            day,
            presence=Presence.ABSENT if absent else Presence.PRESENT,
            note="Ziek, tijdig verwittigd." if absent else "",
            actor=mentor,
            moment=now(),
        )
    session.flush()

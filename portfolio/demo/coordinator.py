"""Demo content for the coordinator: free days, a second pool, a student still to place,
the mentor's presence on the first stage days, and the placement contract and risk analysis
switched on (the contract filled in and signed by the student)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from portfolio.clock import now, today_in_brussels
from portfolio.domain import items as ops
from portfolio.domain import signing
from portfolio.domain.attendance_card import confirm_presence
from portfolio.domain.placement_documents import set_document
from portfolio.domain.placements import stage_days
from portfolio.domain.programme import add_holiday, create_pool
from portfolio.models import ItemKind, Presence, Role, User


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
    _documents(session, demo)


def _documents(session: Session, demo) -> None:
    coordinator, student = demo.users["coordinator"], demo.users["student"]
    set_document(
        session,
        ItemKind.STAGEOVEREENKOMST,
        enabled=True,
        roles=[Role.STUDENT, Role.MENTOR, Role.SUPERVISOR],
        actor=coordinator,
    )
    set_document(
        session,
        ItemKind.RISICOANALYSE,
        enabled=True,
        roles=[Role.STUDENT, Role.SUPERVISOR],
        actor=coordinator,
    )
    placement, moment = demo.placements["student"], now()
    contract = ops.get_or_create_item(
        session, placement, ItemKind.STAGEOVEREENKOMST, actor=student, moment=moment
    )
    ops.save_item(
        session,
        contract,
        content={"tekst": "Stage in de derde kleuterklas, maandag tot woensdag, 20 uur per week."},
        base_version=contract.version,
        actor=student,
        moment=moment,
    )
    session.flush()
    signing.sign(session, contract, placement, signer=student, moment=moment)
    session.flush()

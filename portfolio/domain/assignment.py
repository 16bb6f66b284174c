"""Placing a student: who supervises, which pool, which mentor; checked before it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from portfolio.domain import audit
from portfolio.domain.people import NO_STUDENT, FieldError, find_or_create_mentor
from portfolio.domain.placements import create_placement
from portfolio.models import Context, Placement, Pool, Role, User


@dataclass
class Assignment:
    """Who accompanies the student: fixed supervisor, pool and mentor (all optional)."""

    supervisor_id: int | None = None
    pool_id: int | None = None
    mentor_name: str = ""
    mentor_email: str = ""


@dataclass
class PlacementInput(Assignment):
    student_id: int = 0
    site_name: str = ""
    site_address: str = ""
    context: str = Context.SCHOOL
    semester: int = 1
    first_day: date | None = None
    last_day: date | None = None


def _resolve(session: Session, data: Assignment, actor: User) -> dict:
    """Check the people and pool and return the placement columns for them."""
    if data.supervisor_id:
        supervisor = session.get(User, data.supervisor_id)
        if supervisor is None or supervisor.role != Role.SUPERVISOR:
            raise FieldError("Kies een stagebegeleider uit de lijst.", field="supervisor_id")
    if data.pool_id and session.get(Pool, data.pool_id) is None:
        raise FieldError("Kies een pool uit de lijst.", field="pool_id")
    mentor_id = None
    data.mentor_name, data.mentor_email = data.mentor_name or "", data.mentor_email or ""
    if data.mentor_email.strip():
        mentor = find_or_create_mentor(
            session, name=data.mentor_name, email=data.mentor_email, actor=actor
        )
        mentor_id = mentor.id
    elif data.mentor_name.strip():
        raise FieldError("Vul ook het e-mailadres van de mentor in.", field="mentor_email")
    return {
        "supervisor_id": data.supervisor_id or None,
        "pool_id": data.pool_id or None,
        "mentor_id": mentor_id,
    }


def place_student(session: Session, data: PlacementInput, *, actor: User) -> Placement:
    """Create a placement for a student, finding or creating the mentor by e-mail."""
    student = session.get(User, data.student_id) if data.student_id else None
    if student is None or student.role != Role.STUDENT:
        # The form finds the student by number or e-mail; the rule holds for every caller.
        raise FieldError(NO_STUDENT, field="student_id")
    data.site_name, data.site_address = data.site_name or "", data.site_address or ""
    if not data.site_name.strip():
        raise FieldError("Vul de naam van de stageplaats in.", field="site_name")
    if data.context not in (Context.SCHOOL, Context.NON_SCHOOL):
        raise FieldError("Kies schoolse of niet-schoolse context.", field="context")
    for day, field in ((data.first_day, "first_day"), (data.last_day, "last_day")):
        if day is None:
            raise FieldError("Vul de eerste en de laatste stagedag in.", field=field)
    if data.last_day < data.first_day:
        raise FieldError("De laatste stagedag ligt vóór de eerste stagedag.", field="last_day")
    return create_placement(
        session,
        actor=actor,
        student_id=student.id,
        site_name=data.site_name.strip(),
        site_address=data.site_address.strip(),
        context=data.context,
        semester=data.semester,
        first_day=data.first_day,
        last_day=data.last_day,
        **_resolve(session, data, actor),
    )


def reassign(session: Session, placement: Placement, data: Assignment, *, actor: User) -> None:
    """Change the fixed supervisor, pool and mentor of a placement; logged with old and new."""
    new = _resolve(session, data, actor)
    old = {key: getattr(placement, key) for key in new}
    if old == new:
        return
    for key, value in new.items():
        setattr(placement, key, value)
    session.add(placement)
    audit.record(
        session,
        actor=actor,
        action="placement.assigned",
        placement_id=placement.id,
        old=old,
        new=new,
        summary=_summary(session, old, new),
    )


def _summary(session: Session, old: dict, new: dict) -> str:
    """Say in Dutch who changed, e.g. 'mentor: Mona Mentor → Jan Janssens'."""
    labels = {"supervisor_id": "begeleider", "pool_id": "pool", "mentor_id": "mentor"}
    parts = []
    for key, label in labels.items():
        if old[key] != new[key]:
            model = Pool if key == "pool_id" else User
            before, after = (
                session.get(model, old[key]) if old[key] else None,
                session.get(model, new[key]) if new[key] else None,
            )
            parts.append(
                f"{label}: {before.name if before else 'geen'} → {after.name if after else 'geen'}"
            )
    return "; ".join(parts)

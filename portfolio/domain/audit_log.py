"""The audit log as the coordinator reads it: filters, one page of events, Dutch sentences.

The log is append-only: nothing here (nor any route) changes or deletes an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portfolio.clock import start_of_day
from portfolio.domain.audit_text import referenced_ids, sentence
from portfolio.models import AuditEvent, Placement, Pool, User
from portfolio.pagination import ListArgs, Sorting

# The kinds a coordinator filters by: the part of the action before the dot.
KINDS = {
    "placement": "Stages (aanmaken, toewijzen, stopzetten)",
    "day": "Stagedagen en aanwezigheid",
    "deadline": "Afsluitmoment en verlengingen",
    "stagepakket": "Ondertekeningen",
    "document": "Stageovereenkomst en risicoanalyse",
    "evaluation": "Evaluaties",
    "synthesis": "Synthese en examencommissie",
    "warning": "Waarschuwingen",
    "begeleiding": "Begeleidingsmomenten",
    "upload": "Bestanden",
    "pool": "Pools",
    "holiday": "Vrije dagen",
    "semester": "Stagedagen per semester",
    "attitude": "Attitudes",
    "user": "Accounts",
    "mentor_link": "Links van mentoren",
    "password_token": "Activatie- en herstellinks",
}

Actor = aliased(User, name="actor")
Student = aliased(User, name="log_student")

SORTING = Sorting(
    columns={"tijd": ("Wanneer", AuditEvent.at)},
    default="tijd",
    tie_breaker=AuditEvent.id.desc(),
    default_descending=True,
)


@dataclass(frozen=True)
class LogFilter:
    placement_id: int | None = None
    person_id: int | None = None
    kind: str = ""
    since: date | None = None
    until: date | None = None


def read_filter(args: ListArgs) -> LogFilter:
    """Read the log's filter from the query string; refused values are noted in `args`."""
    chosen = LogFilter(
        placement_id=args.number("stage", "Stage"),
        person_id=args.number("persoon", "Persoon"),
        kind=args.choice("soort", KINDS, "Soort"),
        since=args.day("van", "Van"),
        until=args.day("tot", "Tot en met"),
    )
    if chosen.since and chosen.until and chosen.since > chosen.until:
        args.notes.append("'Van' ligt na 'tot en met': de periode is omgedraaid.")
        chosen = LogFilter(**{**chosen.__dict__, "since": chosen.until, "until": chosen.since})
    return chosen


def events_query(chosen: LogFilter):
    """Return the SELECT of (event, actor name, actor role, student name) for the filter."""
    query = (
        select(AuditEvent, Actor.name, Actor.role, Student.name)
        .outerjoin(Actor, Actor.id == AuditEvent.actor_id)
        .outerjoin(Placement, Placement.id == AuditEvent.placement_id)
        .outerjoin(Student, Student.id == Placement.student_id)
    )
    if chosen.placement_id is not None:
        query = query.where(AuditEvent.placement_id == chosen.placement_id)
    if chosen.person_id is not None:
        # A person's log: what they did, and what happened to their own placements.
        query = query.where(
            or_(AuditEvent.actor_id == chosen.person_id, Placement.student_id == chosen.person_id)
        )
    if chosen.kind:
        query = query.where(AuditEvent.action.like(chosen.kind + ".%"))
    if chosen.since:
        query = query.where(AuditEvent.at >= start_of_day(chosen.since))
    if chosen.until:
        query = query.where(AuditEvent.at < start_of_day(chosen.until + timedelta(days=1)))
    return query


@dataclass(frozen=True)
class LogEntry:
    event: AuditEvent
    student: str | None
    text: str


def entries(session: Session, rows) -> list[LogEntry]:
    """Say one page of events in Dutch; the names they refer to come in two queries at most."""
    wanted: set[tuple[str, int]] = set()
    for event, *_ in rows:
        wanted |= referenced_ids(event.detail)
    names: dict[tuple[str, int], str] = {}
    for kind, model in (("user", User), ("pool", Pool)):
        ids = [i for k, i in wanted if k == kind]
        if ids:
            found = session.exec(select(model.id, model.name).where(model.id.in_(ids)))
            names.update({(kind, i): name for i, name in found})
    return [
        LogEntry(
            event=event,
            student=student,
            text=sentence(
                event.action, event.detail, actor_name=actor, actor_role=role, names=names
            ),
        )
        for event, actor, role, student in rows
    ]

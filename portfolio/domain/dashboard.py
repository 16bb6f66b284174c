"""The coordinator's dashboard: the filter, and every count for it in one SQL query.

Every count is a condition on one placement (programme_conditions.Conditions); the dashboard
sums them all in one query, a clicked count becomes one more WHERE on the placements list, and
the export reads the same conditions. So the page costs a fixed number of queries whether there
are 20 placements or 15,000, and a number on the dashboard always matches the list behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, false, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portfolio.domain.programme_conditions import CLOSING_SOON_DAYS, Conditions, Facts
from portfolio.models import (
    Context,
    Placement,
    User,
)
from portfolio.models.placement import CONTEXT_LABELS
from portfolio.pagination import ListArgs, matches

STATUSES = {
    "actief": "Actief",
    "sluit-binnenkort": f"Sluit binnen {CLOSING_SOON_DAYS} dagen af",
    "afgesloten": "Afgesloten",
    "stopgezet": "Stopgezet",
}
COUNTS = {
    **STATUSES,
    "reflecties": "Reflecties ontbreken",
    "ontwerpen": "Ontwerpen te laat",
    "stagepakket": "Stagepakket niet volledig ondertekend",
    "vragen": "Open vragen om feedback",
    "tussentijds": "Tussentijdse evaluatie te doen",
    "eind": "Eindevaluatie te doen",
    "synthese": "Synthese te doen",
    "examencommissie": "Beslissing examencommissie te nemen",
    "waarschuwingen": "Met een waarschuwing",
    "afwezigheid": "Tweede ongewettigde afwezigheid",
}
ATTENTION_TEXT = (
    "ontbrekende reflecties, te late ontwerpen, een waarschuwing of een tweede ongewettigde "
    "afwezigheid"
)
SEMESTERS = {"1": "Semester 1", "2": "Semester 2"}
CONTEXTS = {str(key): label for key, label in CONTEXT_LABELS.items()}
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class DashboardFilter:
    year: int | None = None  # the academic year starting in September of this year
    semester: int | None = None
    pool_id: int | None = None
    supervisor_id: int | None = None
    status: str = ""
    context: str = ""
    needs_attention: bool = False
    search: str = ""
    count: str = ""  # a count's key: only the placements it counts


def read_filter(args: ListArgs) -> DashboardFilter:
    """Read the filter from the query string; refused values are noted in `args`."""
    year = args.number("jaar", "Academiejaar")
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        args.notes.append("Dat academiejaar bestaat niet: die filter is weggelaten.")
        args.kept.pop("jaar", None)
        year = None
    semester = args.choice("semester", SEMESTERS, "Semester")
    return DashboardFilter(
        year=year,
        semester=int(semester) if semester else None,
        pool_id=args.number("pool", "Pool"),
        supervisor_id=args.number("begeleider", "Stagebegeleider"),
        status=args.choice("status", STATUSES, "Status"),
        context=args.choice("context", CONTEXTS, "Context"),
        needs_attention=args.choice("aandacht", {"1": "ja"}, "Vraagt aandacht") == "1",
        search=args.text("q"),
        count=args.choice("telling", COUNTS, "Telling"),
    )


def academic_year_label(year: int) -> str:
    return f"{year}–{year + 1}"


def academic_year_of(day: date) -> int:
    """Return the starting year of the academic year (September to August) holding `day`."""
    return day.year if day.month >= 9 else day.year - 1


Student = aliased(User, name="student")


def filter_conditions(
    conditions: Conditions | Facts, chosen: DashboardFilter
) -> list[ColumnElement[bool]]:
    """Return the WHERE clauses of a filter (over Placement joined with `Student`)."""
    where: list[ColumnElement[bool]] = []
    if chosen.year is not None:
        where += [
            Placement.first_day >= date(chosen.year, 9, 1),
            Placement.first_day < date(chosen.year + 1, 9, 1),
        ]
    if chosen.semester is not None:
        where.append(Placement.semester == chosen.semester)
    if chosen.pool_id is not None:
        where.append(Placement.pool_id == chosen.pool_id)
    if chosen.supervisor_id is not None:
        where.append(Placement.supervisor_id == chosen.supervisor_id)
    if chosen.context:
        where.append(Placement.context == Context(chosen.context))
    for key in (chosen.status, chosen.count):
        if key:
            where.append(conditions.by_key(key))
    if chosen.needs_attention:
        where.append(conditions.needs_attention())
    if chosen.search:
        where.append(matches(chosen.search, Student.name, Student.student_number))
    return where or [~false()]


def counts(session: Session, chosen: DashboardFilter, moment: datetime) -> dict[str, int]:
    """Return every count of COUNTS for the filtered placements (one query over aggregates)."""
    facts = Facts(Conditions(moment))
    base = DashboardFilter(**{**chosen.__dict__, "count": ""})
    sums = [
        func.coalesce(func.sum(case((facts.by_key(key), 1), else_=0)), 0).label(key)
        for key in COUNTS
    ]
    query = select(func.count(Placement.id), *sums).select_from(Placement)
    if base.search:  # the only filter on the student's columns
        query = query.join(Student, Student.id == Placement.student_id)
    query = facts.joined(query)
    row = session.exec(query.where(*filter_conditions(facts, base))).one()
    return {
        "totaal": int(row[0]),
        **{key: int(value) for key, value in zip(COUNTS, row[1:], strict=True)},
    }

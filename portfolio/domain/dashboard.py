"""The coordinator's dashboard: the programme's counts for a filter, as SQL aggregates.

Every count is a condition on one placement (`Conditions`); the dashboard sums them all in one
query, a clicked count becomes one more WHERE on the placements list, and the export reads the
same conditions. So the page costs a fixed number of queries whether there are 20 placements or
15,000, and a number on the dashboard always matches the list behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, false, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from portfolio.clock import today_in_brussels
from portfolio.domain.progress import designs_late, reflection_missing
from portfolio.models import (
    Attendance,
    AttendanceStatus,
    Context,
    Evaluation,
    EvaluationStage,
    FeedbackRequest,
    Item,
    ItemKind,
    Placement,
    PlacementStatus,
    Role,
    Signature,
    StageDay,
    Synthesis,
    User,
    Warning,
)
from portfolio.models.placement import CONTEXT_LABELS
from portfolio.pagination import ListArgs, matches

CLOSING_SOON_DAYS = 7
# Days after the last stage day on which the portfolio is closed: it closes at 23:59:59 on
# last day + 2 (deadline.CLOSING_GRACE_DAYS), so from last day + 3 on it is past.
CLOSED_FROM_DAYS_AFTER = 3

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


class Conditions:
    """Every count as an SQL condition on one Placement row, for one moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        self.today = today_in_brussels(moment)

    # ------------------------------------------------------------ status

    def stopped(self) -> ColumnElement[bool]:
        return Placement.status == PlacementStatus.STOPPED

    def past_closing(self) -> ColumnElement[bool]:
        """The closing moment (an extension's, else last day + 2 at 23:59:59) has passed."""
        closed_from = self.today - timedelta(days=CLOSED_FROM_DAYS_AFTER)
        return or_(
            and_(
                Placement.closes_at_override.is_not(None),
                Placement.closes_at_override < self.moment,
            ),
            and_(Placement.closes_at_override.is_(None), Placement.last_day <= closed_from),
        )

    def active(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), ~self.past_closing())

    def closing_soon(self) -> ColumnElement[bool]:
        last_day_limit = self.today + timedelta(days=CLOSING_SOON_DAYS - CLOSED_FROM_DAYS_AFTER)
        return and_(
            self.active(),
            or_(
                and_(
                    Placement.closes_at_override.is_not(None),
                    Placement.closes_at_override <= self.moment + timedelta(CLOSING_SOON_DAYS),
                ),
                and_(Placement.closes_at_override.is_(None), Placement.last_day <= last_day_limit),
            ),
        )

    def closed(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), self.past_closing())

    # ------------------------------------------------------------ the portfolio

    def _any_day(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        return (
            select(StageDay.id)
            .where(StageDay.placement_id == Placement.id, condition)
            .correlate(Placement)
            .exists()
        )

    def reflections_missing(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), self._any_day(reflection_missing(self.today)))

    def designs_late(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), self._any_day(designs_late(self.today)))

    def package_signed(self) -> ColumnElement[bool]:
        """A stagepakket signed by all three parties since its last change.

        A change to the content sets updated_at (a save that changes nothing does not), and any
        change voids every signature, so the signatures that count are those given after it.
        """
        package = aliased(Item)
        return (
            select(package.id)
            .join(Signature, Signature.item_id == package.id)
            .where(
                package.placement_id == Placement.id,
                package.kind == ItemKind.STAGEPAKKET,
                package.deleted_at.is_(None),
                Signature.signed_at >= package.updated_at,
                Signature.role.in_([Role.STUDENT, Role.MENTOR, Role.SUPERVISOR]),
            )
            .group_by(package.id)
            .having(func.count(func.distinct(Signature.role)) >= 3)
            .correlate(Placement)
            .exists()
        )

    def package_unsigned(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), ~self.package_signed())

    def open_requests(self) -> ColumnElement[bool]:
        return (
            select(FeedbackRequest.id)
            .where(
                FeedbackRequest.placement_id == Placement.id,
                FeedbackRequest.resolved_at.is_(None),
            )
            .correlate(Placement)
            .exists()
        )

    # ------------------------------------------------------------ evaluation

    def has_evaluation(self, stage: str) -> ColumnElement[bool]:
        """The fixed supervisor's side (the mentor's view alone does not complete it)."""
        return (
            select(Evaluation.id)
            .where(
                Evaluation.placement_id == Placement.id,
                Evaluation.stage == stage,
                Evaluation.author_role == Role.SUPERVISOR,
            )
            .correlate(Placement)
            .exists()
        )

    def halfway(self) -> ColumnElement[bool]:
        """At least half of the stage days are behind (done count minus to-come count >= 0)."""
        balance = (
            select(func.sum(case((StageDay.day < self.today, 1), else_=-1)))
            .where(StageDay.placement_id == Placement.id)
            .correlate(Placement)
            .scalar_subquery()
        )
        return balance >= 0

    def has_synthesis(self) -> ColumnElement[bool]:
        return (
            select(Synthesis.id)
            .where(Synthesis.placement_id == Placement.id)
            .correlate(Placement)
            .exists()
        )

    def midterm_due(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), self.halfway(), ~self.has_evaluation(EvaluationStage.MIDTERM))

    def final_due(self) -> ColumnElement[bool]:
        return and_(
            ~self.stopped(),
            Placement.last_day < self.today,
            ~self.has_evaluation(EvaluationStage.FINAL),
        )

    def synthesis_due(self) -> ColumnElement[bool]:
        return and_(~self.stopped(), Placement.last_day < self.today, ~self.has_synthesis())

    def board_due(self) -> ColumnElement[bool]:
        return (
            select(Synthesis.id)
            .where(Synthesis.placement_id == Placement.id, Synthesis.board_confirmed.is_(None))
            .correlate(Placement)
            .exists()
        )

    # ------------------------------------------------------------ warnings and absences

    def warned(self) -> ColumnElement[bool]:
        return (
            select(Warning.id)
            .where(Warning.placement_id == Placement.id)
            .correlate(Placement)
            .exists()
        )

    def second_absence(self) -> ColumnElement[bool]:
        """Illegitimately absent from a mandatory session more than the one time allowed."""
        absences = (
            select(func.count(Attendance.id))
            .where(
                Attendance.placement_id == Placement.id,
                Attendance.status == AttendanceStatus.ILLEGITIMATE,
            )
            .correlate(Placement)
            .scalar_subquery()
        )
        return absences >= 2

    def needs_attention(self) -> ColumnElement[bool]:
        return or_(
            self.reflections_missing(),
            self.designs_late(),
            and_(~self.stopped(), self.warned()),
            self.second_absence(),
        )

    def by_key(self, key: str) -> ColumnElement[bool]:
        """Return the condition of one count (a key of COUNTS)."""
        return {
            "actief": self.active,
            "sluit-binnenkort": self.closing_soon,
            "afgesloten": self.closed,
            "stopgezet": self.stopped,
            "reflecties": self.reflections_missing,
            "ontwerpen": self.designs_late,
            "stagepakket": self.package_unsigned,
            "vragen": self.open_requests,
            "tussentijds": self.midterm_due,
            "eind": self.final_due,
            "synthese": self.synthesis_due,
            "examencommissie": self.board_due,
            "waarschuwingen": self.warned,
            "afwezigheid": self.second_absence,
        }[key]()


Student = aliased(User, name="student")


def filter_conditions(conditions: Conditions, chosen: DashboardFilter) -> list[ColumnElement[bool]]:
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
    """Return every count of COUNTS for the filtered placements (one query)."""
    conditions = Conditions(moment)
    base = DashboardFilter(**{**chosen.__dict__, "count": ""})
    sums = [
        func.coalesce(func.sum(case((conditions.by_key(key), 1), else_=0)), 0).label(key)
        for key in COUNTS
    ]
    row = session.exec(
        select(func.count(Placement.id), *sums)
        .select_from(Placement)
        .join(Student, Student.id == Placement.student_id)
        .where(*filter_conditions(conditions, base))
    ).one()
    return {
        "totaal": int(row[0]),
        **{key: int(value) for key, value in zip(COUNTS, row[1:], strict=True)},
    }

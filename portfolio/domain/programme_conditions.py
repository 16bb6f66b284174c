"""The programme's counts as SQL conditions on one Placement row, for one moment.

Each method returns a condition the database evaluates (EXISTS over indexed columns, the dates
per placement kept by portfolio.domain.placement_days), never a Python walk over content, so the
dashboard sums them all in one query and a count's list is one more WHERE.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from portfolio.clock import today_in_brussels
from portfolio.domain import placement_days
from portfolio.domain.deadline import CLOSING_GRACE_DAYS
from portfolio.models import (
    Attendance,
    AttendanceStatus,
    Evaluation,
    EvaluationStage,
    FeedbackRequest,
    Item,
    ItemKind,
    Placement,
    PlacementDays,
    PlacementStatus,
    Role,
    Signature,
    Synthesis,
    Warning,
)

CLOSING_SOON_DAYS = 7
# A portfolio closes at 23:59:59 on last day + 2, so from last day + 3 on it is past.
CLOSED_FROM_DAYS_AFTER = CLOSING_GRACE_DAYS + 1


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

    def _days_fact(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        """A condition on the placement's dates in placement_days (see that module)."""
        return (
            select(PlacementDays.placement_id)
            .where(PlacementDays.placement_id == Placement.id, condition)
            .correlate(Placement)
            .exists()
        )

    def reflections_missing(self) -> ColumnElement[bool]:
        """A day that is over without a written reflection (progress.reflection_missing)."""
        return and_(~self.stopped(), self._days_fact(placement_days.reflection_missing(self.today)))

    def designs_late(self) -> ColumnElement[bool]:
        """A day begun without its designs ready, or made ready late (progress.designs_late)."""
        return and_(
            ~self.stopped(), self._days_fact(PlacementDays.first_late_design_day <= self.today)
        )

    def package_signed(self) -> ColumnElement[bool]:
        """A stagepakket signed by all three parties since its last change.

        A change to the content sets updated_at (a save that changes nothing does not), and any
        change voids every signature, so the signatures that count are those given after it.
        """
        package = aliased(Item)
        return (
            select(package.id)
            .join(Signature, Signature.item_id == package.id)
            .where(package.placement_id == Placement.id, *_package_signed_where(package))
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
        """At least half of the stage days are behind (the middle one in date order is)."""
        return self._days_fact(PlacementDays.halfway_day < self.today)

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


class Facts:
    """The same counts from per-placement aggregates: one GROUP BY pass over each table,
    LEFT JOINed to Placement, instead of one EXISTS per placement and count; the stage days'
    facts come from placement_days (one row per placement), not from the 40 days of each.

    Summing every count over the whole programme with the EXISTS conditions costs each of them a
    lookup per placement (7.8 s at 15,000 placements on PostgreSQL); the aggregates read each
    table once. A placements list (50 rows, or one count's filter) keeps the EXISTS form, which
    stops at the first match. tests/test_dashboard_domain.py checks both agree for every count.
    """

    def __init__(self, conditions: Conditions) -> None:
        self.when = conditions
        package = aliased(Item)
        signed = (
            select(package.placement_id)
            .join(Signature, Signature.item_id == package.id)
            .where(*_package_signed_where(package))
            .group_by(package.placement_id, package.id)
            .having(func.count(func.distinct(Signature.role)) >= 3)
            .subquery()
        )
        self.signed = select(signed.c.placement_id).distinct().subquery("signed_facts")
        self.evaluations = (
            select(
                Evaluation.placement_id,
                func.max(case((Evaluation.stage == EvaluationStage.MIDTERM, 1), else_=0)).label(
                    "midterm"
                ),
                func.max(case((Evaluation.stage == EvaluationStage.FINAL, 1), else_=0)).label(
                    "final"
                ),
            )
            .where(Evaluation.author_role == Role.SUPERVISOR)
            .group_by(Evaluation.placement_id)
            .subquery("evaluation_facts")
        )
        self.requests = _count_per_placement(
            FeedbackRequest, FeedbackRequest.resolved_at.is_(None), name="request_facts"
        )
        self.warnings = _count_per_placement(Warning, name="warning_facts")
        self.absences = _count_per_placement(
            Attendance, Attendance.status == AttendanceStatus.ILLEGITIMATE, name="absence_facts"
        )

    def joined(self, query):
        """Return the query (over Placement) with every aggregate LEFT JOINed."""
        query = query.outerjoin(PlacementDays, PlacementDays.placement_id == Placement.id)
        for facts in (
            self.signed,
            self.evaluations,
            self.requests,
            self.warnings,
            self.absences,
        ):
            query = query.outerjoin(facts, facts.c.placement_id == Placement.id)
        return query.outerjoin(Synthesis, Synthesis.placement_id == Placement.id)

    def by_key(self, key: str) -> ColumnElement[bool]:
        """Return the condition of one count (a key of dashboard.COUNTS) over the aggregates."""
        when, running, today = self.when, ~self.when.stopped(), self.when.today
        has_synthesis = Synthesis.id.is_not(None)
        over = Placement.last_day < when.today
        conditions = {
            "reflecties": and_(running, placement_days.reflection_missing(today)),
            "ontwerpen": and_(running, PlacementDays.first_late_design_day <= today),
            "stagepakket": and_(running, self.signed.c.placement_id.is_(None)),
            "vragen": func.coalesce(self.requests.c.n, 0) > 0,
            "tussentijds": and_(
                running,
                PlacementDays.halfway_day < today,
                func.coalesce(self.evaluations.c.midterm, 0) == 0,
            ),
            "eind": and_(running, over, func.coalesce(self.evaluations.c.final, 0) == 0),
            "synthese": and_(running, over, ~has_synthesis),
            "examencommissie": and_(has_synthesis, Synthesis.board_confirmed.is_(None)),
            "waarschuwingen": func.coalesce(self.warnings.c.n, 0) > 0,
            "afwezigheid": func.coalesce(self.absences.c.n, 0) >= 2,
        }
        return conditions[key] if key in conditions else when.by_key(key)

    def needs_attention(self) -> ColumnElement[bool]:
        return or_(
            self.by_key("reflecties"),
            self.by_key("ontwerpen"),
            and_(~self.when.stopped(), self.by_key("waarschuwingen")),
            self.by_key("afwezigheid"),
        )


def _count_per_placement(model, *where, name: str):
    return (
        select(model.placement_id, func.count(model.id).label("n"))
        .where(*where)
        .group_by(model.placement_id)
        .subquery(name)
    )


def _package_signed_where(package) -> list[ColumnElement[bool]]:
    """A live stagepakket and the signatures given since its last change (see package_signed)."""
    return [
        package.kind == ItemKind.STAGEPAKKET,
        package.deleted_at.is_(None),
        Signature.signed_at >= package.updated_at,
        Signature.role.in_([Role.STUDENT, Role.MENTOR, Role.SUPERVISOR]),
    ]

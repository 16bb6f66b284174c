"""The numbers of one page of the students overview, for its (at most 50) placements at once.

The statements are built once with bound parameters: building these aggregates and correlated
subqueries cost more CPU per page than the database took to answer them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, and_, bindparam, case, func
from sqlmodel import Session, select

from portfolio.bound_lists import in_list
from portfolio.domain.feedback import MENTOR_NOTE
from portfolio.domain.guidance_attendance import illegitimate_absences_of
from portfolio.domain.package_flags import is_unsigned_r_day, packages_signed_at
from portfolio.domain.progress import designs_missing, reflection_missing
from portfolio.models import (
    DayKind,
    Feedback,
    FeedbackRequest,
    Placement,
    Presence,
    StageDay,
    Warning,
)

UPCOMING_DAYS = 7  # designs must be ready for the stage days in this window

_TODAY, _HORIZON = bindparam("today"), bindparam("horizon")


def designs_ahead(today, horizon) -> ColumnElement[bool]:
    """Stage days from today up to the horizon whose designs are not all ready."""
    return and_(StageDay.day >= today, StageDay.day < horizon, designs_missing())


# Per placement: days done (a day the mentor recorded as absent was not done), days to come,
# reflections missing, designs not ready in the coming days.
_DAYS = (
    select(
        StageDay.placement_id,
        func.sum(
            case((and_(StageDay.day < _TODAY, StageDay.presence != Presence.ABSENT), 1), else_=0)
        ),
        func.sum(case((StageDay.day >= _TODAY, 1), else_=0)),
        func.sum(case((reflection_missing(_TODAY), 1), else_=0)),
        func.sum(
            case(
                (
                    designs_ahead(_TODAY, _HORIZON),
                    StageDay.offer_count - StageDay.ready_design_count,
                ),
                else_=0,
            )
        ),
    )
    .where(in_list(StageDay.placement_id, "ids"))
    .group_by(StageDay.placement_id)
)

_R_DAYS = select(StageDay.placement_id, StageDay.day).where(
    in_list(StageDay.placement_id, "ids"), StageDay.kind == DayKind.R
)

_open_request = and_(
    FeedbackRequest.placement_id == Placement.id, FeedbackRequest.resolved_at.is_(None)
)
# Open requests and the oldest one's moment, the last feedback (not the mentor's own notes),
# warnings and illegitimate absences: correlated subqueries, each an index lookup.
_COUNTS = select(
    Placement.id,
    select(func.count(FeedbackRequest.id)).where(_open_request).scalar_subquery(),
    select(func.min(FeedbackRequest.asked_at)).where(_open_request).scalar_subquery(),
    select(func.max(Feedback.created_at))
    .where(Feedback.placement_id == Placement.id, Feedback.kind != MENTOR_NOTE)
    .scalar_subquery(),
    select(func.count(Warning.id)).where(Warning.placement_id == Placement.id).scalar_subquery(),
    illegitimate_absences_of(Placement.id),
).where(in_list(Placement.id, "ids"))


def page_numbers(session: Session, ids: list[int], today: date, horizon: date):
    """Return, per placement id: the day numbers (done, to come, reflections missing, designs
    not ready), when the stagepakket was fully signed, the R-days without it, and (open
    requests, oldest request, last feedback, warnings, illegitimate absences). 4 queries."""
    days = {
        pid: tuple(numbers)
        for pid, *numbers in session.exec(
            _DAYS, params={"ids": ids, "today": today, "horizon": horizon}
        )
    }
    signed_at = packages_signed_at(session, ids)
    unsigned_r_days: dict[int, int] = defaultdict(int)
    for pid, day in session.exec(_R_DAYS, params={"ids": ids}):
        unsigned_r_days[pid] += is_unsigned_r_day(day, DayKind.R, signed_at[pid])
    counts = {pid: tuple(rest) for pid, *rest in session.exec(_COUNTS, params={"ids": ids})}
    return days, signed_at, unsigned_r_days, counts

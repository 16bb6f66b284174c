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
    PlacementDays,
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
    # The R-days as placement_days keeps them (count, first), for unsigned_r_days.
    select(PlacementDays.r_day_count)
    .where(PlacementDays.placement_id == Placement.id)
    .scalar_subquery(),
    select(PlacementDays.first_r_day)
    .where(PlacementDays.placement_id == Placement.id)
    .scalar_subquery(),
).where(in_list(Placement.id, "ids"))


def page_numbers(session: Session, ids: list[int], today: date, horizon: date):
    """Return, per placement id: the day numbers (done, to come, reflections missing, designs
    not ready), when the stagepakket was fully signed, the R-days without it, and (open
    requests, oldest request, last feedback, warnings, illegitimate absences). 3 queries, a
    fourth only when a package of the page was signed after its first R-day began."""
    days = {
        pid: tuple(numbers)
        for pid, *numbers in session.exec(
            _DAYS, params={"ids": ids, "today": today, "horizon": horizon}
        )
    }
    signed_at = packages_signed_at(session, ids)
    counts, r_days = {}, {}
    for pid, *rest in session.exec(_COUNTS, params={"ids": ids}):
        counts[pid], r_days[pid] = tuple(rest[:5]), tuple(rest[5:])
    return days, signed_at, _unsigned_r_days(session, r_days, signed_at), counts


def _unsigned_r_days(session: Session, r_days: dict, signed_at: dict) -> dict[int, int]:
    """R-days that began before the package was fully signed (package_flags' rule): all of
    them when it never was, none when it was before the first; else count the days."""
    unsigned: dict[int, int] = defaultdict(int)
    to_count = []
    for pid, (count, first) in r_days.items():
        signed = signed_at[pid]
        if count is None:  # no placement_days row yet: count from the days
            to_count.append(pid)
        elif count == 0 or (signed and not is_unsigned_r_day(first, DayKind.R, signed)):
            continue  # no R-days, or signed before the first began: none
        elif signed is None:
            unsigned[pid] = count
        else:
            to_count.append(pid)
    if to_count:
        for pid, day in session.exec(_R_DAYS, params={"ids": to_count}):
            unsigned[pid] += is_unsigned_r_day(day, DayKind.R, signed_at[pid])
    return unsigned

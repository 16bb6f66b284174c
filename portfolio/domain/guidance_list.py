"""The list of guidance moments (/begeleiding): a filter read from the URL, a sort, one SELECT.

Paged with portfolio.pagination like the other growing lists (about 50 rows a page), so a
supervisor with years of sessions or the coordinator with the whole programme gets the same
fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import select

from portfolio.domain.guidance import STATUS_LABELS
from portfolio.models import GuidanceMoment, GuidanceStatus, Placement, Pool, User
from portfolio.pagination import ListArgs, Sorting

# A moment still counts as coming until 12 hours after its start (the day it is held).
STILL_COMING = timedelta(hours=12)
PERIODS = {"komend": "Komende momenten", "voorbij": "Voorbije momenten"}
STATUSES = {str(key): label for key, label in STATUS_LABELS.items()}

SORTING = Sorting(
    columns={
        "wanneer": ("Wanneer", GuidanceMoment.starts_at),
        "soort": ("Soort", GuidanceMoment.type),
        "voor": ("Voor", func.lower(func.coalesce(User.name, Pool.name))),
        "status": ("Status", GuidanceMoment.status),
    },
    default="wanneer",
    tie_breaker=GuidanceMoment.id,
    default_descending=True,  # the latest first, as the list was before it was paged
)


@dataclass(frozen=True)
class MomentFilter:
    period: str = ""  # komend, voorbij or both
    status: str = ""


def read_filter(args: ListArgs) -> MomentFilter:
    """Read the filter from the query string; unknown values are dropped with a note."""
    return MomentFilter(
        period=args.choice("periode", PERIODS, "Periode"),
        status=args.choice("status", STATUSES, "Status"),
    )


def moments_query(visible: ColumnElement[bool], chosen: MomentFilter, moment: datetime):
    """Return the SELECT of (moment, placement, student, pool) rows for the filter, unsorted."""
    query = (
        select(GuidanceMoment, Placement, User, Pool)
        .outerjoin(Placement, Placement.id == GuidanceMoment.placement_id)
        .outerjoin(User, User.id == Placement.student_id)
        .outerjoin(Pool, Pool.id == GuidanceMoment.pool_id)
        .where(visible)
    )
    if chosen.period == "komend":
        query = query.where(GuidanceMoment.starts_at >= moment - STILL_COMING)
    elif chosen.period == "voorbij":
        query = query.where(GuidanceMoment.starts_at < moment - STILL_COMING)
    if chosen.status:
        query = query.where(GuidanceMoment.status == GuidanceStatus(chosen.status))
    return query


def is_coming(gm: GuidanceMoment, moment: datetime) -> bool:
    return gm.starts_at >= moment - STILL_COMING

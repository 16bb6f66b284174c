"""The students overview (supervisors, and the coordinator's whole programme): one row per student.

Filtering, sorting and paging happen in SQL over the derived per-day columns (see
portfolio.domain.day_state), so the number of queries and the rows fetched stay the same whether
the list holds forty students or fifteen thousand. The numbers of a page are then gathered for its
(at most PER_PAGE) placements at once (portfolio.domain.overview_numbers).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import ColumnElement, Select, exists, func, literal_column, or_
from sqlalchemy.sql.elements import True_
from sqlmodel import Session, select

from portfolio.bound_lists import in_list
from portfolio.clock import today_in_brussels
from portfolio.domain import placement_days
from portfolio.domain.deadline import CLOSING_GRACE_DAYS, closes_at, is_closed
from portfolio.domain.guidance_attendance import absence_flag
from portfolio.domain.overview_numbers import UPCOMING_DAYS, designs_ahead, page_numbers
from portfolio.domain.progress import reflection_missing
from portfolio.models import (
    FeedbackRequest,
    Placement,
    PlacementDays,
    PlacementStatus,
    StageDay,
    User,
)
from portfolio.pagination import Page, Pager

FILTERS = {
    "": "Alle studenten die ik mag zien",
    "mijn": "Alleen mijn vaste studenten",
    "ontbrekend": "Alleen met ontbrekende stukken",
    "vragen": "Alleen met open vragen om feedback",
}
SORTS = {
    "naam": "Student",
    "afsluiting": "Afsluiting",
    "reflecties": "Ontbrekende reflecties",
    "vragen": "Open vragen",
}
# A cache's get_or_compute(key, compute): keeps a whole-programme order for a while.
Remember = Callable[[Hashable, Callable[[], array]], array]
DESCENDING_FIRST = {"reflecties", "vragen"}  # most first is what a supervisor wants to see


@dataclass
class OverviewRow:
    placement: Placement
    student: User
    is_fixed: bool
    days_done: int
    days_to_come: int
    reflections_missing: int
    designs_not_ready: int  # offers without a ready design on the stage days ahead
    package_signed: bool
    unsigned_r_days: int  # R-days that began before the stagepakket was fully signed
    absence_flag: str | None  # set from the second illegitimate absence at guidance sessions
    open_requests: int
    oldest_request_at: datetime | None
    last_feedback_at: datetime | None  # from the college: mentors' notes do not count
    warnings: int
    closes_at: datetime
    days_until_closing: int | None  # None once closed or stopped
    state: str  # loopt, afgesloten, stopgezet

    @property
    def is_missing_something(self) -> bool:
        return self.reflections_missing > 0 or self.designs_not_ready > 0


UNKNOWN_OPTION_NOTE = "Die filter of sortering kennen we niet; je ziet de standaardweergave."


@dataclass(frozen=True)
class OverviewOptions:
    filter: str = ""
    search: str = ""
    sort: str = "naam"
    descending: bool = False
    note: str = ""  # set when the URL asked for a filter or sort that does not exist

    @classmethod
    def parse(cls, args) -> OverviewOptions:
        """Read the options from query args; unknown values fall back to the defaults."""
        raw_sort = (args.get("sort") or "naam").strip()
        descending = raw_sort.startswith("-")
        sort = raw_sort.lstrip("-")
        flt = args.get("filter") or ""
        known = sort in SORTS and flt in FILTERS
        return cls(
            filter=flt if flt in FILTERS else "",
            search=(args.get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else "naam",
            descending=descending and sort in SORTS,
            note="" if known else UNKNOWN_OPTION_NOTE,
        )

    def url_args(self) -> dict[str, str]:
        """Return the query args that keep this view (for page links)."""
        args = {"sort": ("-" if self.descending else "") + self.sort}
        if self.filter:
            args["filter"] = self.filter
        if self.search:
            args["q"] = self.search
        return args

    def sort_param(self, column: str) -> str:
        """Return the `sort` value a header link should carry (toggle when active)."""
        if column == self.sort:
            return column if self.descending else "-" + column
        return "-" + column if column in DESCENDING_FIRST else column

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def build_overview(
    session: Session,
    *,
    visible: ColumnElement[bool],
    viewer_id: int,
    moment: datetime,
    options: OverviewOptions = OverviewOptions(),
    pager: Pager | None = None,
    remember: Remember | None = None,
) -> Page[OverviewRow]:
    """Return one page of rows for the placements matching `visible` (8 queries, whatever N).

    With `remember` (a TTLCache's get_or_compute, for the whole programme's list) an order the
    database must sort every placement for is computed once and its pages are slices of it;
    the rows themselves are always read fresh.
    """
    today = today_in_brussels(moment)
    horizon = today + timedelta(days=UPCOMING_DAYS)
    pager = pager or Pager()
    where = [visible]
    if options.filter == "mijn":
        where.append(Placement.supervisor_id == viewer_id)
    elif options.filter == "ontbrekend":
        where.append(_missing_something(today, horizon))
    elif options.filter == "vragen":
        where.append(
            Placement.id.in_(
                select(FeedbackRequest.placement_id).where(FeedbackRequest.resolved_at.is_(None))
            )
        )
    named = None
    if options.search:
        pattern = "%" + options.search.lower().replace("%", "").replace("_", "") + "%"
        named = func.lower(User.name).like(pattern)
    ordered = partial(_ordered_ids, session, where, named, options, today, visible)
    if remember is not None and is_costly_order(options):
        # A kept order costs no statement at all: the query is built only to compute it.
        view = (options.filter, options.search.lower(), options.sort, options.descending)
        kept = remember((viewer_id, *view, today), lambda: array("i", ordered().all()))
        pager = pager.fit(len(kept))
        ids, total = list(kept[pager.offset : pager.offset + pager.per_page]), len(kept)
    else:
        total = session.exec(_counted(where, named)).one()
        pager = pager.fit(total)
        ids = ordered(pager.offset, pager.per_page).all()
    found = {
        placement.id: (placement, student)
        for placement, student in session.exec(_PAGE_ROWS, params={"ids": ids})
    }
    # A remembered order may still name a placement that was deleted since: it drops out.
    pairs = [found[pid] for pid in ids if pid in found]
    return Page(_rows(session, pairs, viewer_id, moment, horizon), total, pager)


def _ordered_ids(session, where, named, options, today, visible, offset=0, limit=None):
    """The matching placements' ids in the view's order (a slice of them with a limit)."""
    # The page's ids first, then their rows: sorting 15,000 narrow rows (id, name, count) is
    # a third faster in the database than sorting them with every column of both tables.
    query = select(Placement.id).join(User, User.id == Placement.student_id).where(*where)
    if named is not None:
        query = query.where(named)
    query, ordering = _sorted_by(session, query, options.sort, today, visible)
    query = query.order_by(
        ordering.desc() if options.descending else ordering.asc(),
        func.lower(User.name),
        Placement.id,
    )
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return session.exec(query)


def is_costly_order(options: OverviewOptions) -> bool:
    """Whether the database must read every visible placement to order this view (a count to
    sort by, a filter over every placement's days or requests, a name search), rather than
    walk the names in order until the page is full."""
    return (
        options.sort != "naam" or options.filter in ("ontbrekend", "vragen") or bool(options.search)
    )


def _counted(where: list, named) -> Select:
    # The count joins the students only to search their names: an inner join of 15,000
    # placements with 30,000 people costs the database more than the count itself.
    counted = select(func.count(Placement.id)).where(*where)
    if named is not None:
        counted = counted.join(User, User.id == Placement.student_id).where(named)
    return counted


_PAGE_ROWS = (
    select(Placement, User)
    .join(User, User.id == Placement.student_id)
    .where(in_list(Placement.id, "ids"))
)


# ---------------------------------------------------------------- filters and sort keys in SQL


def _open_requests():
    """Open feedback requests per placement, as (placement_id, n)."""
    return (
        select(FeedbackRequest.placement_id, func.count(FeedbackRequest.id).label("n"))
        .where(FeedbackRequest.resolved_at.is_(None))
        .group_by(FeedbackRequest.placement_id)
    )


def _missing_something(today: date, horizon: date) -> ColumnElement[bool]:
    """Placements with a missing reflection or a design not ready for the days ahead.

    The first from placement_days (its first unreflected day is before today), the second from
    the index of the days that lack a design (ix_stageday_unready): neither reads every day.
    Correlated EXISTS, not IN: most placements qualify, so the database walks the students in
    name order and checks each row of the page (5 ms for page 7 at 15,000), where IN made it
    hash every placement and sort them all (36 ms).
    """
    return or_(
        exists().where(
            PlacementDays.placement_id == Placement.id,
            placement_days.reflection_missing(today),
        ),
        exists().where(StageDay.placement_id == Placement.id, designs_ahead(today, horizon)),
    )


def _sorted_by(session: Session, query, sort: str, today: date, visible: ColumnElement[bool]):
    """Return the query (joined to the counts it sorts by, if any) and its sort key.

    Counts come from one grouped subquery joined once (a hash join over the rows that count),
    not a count per placement: at 15,000 placements that is the difference that matters. The
    count is limited to the visible placements: a supervisor's 40, not the whole programme's.
    """
    if sort in ("reflecties", "vragen"):
        if sort == "reflecties":
            counts = (
                select(StageDay.placement_id, func.count().label("n"))  # from the index alone
                .where(reflection_missing(today))
                .group_by(StageDay.placement_id)
            )
            if not isinstance(visible, True_):  # the coordinator sees all: no need to narrow
                counts = counts.where(
                    StageDay.placement_id.in_(select(Placement.id).where(visible))
                )
            counts = counts.subquery()
        else:
            counts = _open_requests().subquery()
        query = query.outerjoin(counts, counts.c.placement_id == Placement.id)
        return query, func.coalesce(counts.c.n, 0)
    if sort == "afsluiting":
        return query, func.coalesce(Placement.closes_at_override, _closing_estimate(session))
    return query, func.lower(User.name)


def _closing_estimate(session: Session):
    """Midnight UTC after the regular closing day: within an hour of the real closing moment.

    Close enough to order by (portfolio.domain.deadline has the exact rule); the database has
    no Brussels clock, and the two dialects add days to a date differently.
    """
    days = CLOSING_GRACE_DAYS + 1
    if session.get_bind().dialect.name == "postgresql":
        return Placement.last_day + literal_column(f"interval '{days} days'")
    return func.datetime(Placement.last_day, f"+{days} days")


# ---------------------------------------------------------------- the numbers of one page


def _rows(session, pairs, viewer_id: int, moment: datetime, horizon: date) -> list[OverviewRow]:
    ids = [placement.id for placement, _ in pairs]  # at most one page: a bounded IN list
    if not ids:
        return []
    today = today_in_brussels(moment)
    days, signed_at, unsigned_r_days, counts = page_numbers(session, ids, today, horizon)
    rows = []
    for placement, student in pairs:
        done, to_come, missing, not_ready = days.get(placement.id, (0, 0, 0, 0))
        count, oldest, last_feedback, warnings, absences = counts[placement.id]
        closing = closes_at(placement)
        if placement.status == PlacementStatus.STOPPED:
            state, days_left = "stopgezet", None
        elif is_closed(placement, moment):
            state, days_left = "afgesloten", None
        else:
            state, days_left = "loopt", (today_in_brussels(closing) - today).days
        rows.append(
            OverviewRow(
                placement=placement,
                student=student,
                is_fixed=placement.supervisor_id == viewer_id,
                days_done=int(done),
                days_to_come=int(to_come),
                reflections_missing=int(missing),
                designs_not_ready=int(not_ready),
                package_signed=signed_at[placement.id] is not None,
                unsigned_r_days=unsigned_r_days[placement.id],
                absence_flag=absence_flag(absences),
                open_requests=count,
                oldest_request_at=oldest,
                last_feedback_at=last_feedback,
                warnings=warnings,
                closes_at=closing,
                days_until_closing=days_left,
                state=state,
            )
        )
    return rows

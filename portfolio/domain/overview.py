"""The supervisors' overview: one row per student, built with a fixed number of queries.

Every number is gathered for all visible placements at once (IN over the placement ids, GROUP BY
counts), so the page costs the same whether a supervisor follows one student or forty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, select

from portfolio.clock import today_in_brussels
from portfolio.domain.deadline import closes_at, is_closed
from portfolio.domain.feedback import MENTOR_NOTE
from portfolio.domain.progress import DesignState, ReflectionState, day_statuses
from portfolio.domain.signing import is_fully_signed
from portfolio.models import (
    Feedback,
    FeedbackRequest,
    Item,
    ItemKind,
    Placement,
    PlacementStatus,
    Presence,
    Signature,
    User,
    Warning,
)

UPCOMING_DAYS = 7  # designs must be ready for the stage days in this window

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


@dataclass(frozen=True)
class OverviewOptions:
    filter: str = ""
    search: str = ""
    sort: str = "naam"
    descending: bool = False

    @classmethod
    def parse(cls, args) -> OverviewOptions:
        """Read the options from query args; unknown values fall back to the defaults."""
        raw_sort = (args.get("sort") or "naam").strip()
        descending = raw_sort.startswith("-")
        sort = raw_sort.lstrip("-")
        if sort not in SORTS:
            sort, descending = "naam", False
        flt = args.get("filter") or ""
        return cls(
            filter=flt if flt in FILTERS else "",
            search=(args.get("q") or "").strip()[:100],
            sort=sort,
            descending=descending,
        )

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
) -> list[OverviewRow]:
    """Return the rows for the placements matching `visible` (8 queries, whatever the count)."""
    query = select(Placement, User).join(User, User.id == Placement.student_id).where(visible)
    if options.filter == "mijn":
        query = query.where(Placement.supervisor_id == viewer_id)
    if options.search:
        pattern = "%" + options.search.lower().replace("%", "").replace("_", "") + "%"
        query = query.where(func.lower(User.name).like(pattern))
    pairs = session.exec(query).all()
    placements = [p for p, _ in pairs]
    ids = [p.id for p in placements]
    if not ids:
        return []

    statuses = day_statuses(session, placements, moment)
    signed = _packages_signed(session, ids)
    requests = {
        pid: (count, oldest)
        for pid, count, oldest in session.exec(
            select(
                FeedbackRequest.placement_id,
                func.count(FeedbackRequest.id),
                func.min(FeedbackRequest.asked_at),
            )
            .where(FeedbackRequest.placement_id.in_(ids), FeedbackRequest.resolved_at.is_(None))
            .group_by(FeedbackRequest.placement_id)
        )
    }
    last_feedback = dict(
        session.exec(
            select(Feedback.placement_id, func.max(Feedback.created_at))
            .where(Feedback.placement_id.in_(ids), Feedback.kind != MENTOR_NOTE)
            .group_by(Feedback.placement_id)
        ).all()
    )
    warnings = dict(
        session.exec(
            select(Warning.placement_id, func.count(Warning.id))
            .where(Warning.placement_id.in_(ids))
            .group_by(Warning.placement_id)
        ).all()
    )

    today = today_in_brussels(moment)
    horizon = today + timedelta(days=UPCOMING_DAYS)
    rows = []
    for placement, student in pairs:
        days = statuses[placement.id]
        count, oldest = requests.get(placement.id, (0, None))
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
                # A day the mentor recorded as absent was not done.
                days_done=sum(
                    1 for d in days if d.day < today and d.stage_day.presence != Presence.ABSENT
                ),
                days_to_come=sum(1 for d in days if d.day >= today),
                reflections_missing=sum(1 for d in days if d.reflection == ReflectionState.MISSING),
                designs_not_ready=sum(
                    d.offers - d.designs_ready
                    for d in days
                    if today <= d.day < horizon and d.design == DesignState.MISSING
                ),
                package_signed=signed.get(placement.id, False),
                open_requests=count,
                oldest_request_at=oldest,
                last_feedback_at=last_feedback.get(placement.id),
                warnings=warnings.get(placement.id, 0),
                closes_at=closing,
                days_until_closing=days_left,
                state=state,
            )
        )
    return _filtered_and_sorted(rows, options)


def _packages_signed(session: Session, ids: list[int]) -> dict[int, bool]:
    """Return, per placement id, whether its stagepakket is signed by all three (2 queries)."""
    packages = session.exec(
        select(Item).where(
            Item.placement_id.in_(ids),
            Item.kind == ItemKind.STAGEPAKKET,
            Item.deleted_at.is_(None),
        )
    ).all()
    signatures = defaultdict(list)
    for signature in session.exec(
        select(Signature)
        .join(Item, Item.id == Signature.item_id)
        .where(Item.placement_id.in_(ids), Item.kind == ItemKind.STAGEPAKKET)
    ):
        signatures[signature.item_id].append(signature)
    signed: dict[int, bool] = {}
    for package in packages:
        signed[package.placement_id] = signed.get(package.placement_id, False) or is_fully_signed(
            package, signatures[package.id]
        )
    return signed


def _filtered_and_sorted(rows: list[OverviewRow], options: OverviewOptions) -> list[OverviewRow]:
    if options.filter == "ontbrekend":
        rows = [r for r in rows if r.is_missing_something]
    elif options.filter == "vragen":
        rows = [r for r in rows if r.open_requests]
    rows.sort(key=lambda r: (r.student.name.lower(), r.placement.id))
    keys = {
        "naam": lambda r: r.student.name.lower(),
        "afsluiting": lambda r: r.closes_at,
        "reflecties": lambda r: r.reflections_missing,
        "vragen": lambda r: r.open_requests,
    }
    if options.sort != "naam" or options.descending:
        # Stable sort: ties keep the alphabetical order from above.
        rows.sort(key=keys[options.sort], reverse=options.descending)
    return rows

"""The placement, its stage calendar, its closing moment and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from portfolio.models.base import json_field, moment_field


class Context(StrEnum):
    SCHOOL = "school"
    NON_SCHOOL = "niet-school"


# The conditions of StageDay's partial indexes (the same text in migration 0012).
UNREFLECTED = "reflection_written_at IS NULL"
UNREADY = "ready_design_count < offer_count"

CONTEXT_LABELS = {Context.SCHOOL: "Schoolse context", Context.NON_SCHOOL: "Niet-schoolse context"}


class PlacementStatus(StrEnum):
    ACTIVE = "actief"
    STOPPED = "stopgezet"


class DayKind(StrEnum):
    OPR = "OPR"
    R = "R"


class Presence(StrEnum):
    UNKNOWN = "onbekend"
    PRESENT = "aanwezig"
    ABSENT = "afwezig"


class Placement(SQLModel, table=True):
    """One student's keuzestage at one site; the portfolio hangs off it."""

    id: int | None = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="user.id", index=True)
    supervisor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    pool_id: int | None = Field(default=None, foreign_key="pool.id", index=True)
    mentor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    site_name: str = Field(max_length=200)
    site_address: str = Field(default="", max_length=400)
    context: str = Field(default=Context.SCHOOL, max_length=20)
    semester: int = Field(default=1)
    first_day: date = Field(index=True)  # the dashboard reads its min and max (academic years)
    last_day: date
    status: str = Field(default=PlacementStatus.ACTIVE, max_length=20, index=True)
    # Set by an extension; when null the closing moment follows from last_day.
    closes_at_override: datetime | None = moment_field(nullable=True)
    stopped_at: datetime | None = moment_field(nullable=True)
    # Null: the programme-wide default from Setting applies.
    one_on_one_hours_max: float | None = Field(default=None)
    created_at: datetime = moment_field(default_now=True)


class SemesterDefault(SQLModel, table=True):
    """The coordinator's default stage weekdays per semester (0 = Monday)."""

    semester: int = Field(primary_key=True)
    weekdays: str = Field(max_length=20)  # comma-separated ISO weekday numbers minus one
    hours_per_week: int = Field(default=20)


class Holiday(SQLModel, table=True):
    """A date on which no stage day is generated (school holidays, public holidays)."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True, index=True)
    name: str = Field(max_length=120)


class StageDay(SQLModel, table=True):
    """One stage day in a placement's calendar, with the mentor's presence confirmation."""

    __table_args__ = (
        UniqueConstraint("placement_id", "day"),
        # "Reflections missing" (written_at IS NULL AND day < today) and "designs missing in the
        # coming days" are ranges of these indexes of the days that lack something, read from
        # the index alone (see migration 0012).
        Index(
            "ix_stageday_unreflected",
            "day",
            "placement_id",
            postgresql_where=text(UNREFLECTED),
            sqlite_where=text(UNREFLECTED),
        ),
        Index(
            "ix_stageday_unready",
            "day",
            "placement_id",
            postgresql_where=text(UNREADY),
            sqlite_where=text(UNREADY),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    day: date = Field(index=True)
    kind: str = Field(default=DayKind.OPR, max_length=3)
    presence: str = Field(default=Presence.UNKNOWN, max_length=10)
    presence_note: str = Field(default="", max_length=1000)
    presence_by_id: int | None = Field(default=None, foreign_key="user.id")
    presence_at: datetime | None = moment_field(nullable=True)
    # Derived from the day's items whenever they change (portfolio.domain.day_state), so lists
    # filter and count with SQL instead of decoding every item's content on each page view.
    offer_count: int = Field(default=0)  # live offers planned on this day
    ready_design_count: int = Field(default=0)  # of those, how many have a ready design
    # When the last needed design became ready; null while one is missing or without offers.
    designs_ready_at: datetime | None = moment_field(nullable=True, index=True)
    # The Brussels date of designs_ready_at (a hair earlier: ready at 0:00 sharp is in time), so
    # "designs late" is a plain date comparison in SQL: designs_ready_on >= day.
    designs_ready_on: date | None = Field(default=None)
    # When the day's reflection first counted as written; null while it does not.
    reflection_written_at: datetime | None = moment_field(nullable=True)


class PlacementDays(SQLModel, table=True):
    """What the programme's counts need from one placement's stage days, as dates to compare.

    Kept by portfolio.domain.placement_days whenever a day or its derived state changes, so the
    coordinator's dashboard compares a few dates per placement instead of reading 600,000 days.
    No foreign key: a row outliving its placement is never read (queries start from Placement).
    """

    __tablename__ = "placement_days"

    placement_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    day_count: int = Field(default=0)
    # The ceil(n/2)-th day in date order: "half of the days are behind" is halfway_day < today.
    halfway_day: date | None = Field(default=None, index=True)
    # The first day without a written reflection: "reflections missing" is this < today.
    first_unreflected_day: date | None = Field(default=None, index=True)
    # The first day with offers whose designs were not ready before it: "late" is this <= today.
    first_late_design_day: date | None = Field(default=None, index=True)
    # The R-days: how many, and the first. An R-day that began before the stagepakket was fully
    # signed stays flagged (package_flags); signed before the first, none is; never, all are.
    r_day_count: int = Field(default=0)
    first_r_day: date | None = Field(default=None)


class PlacementWeek(SQLModel, table=True):
    """How many of a placement's reflections were first written in one week (UTC dates, Monday
    first): the dashboard's weekly chart sums these instead of counting every stage day."""

    __tablename__ = "placement_weeks"

    placement_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    monday: date = Field(primary_key=True, index=True)
    reflections: int = Field(default=0)


class DeadlineExtension(SQLModel, table=True):
    """A coordinator's extension of the closing moment, kept for the record."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    closes_at: datetime = moment_field()
    reason: str = Field(max_length=2000)
    granted_by_id: int = Field(foreign_key="user.id")
    granted_at: datetime = moment_field(default_now=True)


class Setting(SQLModel, table=True):
    """Programme-wide settings the coordinator can change (e.g. 1-on-1 hours)."""

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=2000)


class AuditEvent(SQLModel, table=True):
    """Who changed what, when: calendar edits, extensions, warnings, signatures."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = moment_field(default_now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    placement_id: int | None = Field(default=None, foreign_key="placement.id", index=True)
    action: str = Field(max_length=60)
    detail: dict = json_field()

"""Per stage day, as SQL conditions on StageDay: reflection missing? designs late?

The programme-wide pages count these over thousands of placements, so they must be conditions
the database evaluates, never a Python walk over item content (see portfolio.domain.progress for
the per-student rules shown on a student's own pages). They read the items' `completed_at`,
which the save path sets when an item first becomes complete.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Date, and_, func
from sqlalchemy.orm import aliased
from sqlmodel import select

from portfolio.models import Item, ItemKind, StageDay

Offer = aliased(Item, name="offer")
Design = aliased(Item, name="design")
Reflection = aliased(Item, name="reflection")


def reflection_written() -> ColumnElement[bool]:
    """The day has a complete reflection."""
    return (
        select(Reflection.id)
        .where(
            Reflection.stage_day_id == StageDay.id,
            Reflection.kind == ItemKind.REFLECTIE,
            Reflection.deleted_at.is_(None),
            Reflection.completed_at.is_not(None),
        )
        .correlate_except(Reflection)
        .exists()
    )


def reflection_missing(today: date) -> ColumnElement[bool]:
    """The day is over (before today, Brussels) and has no complete reflection."""
    return and_(StageDay.day < today, ~reflection_written())


def designs_late(today: date) -> ColumnElement[bool]:
    """The day has begun and one of its offers had no ready design the day before.

    `date(completed_at)` is the UTC date: a design finished in the first hour or two of the day
    in Brussels still counts as ready in time, a margin the dashboard accepts.
    """
    ready_in_time = (
        select(Design.id)
        .where(
            Design.parent_id == Offer.id,
            Design.kind == ItemKind.DENKWERK,
            Design.deleted_at.is_(None),
            Design.completed_at.is_not(None),
            func.date(Design.completed_at) < StageDay.day,
        )
        .correlate_except(Design)
        .exists()
    )
    late_offer = (
        select(Offer.id)
        .where(
            Offer.stage_day_id == StageDay.id,
            Offer.kind == ItemKind.AANBOD,
            Offer.deleted_at.is_(None),
            ~ready_in_time,
        )
        .correlate_except(Offer)
        .exists()
    )
    return and_(StageDay.day <= today, late_offer)


def reflections_written_per_day(since: date):
    """Return (a select of) (date written, count) for complete reflections since a date.

    The caller adds its placement filter (Reflection joined to Placement).
    """
    written_on = func.date(Reflection.completed_at, type_=Date)
    return (
        select(written_on, func.count(Reflection.id))
        .where(
            Reflection.kind == ItemKind.REFLECTIE,
            Reflection.deleted_at.is_(None),
            Reflection.completed_at.is_not(None),
            written_on >= since,
        )
        .group_by(written_on)
    )

"""The 1-op-1 budget: the programme's maximum of hours per student, overrides, hours used."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func
from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError
from portfolio.models import (
    GuidanceMoment,
    GuidanceStatus,
    GuidanceType,
    Placement,
    Setting,
    User,
)

HOURS_SETTING = "one_on_one_hours"


@dataclass(frozen=True)
class Hours:
    """The 1-op-1 budget of one placement, in minutes."""

    max_minutes: int
    used_minutes: int

    @property
    def left_minutes(self) -> int:
        return max(self.max_minutes - self.used_minutes, 0)

    @property
    def text(self) -> str:
        return (
            f"{format_minutes(self.used_minutes)} gebruikt van {format_minutes(self.max_minutes)}"
            f", nog {format_minutes(self.left_minutes)} over"
        )


def format_minutes(minutes: int) -> str:
    """Say a duration in Dutch: '1 u 30 min', '45 min', '2 u'."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} u {rest} min"
    return f"{hours} u" if hours else f"{rest} min"


def programme_hours(session: Session) -> float:
    """Return the programme-wide maximum of 1-op-1 hours (Setting, else the config default)."""
    setting = session.get(Setting, HOURS_SETTING)
    if setting is not None:
        try:
            return float(setting.value)
        except ValueError:
            pass
    return float(current_app.config["ONE_ON_ONE_HOURS_DEFAULT"])


def _budget_minutes(placement: Placement, default_hours: float) -> int:
    hours = placement.one_on_one_hours_max
    return round((default_hours if hours is None else hours) * 60)


def hours_for(session: Session, placements: Iterable[Placement]) -> dict[int, Hours]:
    """Return each placement's 1-op-1 budget and use, in two queries whatever their number."""
    placements = list(placements)
    if not placements:
        return {}
    default_hours = programme_hours(session)
    rows = session.exec(
        select(GuidanceMoment.placement_id, func.sum(GuidanceMoment.duration_minutes))
        .where(
            GuidanceMoment.placement_id.in_([p.id for p in placements]),
            GuidanceMoment.type == GuidanceType.EEN_OP_EEN,
            GuidanceMoment.status != GuidanceStatus.CANCELLED,
        )
        .group_by(GuidanceMoment.placement_id)
    ).all()
    used = {pid: int(total or 0) for pid, total in rows}
    return {p.id: Hours(_budget_minutes(p, default_hours), used.get(p.id, 0)) for p in placements}


def one_on_one_hours(session: Session, placement: Placement) -> Hours:
    return hours_for(session, [placement])[placement.id]


def check_budget(session: Session, placement: Placement, minutes: int) -> None:
    """Refuse a 1-op-1 talk that does not fit in what is left of the placement's budget."""
    hours = one_on_one_hours(session, placement)
    if hours.used_minutes + minutes > hours.max_minutes:
        raise DomainError(
            f"Dit gesprek ({format_minutes(minutes)}) past niet meer in je 1-op-1 begeleiding: "
            f"{hours.text}."
        )


def _parse_hours(hours: float) -> float:
    if not 0 <= hours <= 100:
        raise DomainError("Kies een aantal uren tussen 0 en 100.")
    return hours


def set_programme_hours(session: Session, hours: float, *, actor: User) -> None:
    """Set the programme-wide maximum of 1-op-1 hours per student (coordinator)."""
    hours = _parse_hours(hours)
    setting = session.get(Setting, HOURS_SETTING) or Setting(key=HOURS_SETTING, value="")
    setting.value = f"{hours:g}"
    session.add(setting)
    audit.record(session, actor=actor, action="begeleiding.uren-programma", hours=hours)


def set_placement_hours(
    session: Session, placement: Placement, hours: float | None, *, actor: User
) -> None:
    """Override (or with None, reset) the 1-op-1 maximum for one placement (coordinator)."""
    placement.one_on_one_hours_max = None if hours is None else _parse_hours(hours)
    session.add(placement)
    audit.record(
        session,
        actor=actor,
        action="begeleiding.uren-stage",
        placement_id=placement.id,
        hours=hours,
    )

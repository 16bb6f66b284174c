"""Which pages a student's phone keeps for offline use (the service worker's list).

Today's reflection, the last few stage days' reflections before it, and the designs
(denkwerk) of the offers planned on the next stage day: what a student writes on the bus
home or reads on the way to the school. Nothing else is kept offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RECENT_REFLECTIONS = 3


@dataclass(frozen=True)
class OfflinePages:
    reflection_day_ids: list[int]  # newest first
    design_offer_ids: list[int]


def pages_to_keep(
    days: list[tuple[int, date]],
    offers: list[tuple[int, int | None]],
    today: date,
    *,
    recent: int = RECENT_REFLECTIONS,
) -> OfflinePages:
    """Pick the stage days (id, day) to keep reflections of and the offers (id, day id) to keep.

    Reflections: today's stage day (if it is one) and the `recent` stage days before it,
    newest first. Designs: the offers of the first stage day after today.
    """
    ordered = sorted(days, key=lambda d: d[1])
    past = [day_id for day_id, day in reversed(ordered) if day <= today]
    is_stage_day = any(day == today for _, day in ordered)
    reflections = past[: recent + int(is_stage_day)]
    upcoming = [day_id for day_id, day in ordered if day > today]
    next_day = upcoming[0] if upcoming else None
    designs = [
        offer_id for offer_id, day_id in offers if next_day is not None and day_id == next_day
    ]
    return OfflinePages(reflection_day_ids=reflections, design_offer_ids=designs)

"""The 0-document ('overheen de stages'): what a new placement's copy starts with.

The student's own data carries over from their most recent earlier placement; the fields
that describe the site always come from the new placement.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from portfolio.models import Context, Item, ItemKind, Placement, StageDay, User
from portfolio.models.placement import CONTEXT_LABELS

# Fields of the 0-document that describe the site; they follow the new placement, not the old one.
SITE_FIELDS = ("stageplaats", "adres_stageplaats", "type_stageplaats", "stagedagen")
WEEKDAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _short_date(day: date) -> str:
    return f"{WEEKDAYS_NL[day.weekday()]} {day.day} {MONTHS_NL[day.month - 1]}"


def site_fields(session: Session, placement: Placement) -> dict:
    """Return the 0-document's site fields as the placement knows them."""
    days = session.exec(
        select(StageDay.day).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
    ).all()
    fields = {
        "stageplaats": placement.site_name,
        "adres_stageplaats": placement.site_address,
        "type_stageplaats": CONTEXT_LABELS.get(Context(placement.context), placement.context),
        "stagedagen": f"Semester {placement.semester}, {len(days)} stagedagen: "
        + ", ".join(_short_date(d) for d in days),
    }
    if placement.mentor_id is not None:
        mentor = session.get(User, placement.mentor_id)
        if mentor is not None:
            fields["mentoren"] = f"{mentor.name} ({mentor.email})"
    return fields


def nuldocument_start(session: Session, placement: Placement) -> dict:
    """Return the first content of a new placement's 0-document (the caller cleans it).

    The student's own data comes from the 0-document of their most recent earlier placement;
    the site fields always come from this placement. Mentors and management are carried over
    only when the site is the same.
    """
    earlier = session.exec(
        select(Item, Placement)
        .join(Placement, Placement.id == Item.placement_id)
        .where(
            Placement.student_id == placement.student_id,
            Placement.id != placement.id,
            Placement.first_day <= placement.first_day,
            Item.kind == ItemKind.NULDOCUMENT,
            Item.deleted_at.is_(None),
        )
        .order_by(Placement.first_day.desc(), Placement.id.desc())
    ).first()
    content: dict = {}
    if earlier is not None:
        old_item, old_placement = earlier
        content = {k: v for k, v in old_item.content.items() if k not in SITE_FIELDS}
        if old_placement.site_name.strip().lower() != placement.site_name.strip().lower():
            content.pop("mentoren", None)
            content.pop("directie", None)
    site = site_fields(session, placement)
    if "mentoren" in content:
        site.pop("mentoren", None)
    content.update({k: v for k, v in site.items() if v})
    return content

"""Walk one placement once and gather what one reader may see of it, for an export.

The permission checks are those of the pages (portfolio.access); the number of queries does
not depend on how much the portfolio holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from portfolio import access
from portfolio.domain import feedback as feedback_ops
from portfolio.domain import signing
from portfolio.domain.evaluation import attitudes_for
from portfolio.domain.evaluation_summary import EvaluationSummary, summarize
from portfolio.domain.files import uploads_by_item
from portfolio.domain.guidance import type_label
from portfolio.domain.people import users_by_id
from portfolio.domain.signing_view import signature_view
from portfolio.domain.steps import SPECS, KindSpec
from portfolio.domain.warnings import warnings_of
from portfolio.models import (
    GuidanceMoment,
    GuidanceNote,
    Item,
    ItemKind,
    ItemVersion,
    Placement,
    Role,
    Signature,
    StageDay,
    Upload,
    User,
    Warning,
)

# The portfolio's chapters in the handbook's order: (slug, title, kinds).
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("start", "0-document en verkenning", (ItemKind.NULDOCUMENT, ItemKind.VERKENNING)),
    ("stap-1", "Stap 1: beginsituatie", (ItemKind.BEGINSITUATIE, ItemKind.ZELFBEELD)),
    ("stap-2", "Stap 2: brainstorm en actiepunten", (ItemKind.ACTIEPUNT,)),
    ("stap-3", "Stap 3: werkrooster", (ItemKind.AANPAK, ItemKind.AANBOD, ItemKind.AGENDA)),
    ("stap-4", "Stap 4: denkwerk", (ItemKind.DENKWERK,)),
    (
        "stap-5",
        "Stap 5: reflectie",
        (ItemKind.REFLECTIE, ItemKind.LAATSTE_REFLECTIE, ItemKind.COACHING),
    ),
    ("stagepakket", "Stagepakket", (ItemKind.STAGEPAKKET,)),
    (
        "documenten",
        "Stageovereenkomst en risicoanalyse",
        (ItemKind.STAGEOVEREENKOMST, ItemKind.RISICOANALYSE),
    ),
    ("presentatie", "Presentatie", (ItemKind.PRESENTATIE, ItemKind.PRESENTATIE_ATTITUDE)),
    ("ontwerpwerk", "Ontwerpwerk", (ItemKind.ONTWERPWERK,)),
)


@dataclass
class History:
    """How an item came to be: how many saved versions, first and last save, by whom."""

    versions: int
    first_saved_at: datetime | None
    last_saved_at: datetime | None
    last_saved_by: User | None


@dataclass
class ExportItem:
    item: Item
    spec: KindSpec
    label: str
    history: History
    uploads: list[Upload]
    thread: list[feedback_ops.FeedbackView] = field(default_factory=list)
    signatures: dict | None = None  # a signed document's signature view


@dataclass
class Section:
    slug: str
    title: str
    items: list[ExportItem]


@dataclass
class GuidanceForm:
    moment: GuidanceMoment
    type_label: str
    notes: list[tuple[GuidanceNote, User | None]]


@dataclass
class PortfolioExport:
    """Everything one reader may see of one placement, ready to render."""

    placement: Placement
    student: User
    reader: User
    sections: list[Section]
    guidance: list[GuidanceForm]
    evaluation: EvaluationSummary | None
    show_synthesis: bool
    warnings: list[Warning] | None
    uploads: list[Upload]


def collect(session: Session, placement: Placement, reader: User) -> PortfolioExport:
    """Gather the placement as this reader may see it (who may read it at all: the caller)."""
    kinds = [k for k in SPECS if access.can_view_item_kind(reader, placement, k)]
    items = list(
        session.exec(
            select(Item)
            .where(
                Item.placement_id == placement.id,
                Item.deleted_at.is_(None),
                Item.kind.in_(kinds),
            )
            .order_by(Item.position, Item.created_at, Item.id)
        )
    )
    ids = [i.id for i in items]
    uploads = uploads_by_item(session, ids)
    histories = _histories(session, ids)
    threads = feedback_ops.item_threads(session, placement, ids)
    days = _days(session, placement)
    offers = {i.id: i for i in items if i.kind == ItemKind.AANBOD}
    attitudes = {a.id: a.name for a in attitudes_for(session, placement)}
    by_kind: dict[str, list[ExportItem]] = defaultdict(list)
    for item in items:
        export_item = ExportItem(
            item=item,
            spec=SPECS[item.kind],
            label=_label(item, days, offers, attitudes),
            history=histories.get(item.id) or History(0, None, None, None),
            uploads=uploads[item.id],
            thread=threads.get(item.id, []),
        )
        if signing.is_signable(item.kind):
            export_item.signatures = _signature_context(session, item, placement)
        by_kind[item.kind].append(export_item)
    for entries in by_kind.values():
        # Day by day, as the calendar runs; within a day (or without one) as the pages list them.
        entries.sort(key=lambda e: (_day_of(e.item, days) or date.max, e.item.position, e.item.id))
    sections = [
        Section(slug, title, [e for kind in section_kinds for e in by_kind.get(kind, [])])
        for slug, title, section_kinds in SECTIONS
        if any(k in kinds for k in section_kinds)
    ]
    summary = summarize(session, placement)
    return PortfolioExport(
        placement=placement,
        student=session.get(User, placement.student_id),
        reader=reader,
        sections=sections,
        guidance=_guidance(session, placement, reader),
        evaluation=summary,
        show_synthesis=access.can_see_synthesis(reader, placement, summary.synthesis),
        warnings=(
            warnings_of(session, placement) if access.can_see_warnings(reader, placement) else None
        ),
        uploads=[u for item_id in ids for u in uploads[item_id]],
    )


def _day_of(item: Item, days: dict) -> date | None:
    return days.get(item.stage_day_id) or item.day


def _label(item: Item, days: dict, offers: dict, attitudes: dict) -> str:
    """Name an item as the pages do: its kind, with its day, offer or attitude."""
    parts = [SPECS[item.kind].title]
    if item.title:
        parts.append(item.title)
    if (day := _day_of(item, days)) is not None:
        parts.append(day.strftime("%d-%m-%Y"))
    if item.parent_id in offers:
        parts.append(f"bij “{offers[item.parent_id].title or 'aanbod'}”")
    if item.attitude_id in attitudes:
        parts.append(attitudes[item.attitude_id])
    return " · ".join(parts)


def _days(session: Session, placement: Placement) -> dict:
    rows = session.exec(
        select(StageDay.id, StageDay.day).where(StageDay.placement_id == placement.id)
    )
    return dict(rows.all())


def _histories(session: Session, ids: list[int]) -> dict[int, History]:
    """Summarise every item's versions: counts, the newest of each and who saved it (3 queries)."""
    if not ids:
        return {}
    rows = session.exec(
        select(
            ItemVersion.item_id,
            func.count(ItemVersion.id),
            func.min(ItemVersion.saved_at),
        )
        .where(ItemVersion.item_id.in_(ids))
        .group_by(ItemVersion.item_id)
    ).all()
    newest = (
        select(ItemVersion.item_id, func.max(ItemVersion.version).label("version"))
        .where(ItemVersion.item_id.in_(ids))
        .group_by(ItemVersion.item_id)
        .subquery()
    )
    last = {
        v.item_id: v
        for v in session.exec(
            select(ItemVersion).join(
                newest,
                and_(
                    ItemVersion.item_id == newest.c.item_id,
                    ItemVersion.version == newest.c.version,
                ),
            )
        )
    }
    savers = users_by_id(session, {v.saved_by_id for v in last.values()} - {None})
    return {
        item_id: History(
            versions=count,
            first_saved_at=first,
            last_saved_at=last[item_id].saved_at if item_id in last else None,
            last_saved_by=savers.get(last[item_id].saved_by_id) if item_id in last else None,
        )
        for item_id, count, first in rows
    }


def _signature_context(session: Session, item: Item, placement: Placement) -> dict:
    """A signed document's signatures as its page shows them, plus every hash that was signed."""
    signatures = list(
        session.exec(
            select(Signature).where(Signature.item_id == item.id).order_by(Signature.signed_at)
        )
    )
    view = signature_view(session, item, placement, viewer=None)
    return {
        **view,
        "all_signatures": signatures,
        "current_hash": signing.current_hash(session, item),
    }


def _guidance(session: Session, placement: Placement, reader: User) -> list[GuidanceForm]:
    """The guidance moments of this placement with the form entries this reader may read."""
    notes = list(
        session.exec(
            select(GuidanceNote)
            .where(GuidanceNote.placement_id == placement.id)
            .order_by(GuidanceNote.created_at, GuidanceNote.id)
        )
    )
    # Group sessions belong to a pool, not the placement: they count here when written about.
    moments = session.exec(
        select(GuidanceMoment)
        .where(
            or_(
                GuidanceMoment.placement_id == placement.id,
                GuidanceMoment.id.in_({n.moment_id for n in notes}),
            )
        )
        .order_by(GuidanceMoment.starts_at, GuidanceMoment.id)
    )
    moments = [
        m
        for m in moments
        if reader.role != Role.MENTOR or access.is_site_visit_mentor(reader, m, placement)
    ]
    authors = users_by_id(session, {n.author_id for n in notes})
    by_moment: dict[int, list] = defaultdict(list)
    for note in notes:
        if access.can_read_guidance_note(reader, placement, note.author_id):
            by_moment[note.moment_id].append((note, authors.get(note.author_id)))
    return [GuidanceForm(m, type_label(m.type), by_moment[m.id]) for m in moments]

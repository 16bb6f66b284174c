"""Portfolio pages: the overview, the guided pages of single items and the lists per step."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portfolio.access import can_student_write, load_placement
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import items as ops
from portfolio.domain import package_flags, signing, timetable
from portfolio.domain.attitudes import active_attitudes
from portfolio.domain.deadline import closes_at, countdown
from portfolio.domain.files import upload_accept, uploads_by_item
from portfolio.domain.placements import stage_days
from portfolio.domain.progress import day_statuses
from portfolio.domain.steps import SPECS, filled_count, is_own_offer
from portfolio.models import Attitude, Item, ItemKind, Placement, Role, StageDay
from portfolio.routes.portfolio import bp
from portfolio.routes.portfolio.common import (
    BASE,
    DAY_SLUGS,
    PART_SLUGS,
    SLUG_OF,
    current_placement,
    day_items,
    form_context,
    item_url,
    items_of,
    load_item,
    load_offer,
    page,
    require_visible,
    visible,
)
from portfolio.routes.portfolio.signing import signature_context

# ---------------------------------------------------------------- overview


@bp.route("/portfolio", defaults={"placement_id": None})
@bp.route(BASE)
@login_required
def overview(placement_id: int | None):
    session = get_session()
    if placement_id is None:
        if current_user.role != Role.STUDENT:
            return redirect(url_for("home.index"))
        newest = current_placement(current_user.id)
        if newest is None:
            return redirect(url_for("home.index"))
        return redirect(url_for("portfolio.overview", placement_id=newest.id))
    placement = load_placement(placement_id)
    context = form_context(placement)
    by_kind: dict[str, list[Item]] = defaultdict(list)
    for item in items_of(placement):
        by_kind[item.kind].append(item)

    def progress(kind):
        found = by_kind.get(kind, [])
        filled, total = filled_count(kind, found[0].content if found else {})
        return {"filled": filled, "total": total, "item": found[0] if found else None}

    statuses = day_statuses(session, [placement], context["moment"])[placement.id]
    package = progress(ItemKind.STAGEPAKKET)["item"]
    signatures = signing.signatures_of(session, package) if package is not None else []
    context.update(
        package_signed=signing.is_fully_signed(package, signatures),
        package_signed_at=package_flags.fully_signed_at(package, signatures),
        is_unsigned_r_day=package_flags.is_unsigned_r_day,
        parts={kind: progress(kind) for kind in PART_SLUGS.values()},
        counts={kind: len(by_kind.get(kind, [])) for kind in SPECS},
        statuses=statuses,
        attitudes=active_attitudes(session),
        self_images_done=sum(
            1 for i in by_kind.get(ItemKind.ZELFBEELD, []) if filled_count(i.kind, i.content)[0] > 0
        ),
        slugs=SLUG_OF,
    )
    return render_template("portfolio/overview.html", **context)


# ---------------------------------------------------------------- single-item pages


def _render_item_page(placement: Placement, kind: str, item: Item | None, **extra):
    session = get_session()
    accept = upload_accept(kind)
    context = form_context(placement)
    context.update(
        kind=kind,
        spec=SPECS[kind],
        item=item,
        uploads=uploads_by_item(session, [item.id])[item.id] if item and accept else [],
        accept=accept,
        **extra,
    )
    if signing.is_signable(kind):
        context.update(signature_context(placement, item, kind))
        # A signed document is read-only until the student reopens it (after a warning).
        context["can_reopen"] = context["can_edit"] and context["locked"]
        context["can_edit"] = context["can_edit"] and not context["locked"]
    return render_template("portfolio/item.html", **context)


def _attitude_rows(placement: Placement, kind: str) -> list[tuple[Attitude, Item | None]]:
    by_attitude = {i.attitude_id: i for i in items_of(placement, [kind])}
    return [(a, by_attitude.get(a.id)) for a in active_attitudes(get_session())]


@bp.get(BASE + "/<slug>")
@login_required
def part(placement_id: int, slug: str):
    """A part of the portfolio kept once per placement. A GET never writes: without an item
    yet, the page shows a blank form whose first save (or first upload) creates it."""
    kind = PART_SLUGS.get(slug)
    if kind is None:
        abort(404)
    placement = load_placement(placement_id)
    require_visible(placement, kind)
    session = get_session()
    item = ops.find_item(session, placement, kind, ops.Scope())
    extra = {}
    if item is None and can_student_write(current_user, placement):
        # What the first save will start from (the 0-document's carried-over data).
        extra["start"] = ops.start_content(session, placement, kind)
    if kind == ItemKind.PRESENTATIE and visible(placement, ItemKind.PRESENTATIE_ATTITUDE):
        extra["attitude_rows"] = _attitude_rows(placement, ItemKind.PRESENTATIE_ATTITUDE)
    if kind in (ItemKind.LAATSTE_REFLECTIE, ItemKind.COACHING):
        deadline = closes_at(placement)
        extra.update(deadline=deadline, countdown=countdown(deadline, now()))
    new_upload_url = url_for("files.upload_to_part", placement_id=placement.id, slug=slug)
    return _render_item_page(placement, kind, item, new_upload_url=new_upload_url, **extra)


@bp.get(BASE + "/dagen/<int:stage_day_id>/<slug>")
@login_required
def day_item(placement_id: int, stage_day_id: int, slug: str):
    """A day's reflection or agenda. A GET never writes: without an item yet, the page shows a
    blank form whose first save (or first upload) creates it (a service worker fetching
    recent days in the background must not leave empty reflections behind)."""
    kind = DAY_SLUGS.get(slug)
    if kind is None:
        abort(404)
    placement = load_placement(placement_id)
    days = stage_days(get_session(), placement)
    at = next((n for n, d in enumerate(days) if d.id == stage_day_id), None)
    if at is None:
        abort(404)
    day = days[at]
    require_visible(placement, kind)
    item, offers = day_items(placement, day, kind)
    return _render_item_page(
        placement,
        kind,
        item,
        stage_day=day,
        day_offers=offers,
        day_slug=slug,
        previous_day=days[at - 1] if at > 0 else None,
        next_day=days[at + 1] if at + 1 < len(days) else None,
        new_upload_url=url_for(
            "files.upload_to_day", placement_id=placement.id, stage_day_id=day.id, slug=slug
        ),
    )


@bp.get(BASE + "/aanbod/<int:offer_id>/denkwerk")
@login_required
def design(placement_id: int, offer_id: int):
    """The design of one offer; like the parts, a GET never creates it (the service worker
    keeps the next day's designs for offline use)."""
    placement = load_placement(placement_id)
    offer = load_offer(placement, offer_id)
    require_visible(placement, ItemKind.DENKWERK)
    item = ops.find_item(get_session(), placement, ItemKind.DENKWERK, ops.Scope(parent_id=offer.id))
    own = is_own_offer(offer.content)
    keys = [f.key for f in SPECS[ItemKind.DENKWERK].fields if (f.key != "accenten") == own]
    return _render_item_page(
        placement,
        ItemKind.DENKWERK,
        item,
        offer=offer,
        own_offer=own,
        field_keys=keys,
        stage_day=get_session().get(StageDay, offer.stage_day_id),
        # Ready is kept by every save (domain/completion.py): nothing saved is not ready.
        ready=item is not None and item.completed_at is not None,
        # Designs take no files (files.UPLOAD_CATEGORIES): no first-upload URL.
    )


@bp.get(BASE + "/items/<int:item_id>")
@login_required
def item_page(placement_id: int, item_id: int):
    placement = load_placement(placement_id)
    item = load_item(placement, item_id)
    if SPECS[item.kind].singleton:
        return redirect(item_url(item))
    stage_day = get_session().get(StageDay, item.stage_day_id) if item.stage_day_id else None
    return _render_item_page(placement, item.kind, item, stage_day=stage_day)


# ---------------------------------------------------------------- list pages


def _list_page(placement_id: int, kind: str):
    placement, context = page(placement_id, kind)
    context.update(kind=kind, spec=SPECS[kind], list_items=items_of(placement, [kind]))
    return render_template("portfolio/list.html", **context)


@bp.get(BASE + "/stap-2")
@login_required
def step2(placement_id: int):
    return _list_page(placement_id, ItemKind.ACTIEPUNT)


@bp.get(BASE + "/ontwerpwerk")
@login_required
def ideas(placement_id: int):
    return _list_page(placement_id, ItemKind.ONTWERPWERK)


@bp.get(BASE + "/stap-3")
@login_required
def step3(placement_id: int):
    placement, context = page(placement_id, ItemKind.AANBOD)
    offers = defaultdict(list)
    agendas = {}
    aanpak = None
    for item in items_of(placement, [ItemKind.AANBOD, ItemKind.AGENDA, ItemKind.AANPAK]):
        if item.kind == ItemKind.AANBOD:
            offers[item.stage_day_id].append(item)
        elif item.kind == ItemKind.AGENDA:
            agendas[item.stage_day_id] = item
        else:
            aanpak = item
    for day_offers in offers.values():
        day_offers.sort(key=lambda o: (timetable.time_key(o.content.get("tijd")), o.id))
    days = stage_days(get_session(), placement)
    weeks = timetable.weeks_of(d.day for d in days)
    week = timetable.pick_week(weeks, context["today"], request.args.get("week"))
    if week is not None:
        days = [d for d in days if timetable.monday_of(d.day) == week]
    context.update(
        days=days,
        weeks=weeks,
        week=week,
        offers=offers,
        agendas=agendas,
        aanpak=aanpak,
        offer_spec=SPECS[ItemKind.AANBOD],
        aanpak_spec=SPECS[ItemKind.AANPAK],
        sources=ops.OFFER_SOURCES,
    )
    return render_template("portfolio/step3.html", **context)


@bp.get(BASE + "/stap-4")
@login_required
def step4(placement_id: int):
    placement, context = page(placement_id, ItemKind.DENKWERK)
    statuses = day_statuses(get_session(), [placement], context["moment"])[placement.id]
    offers = defaultdict(list)
    designs = {}
    for item in items_of(placement, [ItemKind.AANBOD, ItemKind.DENKWERK]):
        if item.kind == ItemKind.AANBOD:
            offers[item.stage_day_id].append(item)
        elif item.parent_id is not None:
            designs[item.parent_id] = item
    context.update(statuses=statuses, offers=offers, designs=designs, is_own_offer=is_own_offer)
    return render_template("portfolio/step4.html", **context)


@bp.get(BASE + "/stap-5")
@login_required
def step5(placement_id: int):
    placement, context = page(placement_id, ItemKind.REFLECTIE)
    context["statuses"] = day_statuses(get_session(), [placement], context["moment"])[placement.id]
    return render_template("portfolio/step5.html", **context)


@bp.get(BASE + "/zelfbeeld")
@login_required
def self_image(placement_id: int):
    placement, context = page(placement_id, ItemKind.ZELFBEELD)
    context.update(
        kind=ItemKind.ZELFBEELD,
        spec=SPECS[ItemKind.ZELFBEELD],
        attitude_rows=_attitude_rows(placement, ItemKind.ZELFBEELD),
    )
    return render_template("portfolio/self_image.html", **context)

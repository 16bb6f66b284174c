"""Routes: the student's portfolio, step by step; items with autosave, preview and history.

Everyone who may view the placement reads (a mentor only MENTOR_VISIBLE_KINDS); only the
placement's student writes, and only while the portfolio is open.
"""

from __future__ import annotations

from collections import defaultdict

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlmodel import select

from portfolio.access import (
    can_student_write,
    can_view_item_kind,
    is_owner,
    load_placement,
    require_student_write,
)
from portfolio.clock import now, today_in_brussels
from portfolio.db import get_session
from portfolio.domain import items as ops
from portfolio.domain import signing
from portfolio.domain.deadline import closes_at, countdown
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.domain.files import uploads_by_item
from portfolio.domain.progress import day_statuses
from portfolio.domain.steps import SPECS, filled_count, is_own_offer
from portfolio.domain.versions import get_version, versions_of
from portfolio.markdown import render_markdown
from portfolio.models import (
    Attitude,
    Item,
    ItemKind,
    Placement,
    Role,
    StageDay,
    User,
)

bp = Blueprint("portfolio", __name__)

BASE = "/stages/<int:placement_id>/portfolio"
# Singleton items that hang off the placement, by their page slug.
PART_SLUGS = {
    "nuldocument": ItemKind.NULDOCUMENT,
    "verkenningsgesprek": ItemKind.VERKENNING,
    "stap-1": ItemKind.BEGINSITUATIE,
    "aanpak": ItemKind.AANPAK,
    "stagepakket": ItemKind.STAGEPAKKET,
    "laatste-reflectie": ItemKind.LAATSTE_REFLECTIE,
    "coachingsgesprek": ItemKind.COACHING,
    "presentatie": ItemKind.PRESENTATIE,
}
SLUG_OF = {kind: slug for slug, kind in PART_SLUGS.items()}
DAY_SLUGS = {"reflectie": ItemKind.REFLECTIE, "agenda": ItemKind.AGENDA}
# Which files each kind takes (the upload widget's `accept`).
UPLOADS = {
    ItemKind.VERKENNING: "image",
    ItemKind.REFLECTIE: "image,audio,video",
    ItemKind.PRESENTATIE: "pdf,audio,video",
    ItemKind.STAGEPAKKET: "pdf,image",
}
LIST_PAGES = {
    ItemKind.ACTIEPUNT: "portfolio.step2",
    ItemKind.AANBOD: "portfolio.step3",
    ItemKind.ONTWERPWERK: "portfolio.ideas",
}
OFFER_FIELDS = ("tijd", "omschrijving", "bron")
ADDED = {
    ItemKind.ACTIEPUNT: "Actiepunt toegevoegd.",
    ItemKind.AANBOD: "Aanbod toegevoegd aan je werkrooster.",
    ItemKind.ONTWERPWERK: "Idee toegevoegd.",
}


# ---------------------------------------------------------------- helpers


def _visible(placement: Placement, kind: str) -> bool:
    return can_view_item_kind(current_user, placement, kind)


def _require_visible(placement: Placement, kind: str) -> None:
    if not _visible(placement, kind):
        raise Forbidden("Dit deel van het portfolio is persoonlijk en niet zichtbaar voor jou.")


def _load_item(placement: Placement, item_id: int) -> Item:
    """Load an item of this placement: 404 when missing or of another placement, then 403."""
    item = get_session().get(Item, item_id)
    if item is None or item.placement_id != placement.id or item.deleted_at is not None:
        abort(404)
    _require_visible(placement, item.kind)
    return item


def _stage_day(placement: Placement, stage_day_id: int) -> StageDay:
    day = get_session().get(StageDay, stage_day_id)
    if day is None or day.placement_id != placement.id:
        abort(404)
    return day


def _attitudes() -> list[Attitude]:
    return list(
        get_session().exec(
            select(Attitude).where(Attitude.archived_at.is_(None)).order_by(Attitude.position)
        )
    )


def _items(placement: Placement, kinds=None) -> list[Item]:
    """All live items of the placement (of the given kinds) in one query."""
    query = select(Item).where(Item.placement_id == placement.id, Item.deleted_at.is_(None))
    if kinds is not None:
        query = query.where(Item.kind.in_(list(kinds)))
    return list(get_session().exec(query.order_by(Item.created_at, Item.id)))


def _uploads(item_ids) -> dict[int, list]:
    return uploads_by_item(get_session(), [i for i in item_ids if i is not None])


def item_url(item: Item) -> str:
    """The page where this item is edited."""
    pid = item.placement_id
    if item.kind in SLUG_OF:
        return url_for("portfolio.part", placement_id=pid, slug=SLUG_OF[item.kind])
    if item.kind in (ItemKind.REFLECTIE, ItemKind.AGENDA):
        slug = "reflectie" if item.kind == ItemKind.REFLECTIE else "agenda"
        return url_for(
            "portfolio.day_item", placement_id=pid, stage_day_id=item.stage_day_id, slug=slug
        )
    if item.kind == ItemKind.DENKWERK:
        return url_for("portfolio.design", placement_id=pid, offer_id=item.parent_id)
    if item.kind == ItemKind.ZELFBEELD:
        return url_for("portfolio.self_image", placement_id=pid) + f"#attitude-{item.attitude_id}"
    if item.kind == ItemKind.PRESENTATIE_ATTITUDE:
        return (
            url_for("portfolio.part", placement_id=pid, slug="presentatie")
            + f"#attitude-{item.attitude_id}"
        )
    return url_for(LIST_PAGES[item.kind], placement_id=pid) + f"#item-{item.id}"


def _form_context(placement: Placement) -> dict:
    moment = now()
    return {
        "placement": placement,
        "can_edit": can_student_write(current_user, placement),
        "is_student": is_owner(current_user, placement),
        "visible": lambda kind: _visible(placement, kind),
        "specs": SPECS,
        "moment": moment,
        "today": today_in_brussels(moment),
        "item_url": item_url,
    }


def _page(placement_id: int, kind: str) -> tuple[Placement, dict]:
    """Load the placement for a page about `kind` (404, 403) and the common page context."""
    placement = load_placement(placement_id)
    _require_visible(placement, kind)
    return placement, _form_context(placement)


def _singleton_for_page(placement, kind, *, stage_day_id=None, parent_id=None, attitude_id=None):
    """Find the item; the student of an open portfolio gets it created (uploads need an id)."""
    session = get_session()
    scope = ops.Scope(stage_day_id, parent_id, attitude_id)
    item = ops.find_item(session, placement, kind, scope)
    if item is None and can_student_write(current_user, placement):
        item = ops.get_or_create_item(
            session,
            placement,
            kind,
            stage_day_id=stage_day_id,
            parent_id=parent_id,
            attitude_id=attitude_id,
            actor=current_user,
            moment=now(),
        )
    return item


def _render_item_page(placement, kind, item, **extra):
    session = get_session()
    signatures = []
    if kind == ItemKind.STAGEPAKKET and item is not None:
        signatures = signing.signatures_of(session, item)
    uploads = _uploads([item.id]) if item is not None and kind in UPLOADS else {}
    context = _form_context(placement)
    context.update(
        kind=kind,
        spec=SPECS[kind],
        item=item,
        uploads=uploads.get(item.id, []) if item is not None else [],
        accept=UPLOADS.get(kind),
        signatures=signatures,
        **extra,
    )
    if kind == ItemKind.STAGEPAKKET:
        context.update(_signature_context(session, placement, item, signatures))
    return render_template("portfolio/item.html", **context)


def _signature_context(session, placement, item, signatures) -> dict:
    valid = signing.valid_signatures(item, signatures) if item is not None else {}
    voided = {s.role for s in signatures} - set(valid)
    signer_ids = {s.signer_id for s in signatures}
    names = {}
    if signer_ids:
        names = {
            u.id: u.name for u in session.exec(select(User).where(User.id.in_(list(signer_ids))))
        }
    my_role = signing.signer_role(current_user, placement)
    return {
        "valid_signatures": valid,
        "voided_roles": voided,
        "signer_names": names,
        "signing_roles": signing.SIGNING_ROLES,
        "role_names": signing.ROLE_NAMES,
        "my_signing_role": my_role,
        "fully_signed": signing.is_fully_signed(item, signatures),
    }


# ---------------------------------------------------------------- overview


@bp.route("/portfolio", defaults={"placement_id": None})
@bp.route(BASE)
@login_required
def overview(placement_id: int | None):
    session = get_session()
    if placement_id is None:
        if current_user.role != Role.STUDENT:
            return redirect(url_for("home.index"))
        newest = session.exec(
            select(Placement.id)
            .where(Placement.student_id == current_user.id)
            .order_by(Placement.first_day.desc())
        ).first()
        if newest is None:
            return redirect(url_for("home.index"))
        return redirect(url_for("portfolio.overview", placement_id=newest))
    placement = load_placement(placement_id)
    context = _form_context(placement)
    items = _items(placement)
    by_kind: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)

    def progress(kind):
        found = by_kind.get(kind, [])
        filled, total = filled_count(kind, found[0].content if found else {})
        return {"filled": filled, "total": total, "item": found[0] if found else None}

    attitudes = _attitudes()
    statuses = day_statuses(session, [placement], context["moment"])[placement.id]
    package = progress(ItemKind.STAGEPAKKET)["item"]
    signatures = signing.signatures_of(session, package) if package is not None else []
    context.update(
        package_signed=signing.is_fully_signed(package, signatures),
        parts={kind: progress(kind) for kind in PART_SLUGS.values()},
        counts={kind: len(by_kind.get(kind, [])) for kind in SPECS},
        statuses=statuses,
        attitudes=attitudes,
        self_images_done=sum(
            1 for i in by_kind.get(ItemKind.ZELFBEELD, []) if filled_count(i.kind, i.content)[0] > 0
        ),
        slugs=SLUG_OF,
    )
    return render_template("portfolio/overview.html", **context)


# ---------------------------------------------------------------- single-item pages


@bp.get(BASE + "/<slug>")
@login_required
def part(placement_id: int, slug: str):
    kind = PART_SLUGS.get(slug)
    if kind is None:
        abort(404)
    placement = load_placement(placement_id)
    _require_visible(placement, kind)
    item = _singleton_for_page(placement, kind)
    extra = {}
    if kind == ItemKind.PRESENTATIE and _visible(placement, ItemKind.PRESENTATIE_ATTITUDE):
        extra["attitude_rows"] = _attitude_rows(placement, ItemKind.PRESENTATIE_ATTITUDE)
    if kind in (ItemKind.LAATSTE_REFLECTIE, ItemKind.COACHING):
        deadline = closes_at(placement)
        extra.update(deadline=deadline, countdown=countdown(deadline, now()))
    return _render_item_page(placement, kind, item, **extra)


@bp.get(BASE + "/dagen/<int:stage_day_id>/<slug>")
@login_required
def day_item(placement_id: int, stage_day_id: int, slug: str):
    kind = DAY_SLUGS.get(slug)
    if kind is None:
        abort(404)
    placement = load_placement(placement_id)
    day = _stage_day(placement, stage_day_id)
    _require_visible(placement, kind)
    item = _singleton_for_page(placement, kind, stage_day_id=day.id)
    offers = [i for i in _items(placement, [ItemKind.AANBOD]) if i.stage_day_id == day.id]
    return _render_item_page(placement, kind, item, stage_day=day, day_offers=offers)


@bp.get(BASE + "/aanbod/<int:offer_id>/denkwerk")
@login_required
def design(placement_id: int, offer_id: int):
    placement = load_placement(placement_id)
    offer = _load_item(placement, offer_id)
    if offer.kind != ItemKind.AANBOD:
        abort(404)
    _require_visible(placement, ItemKind.DENKWERK)
    item = _singleton_for_page(placement, ItemKind.DENKWERK, parent_id=offer.id)
    own = is_own_offer(offer.content)
    keys = [f.key for f in SPECS[ItemKind.DENKWERK].fields if (f.key != "accenten") == own]
    stage_day = get_session().get(StageDay, offer.stage_day_id)
    return _render_item_page(
        placement,
        ItemKind.DENKWERK,
        item,
        offer=offer,
        own_offer=own,
        field_keys=keys,
        stage_day=stage_day,
        ready=item is not None and item.completed_at is not None,
    )


@bp.get(BASE + "/items/<int:item_id>")
@login_required
def item_page(placement_id: int, item_id: int):
    placement = load_placement(placement_id)
    item = _load_item(placement, item_id)
    if SPECS[item.kind].singleton:
        return redirect(item_url(item))
    stage_day = get_session().get(StageDay, item.stage_day_id) if item.stage_day_id else None
    return _render_item_page(placement, item.kind, item, stage_day=stage_day)


# ---------------------------------------------------------------- list pages


def _attitude_rows(placement: Placement, kind: str) -> list[tuple[Attitude, Item | None]]:
    attitudes = _attitudes()
    by_attitude = {i.attitude_id: i for i in _items(placement, [kind])}
    return [(a, by_attitude.get(a.id)) for a in attitudes]


def _multi_page(placement_id: int, kind: str, template: str, **extra):
    placement, context = _page(placement_id, kind)
    context.update(kind=kind, spec=SPECS[kind], list_items=_items(placement, [kind]), **extra)
    return render_template(template, **context)


@bp.get(BASE + "/stap-2")
@login_required
def step2(placement_id: int):
    return _multi_page(placement_id, ItemKind.ACTIEPUNT, "portfolio/list.html")


@bp.get(BASE + "/ontwerpwerk")
@login_required
def ideas(placement_id: int):
    return _multi_page(placement_id, ItemKind.ONTWERPWERK, "portfolio/list.html")


@bp.get(BASE + "/stap-3")
@login_required
def step3(placement_id: int):
    placement, context = _page(placement_id, ItemKind.AANBOD)
    session = get_session()
    items = _items(placement, [ItemKind.AANBOD, ItemKind.AGENDA, ItemKind.AANPAK])
    offers = defaultdict(list)
    agendas = {}
    aanpak = None
    for item in items:
        if item.kind == ItemKind.AANBOD:
            offers[item.stage_day_id].append(item)
        elif item.kind == ItemKind.AGENDA:
            agendas[item.stage_day_id] = item
        else:
            aanpak = item
    days = list(
        session.exec(
            select(StageDay).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
        )
    )
    for day_offers in offers.values():
        day_offers.sort(key=lambda o: (o.content.get("tijd", ""), o.id))
    context.update(
        days=days,
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
    placement, context = _page(placement_id, ItemKind.DENKWERK)
    statuses = day_statuses(get_session(), [placement], context["moment"])[placement.id]
    items = _items(placement, [ItemKind.AANBOD, ItemKind.DENKWERK])
    offers = defaultdict(list)
    designs = {}
    for item in items:
        if item.kind == ItemKind.AANBOD:
            offers[item.stage_day_id].append(item)
        elif item.parent_id is not None:
            designs[item.parent_id] = item
    context.update(statuses=statuses, offers=offers, designs=designs, is_own_offer=is_own_offer)
    return render_template("portfolio/step4.html", **context)


@bp.get(BASE + "/stap-5")
@login_required
def step5(placement_id: int):
    placement, context = _page(placement_id, ItemKind.REFLECTIE)
    context["statuses"] = day_statuses(get_session(), [placement], context["moment"])[placement.id]
    return render_template("portfolio/step5.html", **context)


@bp.get(BASE + "/zelfbeeld")
@login_required
def self_image(placement_id: int):
    placement, context = _page(placement_id, ItemKind.ZELFBEELD)
    context.update(
        kind=ItemKind.ZELFBEELD,
        spec=SPECS[ItemKind.ZELFBEELD],
        attitude_rows=_attitude_rows(placement, ItemKind.ZELFBEELD),
    )
    return render_template("portfolio/self_image.html", **context)


# ---------------------------------------------------------------- writes


def _int_field(name: str, *, required: bool = False) -> int | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        if required:
            raise DomainError(f"Het veld '{name}' ontbreekt.")
        return None
    try:
        return int(raw)
    except ValueError:
        raise DomainError(f"Het veld '{name}' is geen geldig getal.") from None


def _wants_fragment() -> bool:
    return request.headers.get("HX-Request") == "true"


@bp.post(BASE + "/bewaren")
@login_required
def save(placement_id: int):
    """Save one item (autosave or the Bewaren button); a new singleton is created first."""
    placement = load_placement(placement_id)
    require_student_write(placement)
    session = get_session()
    version = _int_field("version", required=True)
    item_id = _int_field("item_id")
    if item_id is not None:
        item = _load_item(placement, item_id)
        fresh = False
    else:
        kind = request.form.get("kind", "")
        ops.spec_or_error(kind)
        scope = ops.Scope(
            _int_field("stage_day_id"), _int_field("parent_id"), _int_field("attitude_id")
        )
        item = ops.find_item(session, placement, kind, scope)
        fresh = item is None
        if fresh:
            item = ops.get_or_create_item(
                session,
                placement,
                kind,
                stage_day_id=scope.stage_day_id,
                parent_id=scope.parent_id,
                attitude_id=scope.attitude_id,
                actor=current_user,
                moment=now(),
            )
    keys = SPECS[item.kind].field_keys() + (("bron",) if item.kind == ItemKind.AANBOD else ())
    content = {key: request.form[key] for key in keys if key in request.form}
    title = request.form.get("title") if item.kind == ItemKind.AANBOD else None
    try:
        ops.save_item(
            session,
            item,
            content=content,
            title=title,
            base_version=item.version if fresh and version == 0 else version,
            actor=current_user,
            moment=now(),
        )
    except ops.StaleVersion as conflict:
        return _conflict_response(placement, conflict, content, title)
    if not _wants_fragment():
        flash("Bewaard.", "success")
        return redirect(item_url(item), code=303)
    return render_template("portfolio/partials/_save_state.html", item=item, saved=True)


def _conflict_response(placement, conflict: ops.StaleVersion, mine: dict, my_title):
    item = conflict.item
    fields = [f for f in SPECS[item.kind].fields if f.key in mine or f.key in item.content]
    body = render_template(
        "portfolio/partials/_conflict.html",
        placement=placement,
        item=item,
        fields=fields,
        mine=mine,
        my_title=my_title,
        saved_by=conflict.saved_by,
    )
    if not _wants_fragment():
        body = render_template(
            "portfolio/conflict.html",
            conflict_html=Markup(body),  # noqa: S704 - a rendered (autoescaped) template
            item=item,
            back_url=item_url(item),
            placement=placement,
        )
    response = make_response(body, 409)
    response.headers["HX-Retarget"] = f"#conflict-{request.form.get('form_key', item.id)}"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


@bp.post(BASE + "/toevoegen")
@login_required
def create(placement_id: int):
    """Add an action point, an idea or an offer on a stage day."""
    placement = load_placement(placement_id)
    require_student_write(placement)
    kind = request.form.get("kind", "")
    spec = ops.spec_or_error(kind)
    if spec.singleton:
        raise DomainError("Van dit onderdeel bestaat er maar één.")
    content = {key: request.form[key] for key in OFFER_FIELDS if key in request.form}
    item = ops.create_item(
        get_session(),
        placement,
        kind,
        title=request.form.get("title", ""),
        content=content if kind == ItemKind.AANBOD else {},
        stage_day_id=_int_field("stage_day_id"),
        actor=current_user,
        moment=now(),
    )
    flash(ADDED[kind], "success")
    return redirect(item_url(item), code=303)


@bp.post(BASE + "/items/<int:item_id>/verwijderen")
@login_required
def delete(placement_id: int, item_id: int):
    placement = load_placement(placement_id)
    item = _load_item(placement, item_id)
    require_student_write(placement)
    back = url_for(LIST_PAGES.get(item.kind, "portfolio.overview"), placement_id=placement.id)
    ops.delete_item(get_session(), item, actor=current_user, moment=now())
    flash("Verwijderd. In de geschiedenis blijft het bewaard.", "success")
    return redirect(back, code=303)


@bp.post(BASE + "/stagepakket/ondertekenen")
@login_required
def sign(placement_id: int):
    """Sign the stagepakket as it is now (student, mentor or fixed supervisor)."""
    placement = load_placement(placement_id)
    if is_owner(current_user, placement):
        require_student_write(placement)
    session = get_session()
    item = ops.find_item(session, placement, ItemKind.STAGEPAKKET, ops.Scope())
    if item is None:
        raise DomainError("Het stagepakket is nog leeg; vul het eerst in.")
    signing.sign(session, item, placement, signer=current_user, moment=now())
    flash("Je ondertekende het stagepakket.", "success")
    return redirect(url_for("portfolio.part", placement_id=placement.id, slug="stagepakket"), 303)


@bp.post(BASE + "/voorbeeld")
@login_required
def preview(placement_id: int):
    """Render Markdown as it will look (safe renderer: raw HTML off, unsafe links refused)."""
    load_placement(placement_id)
    text = request.form.get("tekst", "")
    if len(text) > ops.MAX_FIELD_CHARS:
        raise DomainError("Deze tekst is te lang voor een voorbeeld.")
    html = render_markdown(text) or Markup('<p class="hint">Nog niets om te tonen.</p>')
    return make_response(str(html), 200, {"Content-Type": "text/html; charset=utf-8"})


# ---------------------------------------------------------------- history


@bp.get(BASE + "/items/<int:item_id>/geschiedenis")
@login_required
def history(placement_id: int, item_id: int):
    placement = load_placement(placement_id)
    item = _load_item(placement, item_id)
    session = get_session()
    versions = versions_of(session, item)
    author_ids = {v.saved_by_id for v in versions if v.saved_by_id}
    authors = {}
    if author_ids:
        authors = {u.id: u for u in session.exec(select(User).where(User.id.in_(author_ids)))}
    context = _form_context(placement)
    context.update(item=item, spec=SPECS[item.kind], versions=versions, authors=authors)
    return render_template("portfolio/history.html", **context)


@bp.get(BASE + "/items/<int:item_id>/versies/<int:version>")
@login_required
def version(placement_id: int, item_id: int, version: int):
    placement = load_placement(placement_id)
    item = _load_item(placement, item_id)
    session = get_session()
    row = get_version(session, item, version)
    author = session.get(User, row.saved_by_id) if row.saved_by_id else None
    context = _form_context(placement)
    context.update(item=item, spec=SPECS[item.kind], row=row, author=author)
    return render_template("portfolio/version.html", **context)


@bp.post(BASE + "/items/<int:item_id>/terugzetten")
@login_required
def restore(placement_id: int, item_id: int):
    """Make an earlier version (form field `version`) the current text again."""
    placement = load_placement(placement_id)
    item = _load_item(placement, item_id)
    require_student_write(placement)
    version = _int_field("version", required=True)
    ops.restore_version(get_session(), item, version, actor=current_user, moment=now())
    flash(f"Versie {version} staat terug als huidige tekst.", "success")
    return redirect(item_url(item), code=303)

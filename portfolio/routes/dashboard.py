"""Routes: the coordinator's dashboard (/beheer), its CSV/XLSX export and the readable log.

The dashboard's page is the coordinator area's home (coordinator.index renders it); every
route here sits behind the same coordinator gate as the rest of /beheer.
"""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func
from sqlmodel import Session, select

from portfolio.clock import now, today_in_brussels
from portfolio.dashboard_export import csv_chunks, xlsx_chunks
from portfolio.db import get_engine, get_session
from portfolio.domain import audit_log, dashboard, listings
from portfolio.domain.dashboard_rows import (
    SORTING,
    iter_rows,
    placements_query,
    reflections_per_week,
    rows_for,
)
from portfolio.models import Placement, Pool, Role
from portfolio.pagination import ListArgs, paginate
from portfolio.routes.coordinator import coordinator_required
from portfolio.ttl_cache import app_cache

bp = Blueprint("dashboard", __name__, url_prefix="/beheer")
bp.before_request(coordinator_required)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _academic_years(session) -> list[int]:
    first, last = session.exec(
        select(func.min(Placement.first_day), func.max(Placement.first_day))
    ).one()
    if first is None:
        return []
    return list(range(dashboard.academic_year_of(last), dashboard.academic_year_of(first) - 1, -1))


def dashboard_page():
    """Render the programme's counts, chart and the placements behind the chosen count."""
    session, moment = get_session(), now()
    args = ListArgs(request.args)
    chosen = dashboard.read_filter(args)
    conditions = dashboard.Conditions(moment)
    page = paginate(
        session,
        placements_query(conditions, chosen),
        args=args,
        sorting=SORTING,
        counted=placements_query(conditions, chosen, to_count=True),
    )
    figures_for = replace(chosen, count="")  # a clicked count narrows the list, not the figures
    counted_at, counts, bars = app_cache(
        "dashboard_figures", "DASHBOARD_CACHE_SECONDS"
    ).get_or_compute(
        figures_for,
        lambda: (
            moment,
            dashboard.counts(session, figures_for, moment),
            reflections_per_week(session, figures_for, moment),
        ),
    )
    return render_template(
        "coordinator/dashboard.html",
        page=page,
        rows=rows_for(session, page.rows, moment),
        counts=counts,
        counted_at=counted_at,
        chosen=chosen,
        bars=bars,
        bar_max=max([bar.count for bar in bars] + [1]),
        years=_academic_years(session),
        pools=session.exec(select(Pool).order_by(Pool.name)).all(),
        supervisors=listings.users_with_role(session, Role.SUPERVISOR),
        labels=dashboard,
        filter_args={k: v for k, v in args.kept.items() if k != "telling"},
    )


def _streamed(engine, chosen, moment, chunks):
    """Yield the export from its own session, so the stream needs no request context and a
    download that is never read (or is cut off) opens or leaves no connection behind."""
    with Session(engine) as session:
        yield from chunks(iter_rows(session, chosen, moment))


def _export(chunks, *, mimetype: str, extension: str):
    session, moment = get_session(), now()
    args = ListArgs(request.args)
    chosen = dashboard.read_filter(args)
    if args.notes or not dashboard.counts(session, chosen, moment)["totaal"]:
        flash(
            "Er zijn geen stages voor deze keuze: er valt niets te exporteren. "
            "Pas de filter aan en probeer opnieuw.",
            "error",
        )
        return redirect(url_for("coordinator.index", **args.kept), 303)
    name = f"stages-{today_in_brussels(moment).isoformat()}.{extension}"
    return Response(
        _streamed(get_engine(), chosen, moment, chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/export.csv")
def export_csv():
    return _export(csv_chunks, mimetype="text/csv; charset=utf-8", extension="csv")


@bp.get("/export.xlsx")
def export_xlsx():
    return _export(xlsx_chunks, mimetype=XLSX_MIME, extension="xlsx")


@bp.get("/logboek")
def log():
    """The audit log in Dutch sentences, filtered and paginated (read-only: append-only log)."""
    session = get_session()
    args = ListArgs(request.args)
    chosen = audit_log.read_filter(args)
    page = paginate(session, audit_log.events_query(chosen), args=args, sorting=audit_log.SORTING)
    return render_template(
        "coordinator/audit_log.html",
        page=page,
        entries=audit_log.entries(session, page.rows),
        chosen=chosen,
        kinds=audit_log.KINDS,
        unscoped_args={k: v for k, v in args.kept.items() if k not in ("stage", "persoon")},
    )

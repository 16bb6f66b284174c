"""Exports: a portfolio (or many) as a ZIP made in the background, with progress and a download."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from portfolio import jobs
from portfolio.access import load_placement
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.domain.files import get_storage
from portfolio.errors import is_htmx
from portfolio.exports import jobs as export_jobs
from portfolio.models import ExportJob, JobStatus, Pool, Role, User
from portfolio.routes.form_input import whole_number
from portfolio.storage import content_disposition

bp = Blueprint("exports", __name__)

BULK_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)


def _start(placements: list, title: str):
    """Record the job, commit it (the worker must see it), queue it and show its page."""
    session, moment = get_session(), now()
    twin = export_jobs.running_twin(
        session, owner=current_user, placements=placements, moment=moment
    )
    if twin is not None:
        return redirect(url_for("exports.job", job_id=twin.id), 303)
    export_jobs.delete_expired(session, get_storage(), moment=moment)
    job = export_jobs.create_job(session, owner=current_user, placements=placements, title=title)
    session.commit()
    jobs.submit(export_jobs.run_export, job.id)
    return redirect(url_for("exports.job", job_id=job.id), 303)


def _own_job(job_id: int) -> ExportJob:
    """Load a job or 404; only the one who asked for it sees it (403)."""
    job = get_session().get(ExportJob, job_id)
    if job is None:
        abort(404)
    if job.owner_id != current_user.id:
        raise Forbidden("Alleen wie deze export maakte, kan hem bekijken en downloaden.")
    return job


def _with_states(jobs: list[ExportJob]) -> list[tuple[ExportJob, str]]:
    moment = now()
    return [(job, export_jobs.state_of(job, moment)) for job in jobs]


# ---------------------------------------------------------------- one portfolio


@bp.get("/stages/<int:placement_id>/export")
@login_required
def placement(placement_id: int):
    placement = load_placement(placement_id)
    return render_template(
        "exports/placement.html",
        placement=placement,
        jobs=_with_states(export_jobs.jobs_of(get_session(), current_user, limit=5)),
    )


@bp.post("/stages/<int:placement_id>/export")
@login_required
def export_placement(placement_id: int):
    # Reading is enough: a student exports their portfolio also after it closed.
    placement = load_placement(placement_id)
    student = get_session().get(User, placement.student_id)
    return _start([placement], f"Portfolio van {student.name} ({placement.site_name})")


# ---------------------------------------------------------------- many portfolios


@bp.get("/exports")
@login_required
def index(error: str | None = None, status: int = 200):
    session = get_session()
    pools = []
    if current_user.role == Role.COORDINATOR:
        pools = list(session.exec(select(Pool).order_by(Pool.name)))
    page = render_template(
        "exports/index.html",
        jobs=_with_states(export_jobs.jobs_of(session, current_user)),
        may_bulk=current_user.role in BULK_ROLES,
        pools=pools,
        error=error,
    )
    return page, status


@bp.post("/exports")
@login_required
def export_many():
    if current_user.role not in BULK_ROLES:
        raise Forbidden("Exports van meerdere studenten zijn er voor begeleiders en coördinator.")
    try:
        return _export_many()
    except DomainError as refused:
        # Shown above the form it concerns, the choice still there to correct.
        return index(error=refused.message, status=refused.status)


def _export_many():
    scope = request.form.get("scope", "mine")
    pool_id = semester = None
    if current_user.role == Role.COORDINATOR and scope == "pool":
        pool_id = whole_number(request.form.get("pool_id"))
        pool = get_session().get(Pool, pool_id) if pool_id else None
        if pool is None:
            raise DomainError("Kies een pool uit de lijst.", status=422)
        title = f"Pool {pool.name}"
    elif current_user.role == Role.COORDINATOR and scope == "semester":
        semester = whole_number(request.form.get("semester"))
        if semester not in (1, 2):
            raise DomainError("Kies semester 1 of 2.", status=422)
        title = f"Semester {semester}"
    elif scope == "mine" and current_user.role == Role.SUPERVISOR:
        title = f"Studenten van {current_user.name}"
    else:
        raise DomainError("Kies wat je wil exporteren.", status=422)
    placements = export_jobs.exportable_placements(
        get_session(), current_user, pool_id=pool_id, semester=semester
    )
    return _start(placements, f"{title} ({len(placements)} studenten)")


# ---------------------------------------------------------------- a job: progress, retry, download


@bp.get("/exports/<int:job_id>")
@login_required
def job(job_id: int):
    job = _own_job(job_id)
    template = "exports/partials/_job.html" if is_htmx() else "exports/job.html"
    response = render_template(template, job=job, state=export_jobs.state_of(job, now()))
    return response, 200, {"Vary": "HX-Request"}


@bp.post("/exports/<int:job_id>/opnieuw")
@login_required
def retry(job_id: int):
    job = _own_job(job_id)
    export_jobs.retry_job(job, now())
    get_session().commit()
    jobs.submit(export_jobs.run_export, job.id)
    return redirect(url_for("exports.job", job_id=job.id), 303)


@bp.get("/exports/<int:job_id>/download")
@login_required
def download(job_id: int):
    job = _own_job(job_id)
    if export_jobs.state_of(job, now()) != JobStatus.DONE:
        raise DomainError(
            "Deze export is niet (meer) te downloaden. Maak een nieuwe export.",
            status=410,
            title="Niet meer beschikbaar",
        )
    filename = f"{job.title}.zip"
    storage = get_storage()
    url = storage.download_url(job.result_key, filename=filename, content_type="application/zip")
    if url:
        return redirect(url, 302)
    try:
        path = storage.local_path(job.result_key)
        source = path if path is not None else storage.open(job.result_key)
    except FileNotFoundError:
        raise DomainError(
            "Deze export is niet meer bewaard. Maak een nieuwe export.",
            status=410,
            title="Niet meer beschikbaar",
        ) from None
    response = send_file(source, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.cli.command("expire")
def expire():
    """Delete the export results whose time is up (the web app also does so on every export)."""
    import click

    session = get_session()
    count = export_jobs.delete_expired(session, get_storage(), moment=now())
    session.commit()
    click.echo(f"{count} verlopen export(s) verwijderd.")

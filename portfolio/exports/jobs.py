"""Exports as background jobs: ask, run with progress, keep the ZIP for a while, then delete it."""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from uuid import uuid4

from flask import current_app
from sqlmodel import Session, select

from portfolio import access
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain.errors import DomainError
from portfolio.domain.files import get_storage
from portfolio.exports import export_placements
from portfolio.models import ExportJob, JobStatus, Placement, User
from portfolio.storage import EXPORTS_PREFIX, Storage

log = logging.getLogger(__name__)

FAILED_MESSAGE = (
    "De export is mislukt. Probeer het opnieuw; lukt het dan nog niet, "
    "meld het aan de stagecoördinator."
)


def create_job(
    session: Session, *, owner: User, placements: list[Placement], title: str
) -> ExportJob:
    """Record an export of these placements for owner; refuse an empty selection."""
    if not placements:
        raise DomainError(
            "Er is niets om te exporteren: deze selectie bevat geen stages.", status=422
        )
    job = ExportJob(
        owner_id=owner.id,
        title=title[:300],
        placement_ids=[p.id for p in placements],
        total=len(placements),
    )
    session.add(job)
    session.flush()
    return job


EXPIRED = "verlopen"
# A job waiting or running this much longer than the job timeout lost its worker (a restart).
STUCK_MARGIN = timedelta(minutes=5)


def state_of(job: ExportJob, moment: datetime) -> str:
    """What the owner sees: wachtend, bezig, klaar, verlopen or mislukt (also when stuck)."""
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        timeout = timedelta(seconds=current_app.config["JOB_TIMEOUT_SECONDS"])
        if (job.started_at or job.created_at) + timeout + STUCK_MARGIN < moment:
            return JobStatus.FAILED
        return job.status
    if job.status == JobStatus.DONE and (
        job.result_key is None or (job.expires_at is not None and job.expires_at <= moment)
    ):
        return EXPIRED
    return job.status


def retry_job(job: ExportJob, moment: datetime) -> None:
    """Queue a failed, stuck or expired job again, from the start."""
    if state_of(job, moment) not in (JobStatus.FAILED, EXPIRED):
        raise DomainError("Deze export loopt nog of is klaar om te downloaden.", status=409)
    job.status, job.done, job.error = JobStatus.QUEUED, 0, ""
    job.created_at, job.started_at, job.finished_at, job.expires_at = moment, None, None, None


def run_export(job_id: int) -> None:
    """The background task: write the ZIP with progress, store it, or record the failure."""
    session = get_session()
    job = session.get(ExportJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return  # a job runs once; a retry queues it again
    job.status, job.started_at = JobStatus.RUNNING, now()
    session.commit()
    try:
        _export(session, job)
    except Exception:
        log.exception("export job %s failed", job_id)
        session.rollback()
        job = session.get(ExportJob, job_id)
        job.status, job.error, job.finished_at = JobStatus.FAILED, FAILED_MESSAGE, now()
        session.commit()


def _export(session: Session, job: ExportJob) -> None:
    owner = session.get(User, job.owner_id)
    placements = session.exec(
        select(Placement).where(Placement.id.in_(job.placement_ids)).order_by(Placement.id)
    ).all()
    # Rights may have changed since the job was asked for: check them again, as a page would.
    readable = [p for p in placements if access.can_view(owner, p)]
    job.total = len(readable)

    def progress(done: int, total: int) -> None:
        job.done = done
        session.commit()

    storage = get_storage()
    with tempfile.TemporaryDirectory(prefix="export-job-") as tmp:
        path = Path(tmp) / "export.zip"
        export_placements(
            session, readable, owner, storage=storage, path=path, made_at=now(), progress=progress
        )
        key = f"{EXPORTS_PREFIX}{job.id}/{uuid4().hex}.zip"
        size = path.stat().st_size
        with path.open("rb") as stream:
            storage.save(key, stream, content_type="application/zip", size=size)
    hours = current_app.config["EXPORT_RESULT_HOURS"]
    job.result_key, job.result_size = key, size
    job.status, job.finished_at = JobStatus.DONE, now()
    job.expires_at = job.finished_at + timedelta(hours=hours)
    session.commit()


def running_twin(
    session: Session, *, owner: User, placements: list[Placement], moment: datetime
) -> ExportJob | None:
    """The owner's export of the same placements that is still waiting or running, if any.

    Asking again (a double click, an impatient reload) then shows that job instead of queueing
    the same heavy work twice.
    """
    wanted = sorted(p.id for p in placements)
    unfinished = session.exec(
        select(ExportJob).where(
            ExportJob.owner_id == owner.id,
            ExportJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]),
        )
    )
    return next(
        (
            job
            for job in unfinished
            if sorted(job.placement_ids) == wanted
            and state_of(job, moment) in (JobStatus.QUEUED, JobStatus.RUNNING)
        ),
        None,
    )


def delete_expired(session: Session, storage: Storage, *, moment: datetime) -> int:
    """Delete the results whose time is up (the job stays, marked expired); return how many."""
    jobs = session.exec(
        select(ExportJob).where(ExportJob.result_key.is_not(None), ExportJob.expires_at <= moment)
    ).all()
    for job in jobs:
        storage.delete(job.result_key)
        job.result_key = None
    return len(jobs)


def jobs_of(session: Session, owner: User, *, limit: int = 20) -> list[ExportJob]:
    """The owner's newest jobs (a page shows only these)."""
    return list(
        session.exec(
            select(ExportJob)
            .where(ExportJob.owner_id == owner.id)
            .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
            .limit(limit)
        )
    )


def exportable_placements(session: Session, user: User, *, pool_id=None, semester=None) -> list:
    """The placements this user may export in one go, narrowed to a pool or a semester."""
    query = select(Placement).where(access.visible_placements_clause(user))
    if pool_id is not None:
        query = query.where(Placement.pool_id == pool_id)
    if semester is not None:
        query = query.where(Placement.semester == semester)
    return list(session.exec(query.order_by(Placement.id)))

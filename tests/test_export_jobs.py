"""Exports as background jobs: queued without holding the request, progress, owner-only download,
failure with a retry, expiry; on the in-process thread and on RQ with a real Redis (db 10)."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from datetime import timedelta

import pytest
from sqlmodel import Session

from portfolio import jobs
from portfolio.domain.files import get_storage
from portfolio.exports import jobs as export_jobs
from portfolio.models import ExportJob, JobStatus, Role

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/10")


def _job(engine, job_id: int) -> ExportJob:
    with Session(engine) as session:
        return session.get(ExportJob, job_id)


def _job_id(response) -> int:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def _wait(engine, job_id: int, *, seconds: float = 120) -> ExportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = _job(engine, job_id)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job.status} {job.done}/{job.total}")


@pytest.fixture
def redis_app(app):
    """The app with RQ on Redis database 10 (emptied), its worker bound to this app."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    connection.flushdb()
    app.config["REDIS_URL"] = REDIS_URL
    yield app
    connection.flushdb()
    connection.close()


@pytest.fixture
def fast_pdf(monkeypatch):
    """Skip the PDF layout (tested in test_exports.py): these tests are about the jobs."""
    monkeypatch.setattr("portfolio.exports.archive.html_to_pdf", lambda html, base_url: b"%PDF-")


def test_student_exports_own_portfolio_in_the_background(app, engine, world, login_as, fast_pdf):
    client = login_as(world.student)
    assert client.get(f"/stages/{world.placement.id}/export").status_code == 200
    job_id = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    page = client.get(f"/exports/{job_id}").get_data(as_text=True)
    assert "Export: Portfolio van Student Een" in page
    job = _wait(engine, job_id)
    assert job.status == JobStatus.DONE and job.done == job.total == 1

    partial = client.get(f"/exports/{job_id}", headers={"HX-Request": "true"})
    text = partial.get_data(as_text=True)
    assert "Download de export" in text and "hx-trigger" not in text  # done: polling stops
    download = client.get(f"/exports/{job_id}/download")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(download.get_data())).namelist()
    assert "index.html" in names and "portfolio.pdf" in names


def test_only_the_owner_sees_and_downloads_a_job(app, engine, world, login_as, fast_pdf):
    job_id = _job_id(login_as(world.supervisor).post(f"/stages/{world.placement.id}/export"))
    _wait(engine, job_id)
    for other in (world.student, world.coordinator, world.colleague, world.mentor):
        client = login_as(other)
        assert client.get(f"/exports/{job_id}").status_code == 403
        assert client.get(f"/exports/{job_id}/download").status_code == 403
        assert client.post(f"/exports/{job_id}/opnieuw").status_code == 403
    assert app.test_client().get(f"/exports/{job_id}/download").status_code == 302  # to login
    assert login_as(world.supervisor).get("/exports/999999/download").status_code == 404


def test_a_portfolio_one_may_not_read_cannot_be_exported(world, login_as):
    assert login_as(world.outsider).post(f"/stages/{world.placement.id}/export").status_code == 403
    assert (
        login_as(world.other_mentor).post(f"/stages/{world.placement.id}/export").status_code == 403
    )
    assert (
        login_as(world.student).post(f"/stages/{world.other_placement.id}/export").status_code
        == 403
    )


def test_the_request_returns_before_the_job_is_done(
    app, engine, world, login_as, monkeypatch, fast_pdf
):
    release = threading.Event()
    real = export_jobs.export_placements

    def slow_export(*args, **kwargs):
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_jobs, "export_placements", slow_export)
    client = login_as(world.student)
    job_id = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    # The POST answered while the export is still waiting to be written.
    assert _job(engine, job_id).status in (JobStatus.QUEUED, JobStatus.RUNNING)
    busy = client.get(f"/exports/{job_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in busy
    # Asking again while it runs shows the same job instead of queueing the work twice.
    assert _job_id(client.post(f"/stages/{world.placement.id}/export")) == job_id
    release.set()
    assert _wait(engine, job_id).status == JobStatus.DONE
    again = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    assert again != job_id
    _wait(engine, again)  # no job of this test may run into the next one


def _fifty_students(world, make_user, make_placement):
    # With world's two pool placements: 50 the supervisor may export.
    for number in range(48):
        student = make_user(Role.STUDENT, name=f"Student {number:02d}")
        make_placement(student, supervisor_id=world.supervisor.id, pool_id=world.pool.id)


def _run_bulk(app, engine, world, login_as, monkeypatch, *, on_rq: bool):
    seen: list[int] = []
    real = export_jobs.export_placements

    def recording(*args, progress, **kwargs):
        def report(done, total):
            seen.append(done)
            progress(done, total)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(export_jobs, "export_placements", recording)
    client = login_as(world.supervisor)
    started = time.monotonic()
    job_id = _job_id(client.post("/exports", data={"scope": "mine"}))
    answered_in = time.monotonic() - started
    if on_rq:
        assert _job(engine, job_id).status == JobStatus.QUEUED  # nothing runs in the web process
        jobs.run_worker(app, burst=True)
    job = _wait(engine, job_id)
    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (50, 50)
    assert seen == list(range(1, 51))
    assert answered_in < 5
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/exports/{job_id}/download").get_data()))
    folders = {name.split("/", 1)[0] for name in archive.namelist()}
    assert len(folders) == 50
    return job


def test_bulk_export_of_fifty_students_in_process(
    app, engine, world, make_user, make_placement, login_as, monkeypatch, fast_pdf
):
    _fifty_students(world, make_user, make_placement)
    _run_bulk(app, engine, world, login_as, monkeypatch, on_rq=False)


def test_bulk_export_of_fifty_students_on_rq(
    redis_app, engine, world, make_user, make_placement, login_as, monkeypatch, fast_pdf
):
    _fifty_students(world, make_user, make_placement)
    _run_bulk(redis_app, engine, world, login_as, monkeypatch, on_rq=True)


def test_coordinator_exports_a_pool_or_a_semester(app, engine, world, login_as, fast_pdf):
    client = login_as(world.coordinator)
    assert "Een pool" in client.get("/exports").get_data(as_text=True)
    pool_job = _wait(
        engine, _job_id(client.post("/exports", data={"scope": "pool", "pool_id": world.pool.id}))
    )
    assert pool_job.total == 2 and pool_job.title.startswith("Pool ")
    semester_job = _wait(
        engine, _job_id(client.post("/exports", data={"scope": "semester", "semester": "1"}))
    )
    assert semester_job.total == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "semester", "semester": "2"}, "Er is niets om te exporteren"),
        ({"scope": "semester", "semester": "9"}, "Kies semester 1 of 2."),
        ({"scope": "pool", "pool_id": "abc"}, "Kies een pool uit de lijst."),
        ({"scope": "iets"}, "Kies wat je wil exporteren."),
    ],
)
def test_bad_bulk_choices_get_a_dutch_message_by_the_form(world, login_as, data, message):
    response = login_as(world.coordinator).post("/exports", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'action="/exports"' in page


def test_bulk_exports_are_for_supervisors_and_the_coordinator(world, login_as, make_user):
    for user in (world.student, world.mentor):
        assert login_as(user).post("/exports", data={"scope": "mine"}).status_code == 403
    lonely = make_user(Role.SUPERVISOR, name="Zonder Studenten")
    response = login_as(lonely).post("/exports", data={"scope": "mine"})
    assert response.status_code == 422
    assert "Er is niets om te exporteren" in response.get_data(as_text=True)


def test_a_failed_job_says_so_in_dutch_and_can_be_retried(
    app, engine, world, login_as, monkeypatch, fast_pdf
):
    real = export_jobs.export_placements
    monkeypatch.setattr(export_jobs, "export_placements", lambda *a, **k: 1 / 0)
    client = login_as(world.student)
    job_id = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    assert _wait(engine, job_id).status == JobStatus.FAILED
    page = client.get(f"/exports/{job_id}").get_data(as_text=True)
    assert "De export is mislukt. Probeer het opnieuw" in page
    assert "Opnieuw proberen" in page
    assert client.get(f"/exports/{job_id}/download").status_code == 410

    monkeypatch.setattr(export_jobs, "export_placements", real)
    assert client.post(f"/exports/{job_id}/opnieuw").status_code == 303
    assert _wait(engine, job_id).status == JobStatus.DONE
    assert client.post(f"/exports/{job_id}/opnieuw").status_code == 409  # nothing to retry


def test_results_expire_and_are_deleted(app, db, engine, world, login_as, set_now, fast_pdf):
    client = login_as(world.student)
    job = _wait(engine, _job_id(client.post(f"/stages/{world.placement.id}/export")))
    with app.app_context():
        storage = get_storage()
    assert storage.exists(job.result_key)
    later = job.finished_at + timedelta(hours=app.config["EXPORT_RESULT_HOURS"], seconds=1)
    set_now(later)
    assert client.get(f"/exports/{job.id}/download").status_code == 410
    assert "verlopen" in client.get(f"/exports/{job.id}").get_data(as_text=True)
    assert export_jobs.delete_expired(db, storage, moment=later) == 1
    db.commit()
    assert not storage.exists(job.result_key)
    assert _job(engine, job.id).result_key is None


def test_commands_worker_and_expire(redis_app, engine, world, login_as, set_now, fast_pdf):
    runner = redis_app.test_cli_runner()
    job_id = _job_id(login_as(world.student).post(f"/stages/{world.placement.id}/export"))
    assert runner.invoke(args=["worker", "--burst"]).exit_code == 0
    job = _job(engine, job_id)
    assert job.status == JobStatus.DONE
    set_now(job.expires_at + timedelta(seconds=1))
    result = runner.invoke(args=["exports", "expire"])
    assert "1 verlopen export(s) verwijderd." in result.output
    assert _job(engine, job_id).result_key is None

    redis_app.config["REDIS_URL"] = None
    assert "REDIS_URL is not set" in runner.invoke(args=["worker"]).output


def test_a_job_whose_worker_stopped_shows_as_failed_and_can_be_retried(
    app, db, engine, world, login_as, set_now, fast_pdf
):
    from portfolio.clock import now as clock_now

    with app.app_context():
        asked_at = clock_now()
    job = ExportJob(
        owner_id=world.student.id,
        title="Vastgelopen",
        placement_ids=[world.placement.id],
        total=1,
        status=JobStatus.RUNNING,
        created_at=asked_at,
        started_at=asked_at,
    )
    db.add(job)
    db.commit()
    client = login_as(world.student)
    assert "hx-trigger" in client.get(f"/exports/{job.id}").get_data(as_text=True)
    assert client.post(f"/exports/{job.id}/opnieuw").status_code == 409  # still running

    set_now(asked_at + timedelta(seconds=app.config["JOB_TIMEOUT_SECONDS"]) + timedelta(hours=1))
    page = client.get(f"/exports/{job.id}").get_data(as_text=True)
    assert "Opnieuw proberen" in page and "hx-trigger" not in page
    assert client.post(f"/exports/{job.id}/opnieuw").status_code == 303
    assert _wait(engine, job.id).status == JobStatus.DONE


def test_a_student_exports_also_after_the_portfolio_closed(
    app, engine, world, login_as, set_now, fast_pdf
):
    from datetime import UTC, datetime

    set_now(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))  # months after closing
    client = login_as(world.student)
    assert "ook nadat je portfolio afgesloten is" in client.get(
        f"/stages/{world.placement.id}/export"
    ).get_data(as_text=True)
    job_id = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    assert _wait(engine, job_id).status == JobStatus.DONE
    assert client.get(f"/exports/{job_id}/download").status_code == 200


def test_export_pages_and_the_exported_site_are_accessible(
    app, engine, world, login_as, monkeypatch, fast_pdf, tmp_path
):
    from test_a11y import problems

    client = login_as(world.coordinator)
    pages = [client.get("/exports"), client.get(f"/stages/{world.placement.id}/export")]
    job_id = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    _wait(engine, job_id)
    pages.append(client.get(f"/exports/{job_id}"))
    monkeypatch.setattr(export_jobs, "export_placements", lambda *a, **k: 1 / 0)
    failed_id = _job_id(client.post(f"/stages/{world.placement.id}/export"))
    _wait(engine, failed_id)
    pages.append(client.get(f"/exports/{failed_id}"))
    for response in pages:
        assert response.status_code == 200
        assert problems(response.get_data(as_text=True)) == [], response.request.path

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/exports/{job_id}/download").get_data()))
    for name in archive.namelist():
        if name.endswith(".html") and name != "document.html":
            assert problems(archive.read(name).decode()) == [], name

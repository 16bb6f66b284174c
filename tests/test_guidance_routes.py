"""Guidance pages per role: planning, 1-op-1 requests, forms, attendance, refusals, query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.models import (
    Attendance,
    AttendanceStatus,
    GuidanceMoment,
    GuidanceNote,
    GuidanceStatus,
    GuidanceType,
    Placement,
    SessionTopic,
    Setting,
)
from tests.guidance_support import brussels, make_moment

# The test clock: Wednesday 8 October 2025, 12:00 in Brussels.
NOW = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)


@pytest.fixture
def add_moment(db, world):
    """Insert a moment directly: a pool session unless placement is given."""
    return lambda *args, **fields: make_moment(db, world, *args, **fields)


def _request_form(**fields):
    form = {"dag": "2025-10-15", "uur": "10:00", "duur": "60", "vragen": "Hoe start ik de kring?"}
    form.update(fields)
    return form


# ---------------------------------------------------------------- 1-op-1 requests


def test_student_requests_a_talk_and_the_fixed_supervisor_confirms(db, world, login_as):
    student = login_as(world.student)
    url = f"/stages/{world.placement.id}/begeleiding/aanvragen"
    response = student.post(url, data=_request_form())
    assert response.status_code == 303
    talk = db.exec(select(GuidanceMoment)).one()
    assert talk.status == GuidanceStatus.REQUESTED and talk.type == GuidanceType.EEN_OP_EEN
    assert talk.starts_at == datetime(2025, 10, 15, 8, 0, tzinfo=UTC)  # 10:00 CEST
    page = student.get("/begeleiding/mijn").text
    assert "1 u gebruikt van 4 u, nog 3 u over" in page and "Aangevraagd" in page

    supervisor = login_as(world.supervisor)
    index = supervisor.get("/begeleiding").text
    assert "Hoe start ik de kring?" in index and "nog 3 u over" in index
    assert "Bevestigen" in index

    # A pool colleague sees the request but only the fixed supervisor answers it.
    colleague = login_as(world.colleague)
    assert "De vaste stagebegeleider bevestigt" in colleague.get("/begeleiding").text
    status_url = f"/begeleiding/momenten/{talk.id}/status"
    assert colleague.post(status_url, data={"status": "gepland"}).status_code == 403
    assert student.post(status_url, data={"status": "gepland"}).status_code == 403

    assert supervisor.post(status_url, data={"status": "gepland"}).status_code == 303
    db.refresh(talk)
    assert talk.status == GuidanceStatus.PLANNED
    assert supervisor.post(status_url, data={"status": "aangevraagd"}).status_code == 422


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"dag": "2025-10-14"}, "minstens een week op voorhand"),
        ({"dag": ""}, "Kies een datum."),
        ({"uur": "10u"}, "Kies een uur"),
        ({"vragen": "  "}, "Schrijf je vragen"),
        ({"duur": "300"}, "past niet meer"),
        ({"duur": "abc"}, "Geef een duur in minuten"),
    ],
)
def test_bad_requests_are_refused_with_a_dutch_message(db, world, login_as, fields, message):
    response = login_as(world.student).post(
        f"/stages/{world.placement.id}/begeleiding/aanvragen", data=_request_form(**fields)
    )
    assert response.status_code == 422
    assert message in response.text
    assert db.exec(select(GuidanceMoment)).all() == []


def test_students_cannot_request_for_someone_else_or_when_closed(world, login_as, set_now):
    url = f"/stages/{world.placement.id}/begeleiding/aanvragen"
    assert login_as(world.other_student).post(url, data=_request_form()).status_code == 403
    assert login_as(world.supervisor).post(url, data=_request_form()).status_code == 403
    set_now(datetime(2025, 11, 8, 12, 0, tzinfo=UTC))  # closed on 7 November, 23:59:59
    response = login_as(world.student).post(url, data=_request_form(dag="2025-11-20"))
    assert response.status_code == 403 and "afgesloten" in response.text


# ---------------------------------------------------------------- planning


def test_supervisor_plans_a_pool_session_in_brussels_time(db, world, login_as):
    client = login_as(world.supervisor)
    assert "Schijnwerper" in client.get("/begeleiding/nieuw").text
    response = client.post(
        "/begeleiding/nieuw",
        data={
            "soort": "schijnwerper",
            "titel": "Rode draad",
            "voor": f"pool-{world.pool.id}",
            "dag": "2025-10-28",
            "uur": "13:30",
            "duur": "120",
            "verplicht": "",
        },
    )
    assert response.status_code == 303
    moment = db.exec(select(GuidanceMoment)).one()
    assert moment.starts_at == datetime(2025, 10, 28, 12, 30, tzinfo=UTC)  # CET after the change
    assert moment.is_mandatory and moment.pool_id == world.pool.id and moment.placement_id is None
    assert "Rode draad" in login_as(world.other_student).get("/begeleiding/mijn").text


def test_supervisor_plans_a_site_visit_for_one_student(db, world, login_as):
    response = login_as(world.colleague).post(
        "/begeleiding/nieuw",
        data={
            "soort": "stagebezoek",
            "voor": f"stage-{world.placement.id}",
            "dag": "2025-10-20",
            "uur": "09:00",
            "duur": "90",
            "verplicht": "nee",
        },
    )
    assert response.status_code == 303
    moment = db.exec(select(GuidanceMoment)).one()
    assert moment.placement_id == world.placement.id and moment.pool_id is None
    assert moment.title == "Stagebezoek met driehoeksgesprek" and not moment.is_mandatory


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"soort": "koffieklets"}, "Kies een soort begeleidingsmoment"),
        ({"dag": ""}, "Kies een datum."),
        ({"dag": "2025-13-40"}, "geen geldige datum"),
        ({"dag": "0001-01-01", "uur": "00:00"}, "geen geldige datum"),
        ({"voor": "iedereen"}, "Kies een pool of een student"),
        ({"soort": "1-op-1", "voor": "pool-{pool}"}, "voor één student"),
    ],
)
def test_planning_refuses_bad_input(db, world, login_as, fields, message):
    form = {"soort": "kleuterlabo", "voor": "pool-{pool}", "dag": "2025-10-20", "uur": "09:00"}
    form["duur"] = "60"
    form.update(fields)
    form["voor"] = form["voor"].format(pool=world.pool.id)
    response = login_as(world.supervisor).post("/begeleiding/nieuw", data=form)
    assert response.status_code == 422
    assert message in response.text
    assert db.exec(select(GuidanceMoment)).all() == []


def test_only_own_pool_or_students_can_be_planned_for(world, login_as):
    form = {"soort": "kleuterlabo", "dag": "2025-10-20", "uur": "09:00", "duur": "60"}
    outsider = login_as(world.outsider)
    for target in (f"pool-{world.pool.id}", f"stage-{world.placement.id}"):
        assert outsider.post("/begeleiding/nieuw", data=form | {"voor": target}).status_code == 403
    student = login_as(world.student)
    assert student.get("/begeleiding/nieuw").status_code == 403
    assert (
        student.post("/begeleiding/nieuw", data=form | {"voor": f"pool-{world.pool.id}"})
    ).status_code == 403
    coordinator = login_as(world.coordinator)
    assert (
        coordinator.post("/begeleiding/nieuw", data=form | {"voor": f"pool-{world.pool.id}"})
    ).status_code == 303


# ---------------------------------------------------------------- who sees what


def test_each_role_sees_only_its_moments(world, login_as, add_moment):
    group = add_moment(title="Groepssessie kring")
    own = add_moment(GuidanceType.TUSSENTIJDS, placement=world.placement, title="Eigen gesprek")
    other = add_moment(
        GuidanceType.TUSSENTIJDS, placement=world.other_placement, title="Gesprek van Twee"
    )
    student = login_as(world.student)
    page = student.get("/begeleiding/mijn").text
    assert "Groepssessie kring" in page and "Eigen gesprek" in page
    assert "Gesprek van Twee" not in page
    assert student.get(f"/begeleiding/momenten/{other.id}").status_code == 403
    assert student.get(f"/stages/{world.other_placement.id}/begeleiding").status_code == 403
    assert (
        student.get(f"/begeleiding/momenten/{own.id}/stages/{world.other_placement.id}")
    ).status_code == 403
    # A student opening a moment lands on their own form.
    response = student.get(f"/begeleiding/momenten/{group.id}")
    assert response.status_code == 302
    assert response.location.endswith(
        f"/begeleiding/momenten/{group.id}/stages/{world.placement.id}"
    )
    assert student.get("/begeleiding").status_code == 302

    supervisor = login_as(world.supervisor)
    index = supervisor.get("/begeleiding").text
    assert all(t in index for t in ("Groepssessie kring", "Eigen gesprek", "Gesprek van Twee"))
    assert supervisor.get(f"/begeleiding/momenten/{group.id}").status_code == 200

    outsider = login_as(world.outsider)
    index = outsider.get("/begeleiding").text
    assert "Groepssessie kring" not in index and "Eigen gesprek" not in index
    for url in (
        f"/begeleiding/momenten/{group.id}",
        f"/begeleiding/momenten/{own.id}",
        f"/begeleiding/momenten/{own.id}/stages/{world.placement.id}",
        f"/stages/{world.placement.id}/begeleiding",
    ):
        assert outsider.get(url).status_code == 403, url

    coordinator = login_as(world.coordinator)
    assert "Gesprek van Twee" in coordinator.get("/begeleiding").text


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/begeleiding/mijn")
    assert response.status_code == 302 and "/aanmelden" in response.location


# ---------------------------------------------------------------- the form after a moment


def test_student_and_supervisors_fill_in_the_form_and_late_entries_are_flagged(
    db, world, login_as, set_now, add_moment
):
    moment = add_moment(starts_at=brussels(2025, 10, 8, 9, 0))  # this morning
    url = f"/begeleiding/momenten/{moment.id}/stages/{world.placement.id}"
    student = login_as(world.student)
    fields = {"lessen": "Kring korter houden", "inzicht": "", "stappen": "Morgen uitproberen"}
    assert student.post(url + "/notities", data=fields).status_code == 303
    page = student.get(url).text
    assert "Kring korter houden" in page and "Student Een" in page
    assert "later ingevuld dan de dag zelf" not in page

    assert (
        login_as(world.colleague).post(url + "/notities", data={"inzicht": "Sterk"}).status_code
        == 303
    )
    set_now(brussels(2025, 10, 9, 8, 0))
    assert student.post(url + "/notities", data={"inzicht": "Nog iets"}).status_code == 303
    page = login_as(world.supervisor).get(url).text
    assert page.count("later ingevuld dan de dag zelf") == 1
    assert "Pool Collega" in page and "(Stagebegeleider)" in page
    # The overview judges the student's first entry: this form was filled in on the day.
    assert "later ingevuld dan de dag zelf" not in student.get("/begeleiding/mijn").text
    forgotten = add_moment(starts_at=brussels(2025, 10, 8, 15, 0), title="Vergeten sessie")
    forgotten_url = f"/begeleiding/momenten/{forgotten.id}/stages/{world.placement.id}/notities"
    assert student.post(forgotten_url, data={"lessen": "Alsnog"}).status_code == 303
    assert "Formulier later ingevuld dan de dag zelf" in student.get("/begeleiding/mijn").text
    notes = db.exec(
        select(GuidanceNote).where(GuidanceNote.moment_id == moment.id).order_by(GuidanceNote.id)
    ).all()
    assert [n.author_id for n in notes] == [world.student.id, world.colleague.id, world.student.id]


def test_form_refusals(db, world, login_as, set_now, add_moment):
    moment = add_moment(starts_at=brussels(2025, 10, 8, 9, 0))
    url = f"/begeleiding/momenten/{moment.id}/stages/{world.placement.id}/notities"
    assert login_as(world.student).post(url, data={"lessen": " "}).status_code == 422
    assert login_as(world.other_student).post(url, data={"lessen": "x"}).status_code == 403
    assert login_as(world.outsider).post(url, data={"lessen": "x"}).status_code == 403
    later = add_moment(starts_at=brussels(2025, 10, 20, 9, 0))
    early = login_as(world.student).post(
        f"/begeleiding/momenten/{later.id}/stages/{world.placement.id}/notities",
        data={"lessen": "x"},
    )
    assert early.status_code == 422 and "na het begeleidingsmoment" in early.text
    set_now(datetime(2025, 11, 8, 12, 0, tzinfo=UTC))
    closed = login_as(world.student).post(url, data={"lessen": "x"})
    assert closed.status_code == 403 and "afgesloten" in closed.text
    # Supervisors can still add to a closed portfolio's form.
    assert login_as(world.supervisor).post(url, data={"lessen": "Feedback"}).status_code == 303
    assert db.exec(select(GuidanceNote)).one().author_id == world.supervisor.id


# ---------------------------------------------------------------- attendance


def test_attendance_and_the_second_illegitimate_absence(db, world, login_as, add_moment):
    first = add_moment(starts_at=brussels(2025, 10, 1, 14, 0))
    second = add_moment(starts_at=brussels(2025, 10, 7, 14, 0))
    supervisor = login_as(world.supervisor)

    def record(moment, status, client=supervisor):
        return client.post(
            f"/begeleiding/momenten/{moment.id}/stages/{world.placement.id}/aanwezigheid",
            data={"status": status},
            follow_redirects=True,
        )

    assert "De aanwezigheid is bewaard" in record(first, "ongewettigd-afwezig").text
    student = login_as(world.student)
    assert "Tweede ongewettigde afwezigheid" not in student.get("/begeleiding/mijn").text
    assert record(first, "aanwezig", client=student).status_code == 403
    assert record(first, "ziek").status_code == 422

    response = record(second, "ongewettigd-afwezig")
    assert response.status_code == 200 and "Tweede ongewettigde afwezigheid" in response.text
    assert len(db.exec(select(Attendance)).all()) == 2
    assert "Tweede ongewettigde afwezigheid" in student.get("/begeleiding/mijn").text
    assert "Tweede ongewettigde afwezigheid" in supervisor.get("/begeleiding").text
    assert (
        "Tweede ongewettigde afwezigheid" not in login_as(world.outsider).get("/begeleiding").text
    )

    # The moment page swaps one row for an htmx request, flag included.
    row = supervisor.post(
        f"/begeleiding/momenten/{second.id}/stages/{world.placement.id}/aanwezigheid",
        data={"status": "ongewettigd-afwezig"},
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200 and "<html" not in row.text
    assert f'id="deelnemer-{world.placement.id}"' in row.text
    assert "Tweede ongewettigde afwezigheid" in row.text and "Bewaard." in row.text

    note_url = f"/begeleiding/momenten/{second.id}/stages/{world.placement.id}/briefje"
    assert student.post(note_url, data={"briefje": "Trein afgeschaft"}).status_code == 303
    assert login_as(world.other_student).post(note_url, data={"briefje": "x"}).status_code == 403
    assert student.post(note_url, data={"briefje": ""}).status_code == 422
    attendance = db.exec(select(Attendance).where(Attendance.moment_id == second.id)).one()
    assert attendance.note == "Trein afgeschaft"
    assert attendance.status == AttendanceStatus.ILLEGITIMATE


def test_attendance_refused_for_other_pool_and_optional_sessions(world, login_as, add_moment):
    mandatory = add_moment()
    optional = add_moment(GuidanceType.SESSIE_OP_VRAAG)
    path = "/begeleiding/momenten/{}/stages/{}/aanwezigheid"
    data = {"status": "aanwezig"}
    outsider = login_as(world.outsider)
    assert (
        outsider.post(path.format(mandatory.id, world.placement.id), data=data).status_code == 403
    )
    supervisor = login_as(world.supervisor)
    response = supervisor.post(path.format(optional.id, world.placement.id), data=data)
    assert response.status_code == 422 and "verplichte" in response.text


# ---------------------------------------------------------------- topics and hours


def test_topic_proposals_reach_the_pool_and_coordinator(db, world, login_as, set_now):
    url = f"/stages/{world.placement.id}/begeleiding/onderwerpen"
    student = login_as(world.student)
    assert student.post(url, data={"onderwerp": "Ouders betrekken"}).status_code == 303
    assert student.post(url, data={"onderwerp": ""}).status_code == 422
    assert login_as(world.other_student).post(url, data={"onderwerp": "x"}).status_code == 403
    assert db.exec(select(SessionTopic)).one().topic == "Ouders betrekken"
    for user in (world.supervisor, world.colleague, world.coordinator):
        assert "Ouders betrekken" in login_as(user).get("/begeleiding").text
    assert "Ouders betrekken" not in login_as(world.outsider).get("/begeleiding").text
    set_now(datetime(2025, 11, 8, 12, 0, tzinfo=UTC))
    assert student.post(url, data={"onderwerp": "Te laat"}).status_code == 403


def test_coordinator_sets_the_hours(db, world, login_as):
    coordinator = login_as(world.coordinator)
    assert coordinator.post("/begeleiding/instellingen", data={"uren": "2,5"}).status_code == 303
    assert db.get(Setting, "one_on_one_hours").value == "2.5"
    assert coordinator.post("/begeleiding/instellingen", data={"uren": "veel"}).status_code == 422
    url = f"/stages/{world.placement.id}/begeleiding/uren"
    assert coordinator.post(url, data={"uren": "6"}).status_code == 303
    db.expire_all()
    assert db.get(Placement, world.placement.id).one_on_one_hours_max == 6
    student_page = login_as(world.student).get("/begeleiding/mijn").text
    assert "0 min gebruikt van 6 u, nog 6 u over" in student_page
    assert "nog 2 u 30 min over" in login_as(world.other_student).get("/begeleiding/mijn").text
    assert coordinator.post(url, data={"uren": ""}).status_code == 303
    db.expire_all()
    assert db.get(Placement, world.placement.id).one_on_one_hours_max is None
    supervisor = login_as(world.supervisor)
    assert supervisor.post(url, data={"uren": "10"}).status_code == 403
    assert supervisor.post("/begeleiding/instellingen", data={"uren": "10"}).status_code == 403
    assert supervisor.get("/begeleiding/instellingen").status_code == 403


# ---------------------------------------------------------------- query counts


def _fill(db, world, add_moment, n):
    for i in range(n):
        group = add_moment(starts_at=brussels(2025, 10, 1, 9, 0) + timedelta(hours=i))
        add_moment(
            GuidanceType.EEN_OP_EEN,
            placement=world.placement,
            starts_at=brussels(2025, 10, 20, 9, 0) + timedelta(hours=i),
            status=GuidanceStatus.REQUESTED,
            questions=f"Vraag {i}",
            duration_minutes=15,
        )
        db.add(
            GuidanceNote(
                moment_id=group.id,
                placement_id=world.placement.id,
                author_id=world.student.id,
                lessons=f"Les {i}",
            )
        )
        db.add(
            Attendance(
                moment_id=group.id,
                placement_id=world.placement.id,
                status=AttendanceStatus.ILLEGITIMATE,
                recorded_by_id=world.supervisor.id,
            )
        )
        db.add(SessionTopic(placement_id=world.placement.id, topic=f"Onderwerp {i}"))
    db.commit()


@pytest.mark.parametrize(
    ("user", "url"), [("student", "/begeleiding/mijn"), ("supervisor", "/begeleiding")]
)
def test_pages_run_a_fixed_number_of_queries(
    db, world, login_as, add_moment, count_queries, user, url
):
    client = login_as(getattr(world, user))
    counts = []
    for n in (1, 4):  # 1 moment of each kind, then 5
        _fill(db, world, add_moment, n)
        with count_queries() as counted:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counted.n)
    assert response.text.count("Onderwerp ") == 5  # the second page really lists all five
    assert counts[0] == counts[1], counts


# ---------------------------------------------------------------- demo


def test_demo_guidance_seed_shows_on_the_pages(app, db, login_as):
    from portfolio.demo import guidance as demo_guidance
    from portfolio.demo import seed_base

    with app.app_context():
        demo = seed_base(db)
        demo_guidance.seed(db, demo)
        db.commit()
    page = login_as(demo.users["student"]).get("/begeleiding/mijn").text
    assert "Verjaardagsrituelen" in page and "Stagebezoek met driehoeksgesprek" in page
    assert "1 u 45 min gebruikt van 4 u" in page
    index = login_as(demo.users["begeleider"]).get("/begeleiding").text
    assert "Welke attitude kies ik als groeipunt?" in index
    assert "meertaligheid" in index


def test_planners_close_or_cancel_a_pool_session(db, world, login_as, add_moment):
    moment = add_moment()
    url = f"/begeleiding/momenten/{moment.id}/status"
    assert login_as(world.student).post(url, data={"status": "afgelopen"}).status_code == 403
    assert login_as(world.outsider).post(url, data={"status": "afgelopen"}).status_code == 403
    assert login_as(world.colleague).post(url, data={"status": "onbekend"}).status_code == 422
    assert login_as(world.colleague).post(url, data={"status": "afgelopen"}).status_code == 303
    db.refresh(moment)
    assert moment.status == GuidanceStatus.DONE
    refused = login_as(world.supervisor).post(url, data={"status": "geannuleerd"})
    assert refused.status_code == 422 and "kan niet" in refused.text

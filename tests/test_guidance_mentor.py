"""The mentor and the site visit: their own student's stagebezoek, its form, nothing else."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from portfolio.models import GuidanceNote, GuidanceStatus, GuidanceType
from tests.guidance_support import brussels, make_moment

VISIT_START = brussels(2025, 10, 7, 9, 0)  # yesterday, for the test clock


@pytest.fixture
def visits(db, world):
    """A site visit and a 1-op-1 of world.placement, the other student's visit, a pool session."""
    return type(
        "Visits",
        (),
        dict(
            own=make_moment(
                db, world, GuidanceType.STAGEBEZOEK, placement=world.placement,
                starts_at=VISIT_START, title="Bezoek Een",
            ),
            talk=make_moment(
                db, world, GuidanceType.EEN_OP_EEN, placement=world.placement,
                starts_at=VISIT_START, title="Gesprek Een",
            ),
            other=make_moment(
                db, world, GuidanceType.STAGEBEZOEK, placement=world.other_placement,
                starts_at=VISIT_START, title="Bezoek Twee",
            ),
            group=make_moment(db, world, starts_at=VISIT_START, title="Groepssessie"),
        ),
    )  # fmt: skip


def _form(moment, placement):
    return f"/begeleiding/momenten/{moment.id}/stages/{placement.id}"


def test_mentor_home_lists_the_site_visits_of_their_own_students(world, login_as, visits):
    page = login_as(world.mentor).get("/mentor").text
    assert "Stagebezoek" in page and "Bezoek Een" in page
    assert _form(visits.own, world.placement) in page
    assert "Bezoek Twee" not in page and "Gesprek Een" not in page
    assert "Groepssessie" not in page
    other = login_as(world.other_mentor).get("/mentor").text
    assert "Bezoek Twee" in other and "Bezoek Een" not in other


def test_mentor_home_runs_a_fixed_number_of_queries(db, world, login_as, count_queries):
    client = login_as(world.mentor)
    counts = []
    for n in (1, 4):
        for i in range(n):
            make_moment(
                db, world, GuidanceType.STAGEBEZOEK, placement=world.placement,
                starts_at=VISIT_START, title=f"Bezoek {n}-{i}",
            )  # fmt: skip
        with count_queries() as counted:
            response = client.get("/mentor")
        assert response.status_code == 200
        counts.append(counted.n)
    assert response.text.count("Bezoek 4-") == 4
    assert counts[0] == counts[1], counts


def test_mentor_adds_an_entry_to_the_visit_form_shown_as_mentor(db, world, login_as, visits):
    url = _form(visits.own, world.placement)
    student, supervisor = login_as(world.student), login_as(world.supervisor)
    assert student.post(url + "/notities", data={"lessen": "Eigen reflectie"}).status_code == 303
    assert supervisor.post(url + "/notities", data={"lessen": "Bevindingen"}).status_code == 303

    mentor = login_as(world.mentor)
    page = mentor.get(url)
    assert page.status_code == 200 and "Aanvulling van de mentor" in page.text
    # The supervisor's findings are there; the student's own reflection stays personal.
    assert "Bevindingen" in page.text and "Eigen reflectie" not in page.text
    assert "1 aanvulling voor zichzelf" in page.text
    assert "Terug naar mijn stagiairs" in page.text

    response = mentor.post(url + "/notities", data={"inzicht": "Sterke kring", "lessen": ""})
    assert response.status_code == 303
    note = db.exec(select(GuidanceNote).where(GuidanceNote.author_id == world.mentor.id)).one()
    assert note.moment_id == visits.own.id and note.placement_id == world.placement.id
    for client in (student, supervisor):
        text = client.get(url).text
        assert "Sterke kring" in text and "Mentor Een</strong> (Mentor)" in text


def test_mentor_entry_follows_the_form_rules(db, world, login_as, visits, set_now):
    url = _form(visits.own, world.placement) + "/notities"
    mentor = login_as(world.mentor)
    assert mentor.post(url, data={"lessen": " "}).status_code == 422
    set_now(brussels(2025, 10, 7, 8, 0))  # before the visit
    early = mentor.post(url, data={"lessen": "Te vroeg"})
    assert early.status_code == 422 and "na het begeleidingsmoment" in early.text
    set_now(brussels(2025, 10, 8, 12, 0))
    visits.own.status = GuidanceStatus.CANCELLED
    db.add(visits.own)
    db.commit()
    assert mentor.post(url, data={"lessen": "Geannuleerd"}).status_code == 422
    assert db.exec(select(GuidanceNote)).all() == []


def _guidance_rules(app):
    def shape(rule: str) -> str:
        return re.sub(r"<[^>]+>", "*", rule)

    return {
        (method, shape(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("guidance.")
        for method in rule.methods & {"GET", "POST"}
    }


def _urls(world, visits):
    own = _form(visits.own, world.placement)
    get = [
        "/begeleiding",
        "/begeleiding/mijn",
        "/begeleiding/nieuw",
        "/begeleiding/instellingen",
        f"/stages/{world.placement.id}/begeleiding",
        f"/begeleiding/momenten/{visits.own.id}",
        own,
    ]
    post = [
        "/begeleiding/nieuw",
        "/begeleiding/instellingen",
        f"/stages/{world.placement.id}/begeleiding/aanvragen",
        f"/stages/{world.placement.id}/begeleiding/onderwerpen",
        f"/stages/{world.placement.id}/begeleiding/uren",
        f"/begeleiding/momenten/{visits.own.id}/status",
        f"/begeleiding/momenten/{visits.talk.id}/annuleren",
        own + "/notities",
        own + "/aanwezigheid",
        own + "/briefje",
    ]
    return own, get, post


def test_the_mentor_matrix_covers_every_guidance_route(app, world, visits):
    _, get, post = _urls(world, visits)

    def shape(url: str) -> str:
        return re.sub(r"\d+", "*", url)

    listed = {("GET", shape(u)) for u in get} | {("POST", shape(u)) for u in post}
    assert _guidance_rules(app) == listed


def test_mentor_reaches_only_their_own_students_visit_form(db, world, login_as, visits):
    own, get, post = _urls(world, visits)
    mentor = login_as(world.mentor)
    for url in get:
        expected = 200 if url == own else 403
        assert mentor.get(url).status_code == expected, url
    data = {"lessen": "x", "status": "aanwezig", "briefje": "x", "uren": "1", "vragen": "x"}
    for url in post:
        expected = 303 if url == own + "/notities" else 403
        assert mentor.post(url, data=data).status_code == expected, url
    # Other moments of their own student: the 1-op-1 talk and the pool session.
    for moment in (visits.talk, visits.group):
        url = _form(moment, world.placement)
        assert mentor.get(url).status_code == 403, url
        assert mentor.post(url + "/notities", data=data).status_code == 403, url
    # Another student's visit: 403 (not their student), whichever placement is named.
    assert mentor.get(_form(visits.other, world.other_placement)).status_code == 403
    assert mentor.get(_form(visits.other, world.placement)).status_code == 404
    assert [n.author_id for n in db.exec(select(GuidanceNote)).all()] == [world.mentor.id]


def test_the_mentor_of_another_student_is_refused(db, world, login_as, visits):
    own, get, post = _urls(world, visits)
    other_mentor = login_as(world.other_mentor)
    assert other_mentor.get(own).status_code == 403
    assert other_mentor.post(own + "/notities", data={"lessen": "x"}).status_code == 403
    assert db.exec(select(GuidanceNote)).all() == []
    # Their own student's visit is open to them.
    assert other_mentor.get(_form(visits.other, world.other_placement)).status_code == 200

"""Mentor links that last: sent unasked when a placement gets a mentor, valid until the
portfolio closes plus a margin, one at a time, and renewable by the mentor from the page an
expired link opens (without telling who is known)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from test_coordinator import _placement_form

from portfolio.domain.deadline import closes_at
from portfolio.domain.errors import DomainError
from portfolio.domain.mentor_links import issue_link, link_expiry, mentor_for_new_link
from portfolio.models import MentorLink, Placement, User


def _links(db, mentor_id):
    db.expire_all()
    return db.exec(select(MentorLink).where(MentorLink.mentor_id == mentor_id)).all()


def test_a_new_placement_mails_its_mentor_a_link(world, db, login_as):
    client = login_as(world.coordinator)
    response = client.post("/beheer/stages/nieuw", data=_placement_form(world))
    assert response.status_code == 303
    placement = db.exec(select(Placement).where(Placement.site_name.like("Speelplein%"))).one()
    [link] = _links(db, placement.mentor_id)
    assert link.expires_at == closes_at(placement) + timedelta(days=14)
    page = client.get(response.headers["Location"])
    assert "Nieuwe Mentor kreeg een mail met een persoonlijke link" in page.text


def test_a_changed_mentor_gets_a_link_and_an_unchanged_one_does_not(world, db, login_as):
    client = login_as(world.coordinator)
    url = f"/beheer/stages/{world.placement.id}/toewijzing"
    same = {"supervisor_id": world.supervisor.id, "pool_id": world.pool.id}
    client.post(url, data={**same, "mentor_name": "", "mentor_email": world.mentor.email})
    assert _links(db, world.mentor.id) == []
    client.post(url, data={**same, "mentor_name": "Nora Nieuw", "mentor_email": "nora@school.be"})
    nora = db.exec(select(User).where(User.email == "nora@school.be")).one()
    assert len(_links(db, nora.id)) == 1


def test_a_link_covers_the_mentors_latest_placement(app, db, world):
    moment = app.config["FROZEN_NOW"]
    world.other_placement.mentor_id = world.mentor.id
    world.other_placement.last_day = world.placement.last_day + timedelta(days=30)
    db.add(world.other_placement)
    db.commit()
    expected = closes_at(world.other_placement) + timedelta(days=14)
    assert link_expiry(db, world.mentor, moment=moment) == expected
    long_after = expected + timedelta(days=1)
    assert link_expiry(db, world.mentor, moment=long_after) is None
    with pytest.raises(DomainError):
        issue_link(db, world.mentor, moment=long_after, actor=None)


def test_a_mentor_asks_for_a_new_link_from_the_expired_page(app, db, world):
    client = app.test_client()
    page = client.get("/m/" + "x" * 43)
    assert page.status_code == 404 and "Stuur me een nieuwe link" in page.text
    known = client.post("/m/nieuwe-link", data={"email": world.mentor.email.upper()})
    unknown = client.post("/m/nieuwe-link", data={"email": "niemand@school.be"})
    student = client.post("/m/nieuwe-link", data={"email": world.student.email})
    assert known.status_code == unknown.status_code == student.status_code == 200
    assert known.text == unknown.text == student.text  # nothing tells who is known
    assert len(_links(db, world.mentor.id)) == 1
    assert mentor_for_new_link(db, world.student.email, moment=app.config["FROZEN_NOW"]) is None


def test_asking_for_a_link_needs_an_address(app):
    response = app.test_client().post("/m/nieuwe-link", data={"email": ""})
    assert response.status_code == 422 and "Vul je e-mailadres in" in response.text

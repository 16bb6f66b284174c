"""Over HTTP: the board's decision locks every evaluation; the coordinator reopens with a reason."""

from sqlmodel import select

from portfolio.models import Attitude, AuditEvent, Evaluation, Role, Synthesis, Verdict


def url(world, tail=""):
    return f"/stages/{world.placement.id}/{tail}"


def _decided(db, world, login_as):
    attitudes = db.exec(select(Attitude).where(Attitude.archived_at.is_(None))).all()
    verdicts = {f"oordeel-{a.id}": Verdict.SUFFICIENT for a in attitudes}
    login_as(world.supervisor).post(url(world, "evaluatie/eind"), data=verdicts)
    proposal = {"voorstel": "geslaagd", "cijfer": "15", "motivatie": "Sterk gegroeid."}
    login_as(world.supervisor).post(url(world, "synthese"), data=proposal)
    decision = {"beslissing": "bevestigd", "notitie": ""}
    response = login_as(world.coordinator).post(
        url(world, "synthese/examencommissie"), data=decision
    )
    assert response.status_code == 303
    return attitudes


def test_the_mentors_final_verdict_is_refused_after_the_board_decided(db, world, login_as):
    attitudes = _decided(db, world, login_as)
    mentor = login_as(world.mentor)
    page = mentor.get(url(world, "evaluatie/eind"))
    assert "ligt vast" in page.text and "<form" not in page.text.split("<main", 1)[1]
    refused = mentor.post(
        url(world, "evaluatie/eind"), data={f"oordeel-{attitudes[0].id}": Verdict.INSUFFICIENT}
    )
    assert refused.status_code == 422 and "ligt vast" in refused.text
    assert not db.exec(select(Evaluation).where(Evaluation.author_role == Role.MENTOR)).all()


def test_the_coordinator_reopens_with_a_reason(db, world, login_as):
    _decided(db, world, login_as)
    reason = {"reden": "Verkeerde attitude beoordeeld."}
    for who in ("supervisor", "colleague", "mentor", "student"):
        response = login_as(getattr(world, who)).post(url(world, "synthese/heropenen"), data=reason)
        assert response.status_code == 403
    coordinator = login_as(world.coordinator)
    assert "Evaluatie heropenen" in coordinator.get(url(world, "synthese")).text
    empty = coordinator.post(url(world, "synthese/heropenen"), data={"reden": " "})
    assert empty.status_code == 422 and "Noteer waarom je de evaluatie heropent." in empty.text
    done = coordinator.post(url(world, "synthese/heropenen"), data=reason, follow_redirects=True)
    assert done.status_code == 200 and "De evaluatie is heropend" in done.text
    db.expire_all()
    assert db.exec(select(Synthesis)).one().decided_at is None
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "evaluation.reopened")).one()
    assert event.detail["reason"] == reason["reden"]
    again = coordinator.post(url(world, "synthese/heropenen"), data=reason)
    assert again.status_code == 422 and "besliste nog niet" in again.text

"""The mentor confirms several stage days at once: checkboxes, one POST, one audit per day."""

from __future__ import annotations

from sqlmodel import select

from portfolio.domain.placements import stage_days
from portfolio.models import AuditEvent, Presence, StageDay

# The test clock says Wednesday 8 October 2025: days 0-2 (6, 7, 8 Oct) have begun.


def _url(placement_id: int) -> str:
    return f"/mentor/stages/{placement_id}/aanwezigheid"


def test_the_mentor_ticks_several_days_and_each_is_logged(world, db, login_as):
    days = stage_days(db, world.placement)
    client = login_as(world.mentor)
    home = client.get("/mentor").text
    assert "Meerdere dagen tegelijk als aanwezig bevestigen" in home
    assert f'name="day_id" value="{days[0].id}"' in home
    assert f'name="day_id" value="{days[5].id}"' not in home  # not begun yet
    response = client.post(_url(world.placement.id), data={"day_id": [days[0].id, days[2].id]})
    assert response.status_code == 303
    assert "Aanwezigheid bevestigd voor 2 stagedagen." in client.get("/mentor").text
    db.expire_all()
    states = [db.get(StageDay, d.id).presence for d in days[:3]]
    assert states == [Presence.PRESENT, Presence.UNKNOWN, Presence.PRESENT]
    logged = db.exec(select(AuditEvent).where(AuditEvent.action == "day.presence")).all()
    assert sorted(e.detail["day"] for e in logged) == [
        days[0].day.isoformat(),
        days[2].day.isoformat(),
    ]
    # Confirmed days leave the tick list.
    assert f'name="day_id" value="{days[0].id}"' not in client.get("/mentor").text


def test_one_day_not_begun_refuses_them_all(world, db, login_as):
    days = stage_days(db, world.placement)
    response = login_as(world.mentor).post(
        _url(world.placement.id), data={"day_id": [days[0].id, days[5].id]}
    )
    assert response.status_code == 422 and "pas invullen vanaf de stagedag" in response.text
    db.expire_all()
    assert db.get(StageDay, days[0].id).presence == Presence.UNKNOWN


def test_refusals(world, db, login_as):
    mine = stage_days(db, world.placement)[0]
    other = stage_days(db, world.other_placement)[0]
    mentor = login_as(world.mentor)
    nothing = mentor.post(_url(world.placement.id), data={})
    assert nothing.status_code == 422 and "Vink minstens één stagedag aan." in nothing.text
    bad = mentor.post(_url(world.placement.id), data={"day_id": "abc"})
    assert bad.status_code == 422 and "Die stagedag bestaat niet." in bad.text
    # A day of another placement, the other mentor's placement, another role.
    assert mentor.post(_url(world.placement.id), data={"day_id": other.id}).status_code == 404
    foreign = login_as(world.other_mentor).post(_url(world.placement.id), data={"day_id": mine.id})
    assert foreign.status_code == 403
    student = login_as(world.student).post(_url(world.placement.id), data={"day_id": mine.id})
    assert student.status_code == 403
    db.expire_all()
    assert db.get(StageDay, mine.id).presence == Presence.UNKNOWN

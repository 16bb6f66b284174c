"""The personal iCal feed: made, renewed and revoked on a small page; it parses with icalendar,
holds the right events in Brussels time across a daylight-saving change and nothing more."""

import re
from datetime import date, datetime

import pytest
from icalendar import Calendar
from sqlmodel import select

from portfolio import create_app
from portfolio.clock import BRUSSELS
from portfolio.models import CalendarFeed, DayKind, GuidanceType, StageDay
from tests.guidance_support import brussels, make_moment

PAGE = "/agenda-abonnement"


def _issue(client) -> str:
    response = client.post(PAGE)
    assert response.status_code == 200
    [url] = re.findall(r'value="(http://[^"]+\.ics)"', response.text)
    return url.removeprefix("http://localhost")


def _parse(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def _events(calendar) -> dict[str, object]:
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_a_students_feed_holds_days_moments_and_closing_in_brussels_time(login_as, world, db, app):
    days = db.exec(select(StageDay).where(StageDay.placement_id == world.placement.id)).all()
    days[1].kind = DayKind.R
    db.add(days[1])
    db.commit()
    # 14:00 in Brussels on both sides of the change to winter time (26 October 2025).
    make_moment(db, world, title="Schijnwerper", starts_at=brussels(2025, 10, 20, 14, 0))
    make_moment(
        db,
        world,
        GuidanceType.EEN_OP_EEN,
        placement=world.placement,
        title="1-op-1 met je begeleider",
        starts_at=brussels(2025, 11, 3, 14, 0),
        questions="Geheime vraag over mijn mentor",
    )
    make_moment(db, world, GuidanceType.EEN_OP_EEN, placement=world.other_placement, title="Ander")
    client = login_as(world.student)
    calendar = _parse(client, _issue(client))

    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Brussels"
    events = _events(calendar)
    summer, winter = events["Schijnwerper"], events["1-op-1 met je begeleider"]
    for event, offset_hours in ((summer, 2), (winter, 1)):
        start = event.decoded("dtstart")
        assert str(event["dtstart"].params["TZID"]) == "Europe/Brussels"
        assert start.hour == 14 and start.utcoffset().total_seconds() == offset_hours * 3600
    stage_days = [e for e in calendar.walk("VEVENT") if str(e["summary"]).startswith("Stagedag")]
    assert len(stage_days) == len(days)
    assert f"Stagedag (R) · {world.placement.site_name}" in events
    first = min(e.decoded("dtstart") for e in stage_days)
    assert first == date(2025, 10, 6) and not isinstance(first, datetime)  # all-day
    closing = events[f"Portfolio sluit ({world.placement.site_name})"].decoded("dtend")
    assert closing.astimezone(BRUSSELS).strftime("%H:%M") == "23:59"
    assert "Ander" not in events  # another student's talk
    assert b"Geheime vraag" not in calendar.to_ical()  # questions never travel


def test_a_supervisors_feed_holds_their_students_visits_and_talks(login_as, world, db):
    make_moment(db, world, GuidanceType.STAGEBEZOEK, placement=world.placement, title="Bezoek")
    make_moment(db, world, GuidanceType.EEN_OP_EEN, placement=world.placement, title="Gesprek")
    make_moment(db, world, GuidanceType.STAGEBEZOEK, placement=world.other_placement)
    make_moment(db, world, title="Groepssessie")
    client = login_as(world.supervisor)
    names = set(_events(_parse(client, _issue(client))))
    assert names == {
        f"Stagebezoek: {world.student.name} ({world.placement.site_name})",
        f"1-op-1-gesprek: {world.student.name} ({world.placement.site_name})",
    }


def test_renewing_stops_the_old_url_and_revoking_gives_404(login_as, world, db):
    client = login_as(world.student)
    old = _issue(client)
    new = _issue(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert "Je hebt een agenda-link sinds" in client.get(PAGE).text
    assert client.post(f"{PAGE}/intrekken").status_code == 303
    assert client.get(new).status_code == 404
    assert client.get("/agenda/" + "x" * 43 + ".ics").status_code == 404
    # Only hashes are stored.
    hashes = db.exec(select(CalendarFeed.token_hash)).all()
    assert len(hashes) == 2 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)


def test_mentors_and_coordinators_get_no_feed(login_as, world):
    for person in (world.mentor, world.coordinator):
        client = login_as(person)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE).status_code == 403


def test_the_page_needs_a_sign_in_but_the_feed_does_not(client, login_as, world):
    assert client.get(PAGE).status_code == 302
    url = _issue(login_as(world.student))
    assert client.get(url).status_code == 200


def test_the_feed_is_rate_limited(app):
    limited = create_app(
        {**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    client = limited.test_client()
    codes = [client.get("/agenda/" + "y" * 43 + ".ics").status_code for _ in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


@pytest.mark.parametrize("token", ["", "y" * 101, "../../etc"])
def test_odd_tokens_are_not_found(client, token):
    assert client.get(f"/agenda/{token}.ics").status_code == 404

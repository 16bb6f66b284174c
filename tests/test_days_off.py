"""A stage day moved or added onto a weekend or holiday: a Dutch question, then the change."""

from datetime import date

import pytest
from sqlmodel import select

from portfolio.domain.days_off import DayOffNeedsConfirmation, day_off_reason
from portfolio.domain.placements import add_day, move_day, stage_days
from portfolio.models import AuditEvent, DayKind, Holiday, StageDay

SATURDAY = date(2025, 10, 11)
CHRISTMAS = date(2025, 12, 25)


@pytest.fixture
def christmas(db):
    db.add(Holiday(day=CHRISTMAS, name="Kerstmis"))
    db.commit()


def test_weekends_and_holidays_are_days_off(db, christmas):
    assert day_off_reason(db, SATURDAY) == "een zaterdag"
    assert day_off_reason(db, date(2025, 10, 12)) == "een zondag"
    assert day_off_reason(db, CHRISTMAS) == "een vrije dag: Kerstmis"
    assert day_off_reason(db, date(2025, 10, 10)) is None


def test_moving_onto_a_day_off_asks_first_then_goes_and_is_logged(db, world, christmas):
    day = stage_days(db, world.placement)[2]
    before = day.day
    with pytest.raises(DayOffNeedsConfirmation, match="11/10/2025 is een zaterdag"):
        move_day(db, world.placement, day, SATURDAY, actor=world.coordinator)
    assert day.day == before
    move_day(db, world.placement, day, SATURDAY, actor=world.coordinator, confirm_day_off=True)
    assert day.day == SATURDAY
    moved = db.exec(select(AuditEvent).where(AuditEvent.action == "day.moved")).one()
    assert moved.detail["day_off"] == "een zaterdag"


def test_adding_on_christmas_asks_first(db, world, christmas):
    with pytest.raises(DayOffNeedsConfirmation, match="Kerstmis"):
        add_day(db, world.placement, CHRISTMAS, DayKind.R, actor=world.coordinator)
    assert CHRISTMAS not in [d.day for d in stage_days(db, world.placement)]
    add_day(
        db, world.placement, CHRISTMAS, DayKind.R, actor=world.coordinator, confirm_day_off=True
    )
    assert CHRISTMAS in [d.day for d in stage_days(db, world.placement)]


def test_the_calendar_asks_next_to_the_date_and_goes_on_after_confirming(db, world, login_as):
    client = login_as(world.coordinator)
    day = stage_days(db, world.placement)[2]
    url = f"/beheer/stages/{world.placement.id}/dagen/{day.id}/verplaatsen"
    htmx = {"HX-Request": "true"}
    asked = client.post(url, data={"new_date": SATURDAY.isoformat()}, headers=htmx)
    assert asked.status_code == 200 and "<html" not in asked.text
    row = asked.text.split(f'<tr id="dag-{day.id}">', 1)[1].split("</tr>", 1)[0]
    assert "11/10/2025 is een zaterdag" in row and 'name="toch"' in row
    assert f'value="{SATURDAY.isoformat()}"' in row  # what was typed stays
    db.expire_all()
    assert db.get(StageDay, day.id).day != SATURDAY
    # Without JavaScript: the same question on the full page.
    plain = client.post(url, data={"new_date": SATURDAY.isoformat()})
    assert plain.status_code == 200 and "is een zaterdag" in plain.text and "<html" in plain.text
    done = client.post(url, data={"new_date": SATURDAY.isoformat(), "toch": "ja"}, headers=htmx)
    assert done.status_code == 200 and 'name="toch"' not in done.text
    db.expire_all()
    assert db.get(StageDay, day.id).day == SATURDAY
    added = client.post(
        f"/beheer/stages/{world.placement.id}/dagen",
        data={"day": "2025-10-12", "kind": "R"},
        headers=htmx,
    )
    form = added.text.split("Stagedag toevoegen", 1)[1]
    assert "is een zondag" in form and 'value="2025-10-12"' in form

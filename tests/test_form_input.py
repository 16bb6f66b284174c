"""Odd form input on the coordinator, mentor, supervision, evaluation and guidance routes:
a Dutch 422, never a 500 (portfolio/routes/form_input.py)."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portfolio.domain.placements import stage_days
from portfolio.models import (
    Attitude,
    DeadlineExtension,
    EvaluationRemark,
    Feedback,
    GuidanceMoment,
    Item,
    ItemKind,
    Placement,
    Synthesis,
)
from portfolio.routes.form_input import whole_number

# '²' passes str.isdigit() but int() refuses it; int() refuses more than 4300 digits.
NOT_NUMBERS = ["²", "9" * 5000, "10.5", "-1", "", " ", "1e3", "0x10"]


def test_whole_number_reads_ascii_digits_only():
    assert whole_number("42") == 42 and whole_number(" 7 ") == 7
    assert whole_number("2147483647") == 2**31 - 1
    # PostgreSQL refuses a number above INTEGER in `WHERE id = ...::INTEGER` (DataError)
    for text in [*NOT_NUMBERS, None, "١٢", "2147483648", "9" * 19]:
        assert whole_number(text) is None, text


@pytest.mark.parametrize("score", NOT_NUMBERS)
def test_synthesis_score_must_be_a_whole_number(db, world, login_as, score):
    response = login_as(world.supervisor).post(
        f"/stages/{world.placement.id}/synthese",
        data={"voorstel": "geslaagd", "cijfer": score, "motivatie": "Goed."},
    )
    assert response.status_code == 422 and "geheel cijfer" in response.text
    assert db.exec(select(Synthesis)).all() == []


@pytest.mark.parametrize("attitude", ["²", "9" * 5000, "x"])
def test_remark_with_an_odd_attitude_id_is_422(db, world, login_as, attitude):
    response = login_as(world.supervisor).post(
        f"/stages/{world.placement.id}/evaluatie/tussentijds/opmerkingen",
        data={"attitude": attitude, "soort": "sterkte", "tekst": "Goed"},
    )
    assert response.status_code == 422 and "Kies een attitude uit de lijst" in response.text
    assert db.exec(select(EvaluationRemark)).all() == []


def _plan(**fields):
    form = {"soort": "schijnwerper", "titel": "Rode draad", "dag": "2025-10-28", "uur": "13:30"}
    return form | {"duur": "60"} | fields


@pytest.mark.parametrize("duration", ["²", "9" * 5000])
def test_planning_with_an_odd_duration_is_422(db, world, login_as, duration):
    response = login_as(world.supervisor).post(
        "/begeleiding/nieuw", data=_plan(voor=f"pool-{world.pool.id}", duur=duration)
    )
    assert response.status_code == 422 and "duur in minuten" in response.text
    assert db.exec(select(GuidanceMoment)).all() == []


@pytest.mark.parametrize(
    "target", ["stage-²", "pool-²", "stage-" + "9" * 5000, "stage-99999999999", "pool-2147483648"]
)
def test_planning_for_an_odd_target_is_422(db, world, login_as, target):
    response = login_as(world.supervisor).post("/begeleiding/nieuw", data=_plan(voor=target))
    assert response.status_code == 422 and "Kies een pool of een student" in response.text


def test_planning_in_the_spring_forward_gap_is_422(db, world, login_as):
    # 29 March 2026: Brussels clocks jump from 02:00 to 03:00; 02:30 does not exist.
    response = login_as(world.supervisor).post(
        "/begeleiding/nieuw",
        data=_plan(voor=f"pool-{world.pool.id}", dag="2026-03-29", uur="02:30"),
    )
    assert response.status_code == 422 and "Dit uur bestaat niet in Brussel" in response.text
    assert db.exec(select(GuidanceMoment)).all() == []


def _extend(login_as, world, day, time="12:00"):
    return login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/verlenging",
        data={"day": day, "time": time, "reason": "Ziekte"},
    )


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_extension_far_from_now_is_422(db, world, login_as, day):
    response = _extend(login_as, world, day, "00:00")
    assert response.status_code == 422 and "tussen 2000 en 2100" in response.text
    assert db.exec(select(DeadlineExtension)).all() == []


def test_extension_in_the_spring_forward_gap_is_422(db, world, login_as):
    response = _extend(login_as, world, "2026-03-29", "02:30")
    assert response.status_code == 422 and "Dit uur bestaat niet in Brussel" in response.text
    assert db.get(Placement, world.placement.id).closes_at_override is None


def test_extension_in_the_autumn_fold_means_the_first_occurrence(db, world, login_as):
    # 25 October 2026: 02:30 happens twice; the first is summer time (UTC+2).
    assert _extend(login_as, world, "2026-10-25", "02:30").status_code == 303
    extension = db.exec(select(DeadlineExtension)).one()
    assert extension.closes_at.replace(tzinfo=UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.fixture
def item(db, world):
    item = Item(placement_id=world.placement.id, kind=ItemKind.NULDOCUMENT, title="Nuldocument")
    db.add(item)
    db.commit()
    return item


@pytest.mark.parametrize("attitude", ["²", "9" * 5000])
def test_feedback_with_an_odd_attitude_id_is_422(db, world, login_as, item, attitude):
    response = login_as(world.supervisor).post(
        f"/stages/{world.placement.id}/items/{item.id}/feedback",
        data={"kind": "suggestie", "body": "Mooi", "attitudes": attitude, "request_id": "²"},
    )
    assert response.status_code == 422 and "Kies alleen attitudes" in response.text
    assert db.exec(select(Feedback)).all() == []


# PostgreSQL refuses a NUL character in text (DataError): refused before any view runs.
NUL_MESSAGE = "ongeldig teken"


def test_nul_byte_in_feedback_is_422(db, world, login_as, item):
    response = login_as(world.supervisor).post(
        f"/stages/{world.placement.id}/items/{item.id}/feedback",
        data={"kind": "suggestie", "body": "Mo\x00oi"},
    )
    assert response.status_code == 422 and NUL_MESSAGE in response.text
    assert db.exec(select(Feedback)).all() == []


def test_nul_byte_in_an_attitude_name_is_422(db, world, login_as):
    response = login_as(world.coordinator).post(
        "/beheer/attitudes", data={"name": "Zorg\x00", "description": ""}
    )
    assert response.status_code == 422 and NUL_MESSAGE in response.text
    assert db.exec(select(Attitude).where(Attitude.name.startswith("Zorg"))).all() == []


def test_nul_byte_in_a_coordinator_form_is_422(db, world, login_as):
    response = login_as(world.coordinator).post("/beheer/pools", data={"name": "Pool\x00B"})
    assert response.status_code == 422 and NUL_MESSAGE in response.text


def test_nul_byte_in_a_presence_note_is_422(db, world, login_as):
    day = stage_days(db, world.placement)[0]
    response = login_as(world.mentor).post(
        f"/mentor/stages/{world.placement.id}/dagen/{day.id}/aanwezigheid",
        data={"presence": "afwezig", "note": "ziek\x00"},
    )
    assert response.status_code == 422 and NUL_MESSAGE in response.text
    db.expire_all()
    assert db.get(type(day), day.id).presence_note in (None, "")


def test_nul_byte_in_a_guidance_form_is_422(db, world, login_as):
    response = login_as(world.supervisor).post(
        "/begeleiding/nieuw", data=_plan(voor=f"pool-{world.pool.id}", titel="Rode\x00draad")
    )
    assert response.status_code == 422 and NUL_MESSAGE in response.text
    assert db.exec(select(GuidanceMoment)).all() == []


def test_nul_byte_in_the_overview_query_is_422(world, login_as):
    response = login_as(world.supervisor).get("/studenten", query_string={"q": "a\x00b"})
    assert response.status_code == 422 and NUL_MESSAGE in response.text


BIG_ID = "99999999999999999999999"


def test_assignment_with_an_out_of_range_id_is_422(db, world, login_as):
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/toewijzing",
        data={"supervisor_id": BIG_ID, "pool_id": "", "mentor_name": "", "mentor_email": ""},
    )
    assert response.status_code == 422
    assert db.get(Placement, world.placement.id).supervisor_id == world.supervisor.id


@pytest.mark.parametrize("user_id", [BIG_ID, "²", ""])
def test_pool_member_with_an_odd_id_is_422(db, world, login_as, user_id):
    response = login_as(world.coordinator).post(
        f"/beheer/pools/{world.pool.id}/leden", data={"user_id": user_id}
    )
    assert response.status_code == 422 and "Kies een stagebegeleider" in response.text

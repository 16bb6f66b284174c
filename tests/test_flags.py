"""Issue 13's flags on the overviews: R-days before the stagepakket was signed, second absence."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import delete, select

from portfolio.clock import start_of_day
from portfolio.domain import guidance_attendance
from portfolio.domain.overview_numbers import page_numbers
from portfolio.domain.package_flags import (
    fully_signed_at,
    is_unsigned_r_day,
    packages_signed_at,
)
from portfolio.domain.signing import content_hash, reopen, signatures_of
from portfolio.models import (
    AttendanceStatus,
    DayKind,
    ItemKind,
    PlacementDays,
    Role,
    Signature,
    StageDay,
)
from tests.guidance_support import brussels, make_moment

SIGNED = datetime(2025, 10, 23, 12, 0, tzinfo=UTC)  # Thursday after the first three R-days
AFTER = datetime(2025, 10, 24, 10, 0, tzinfo=UTC)


def _sign(db, package, world, *, at=SIGNED, roles=(Role.STUDENT, Role.MENTOR, Role.SUPERVISOR)):
    signer = {
        Role.STUDENT: world.student,
        Role.MENTOR: world.mentor,
        Role.SUPERVISOR: world.supervisor,
    }
    for n, role in enumerate(roles):
        db.add(
            Signature(
                item_id=package.id,
                signer_id=signer[role].id,
                role=role,
                content_hash=content_hash(package),
                signed_at=at - timedelta(hours=len(roles) - n),
            )
        )
    db.commit()


@pytest.fixture
def package(make_item, world):
    return make_item(world.placement, ItemKind.STAGEPAKKET, content={"taken": "Wandeling"})


# ---------------------------------------------------------------- the rules


def test_fully_signed_at_is_the_last_needed_signature_on_the_current_content(
    app, db, world, package
):
    assert fully_signed_at(package, []) is None
    _sign(db, package, world, roles=(Role.STUDENT, Role.MENTOR))
    assert fully_signed_at(package, signatures_of(db, package)) is None
    _sign(db, package, world, roles=(Role.SUPERVISOR,))
    assert packages_signed_at(db, [world.placement.id, world.other_placement.id]) == {
        world.placement.id: SIGNED - timedelta(hours=1),
        world.other_placement.id: None,
    }
    # Reopening the package for a change voids every signature.
    with app.test_request_context():  # reopening tells the other parties
        reopen(db, package, world.placement, actor=world.student, moment=SIGNED)
    db.commit()
    assert packages_signed_at(db, [world.placement.id])[world.placement.id] is None


def test_the_earliest_live_package_counts_and_a_deleted_one_not(db, world, make_item, package):
    _sign(db, package, world, at=AFTER)
    earlier = make_item(world.placement, ItemKind.STAGEPAKKET, content={"taken": "Oud"})
    _sign(db, earlier, world)
    last = timedelta(hours=1)  # _sign puts the last of three signatures an hour before `at`
    assert packages_signed_at(db, [world.placement.id]) == {world.placement.id: SIGNED - last}
    earlier.deleted_at = AFTER
    db.add(earlier)
    db.commit()
    assert packages_signed_at(db, [world.placement.id]) == {world.placement.id: AFTER - last}


def test_every_r_day_that_began_before_the_signing_stays_flagged():
    past_r_day, later_r_day = date(2025, 10, 20), date(2025, 10, 27)
    assert is_unsigned_r_day(past_r_day, DayKind.R, None)
    assert is_unsigned_r_day(past_r_day, DayKind.R, SIGNED)  # past, signed afterwards: stays
    assert not is_unsigned_r_day(later_r_day, DayKind.R, SIGNED)
    assert not is_unsigned_r_day(past_r_day, DayKind.OPR, None)  # OPR days need no package
    assert not is_unsigned_r_day(past_r_day, DayKind.R, start_of_day(past_r_day))  # just in time


# ---------------------------------------------------------------- on the pages


def test_supervisor_overview_shows_r_days_worked_unsigned_and_second_absence(
    db, world, package, login_as, set_now
):
    set_now(AFTER)
    _sign(db, package, world)
    first, second = (make_moment(db, world, starts_at=brussels(2025, 10, d, 14)) for d in (7, 14))
    for moment in (first, second):
        guidance_attendance.record_attendance(
            db,
            moment,
            world.placement,
            status=AttendanceStatus.ILLEGITIMATE,
            actor=world.supervisor,
        )
    db.commit()
    page = login_as(world.supervisor).get("/studenten").text
    row = page[page.index("Student Een") : page.index("Student Twee")]
    assert "ondertekend" in row and "3 R-dagen zonder ondertekend stagepakket" in row
    assert "Tweede ongewettigde afwezigheid" in row
    other = page[page.index("Student Twee") :]
    assert "9 R-dagen zonder ondertekend stagepakket" in other  # never signed: every R-day
    assert "Tweede ongewettigde afwezigheid" not in other


def test_the_portfolio_calendar_keeps_past_unsigned_r_days_flagged(
    db, world, package, login_as, set_now
):
    set_now(AFTER)
    _sign(db, package, world)
    page = login_as(world.student).get(f"/stages/{world.placement.id}/portfolio").text
    assert page.count("R-dag begonnen vóór het stagepakket door alle drie ondertekend was") == 3
    assert "Stagepakket nog niet door alle drie ondertekend" not in page


def _unsigned_r_days(db, world, count_queries):
    """The overview's R-day numbers for the world's placements, and whether days were read."""
    today = date(2025, 10, 24)
    ids = [world.placement.id, world.other_placement.id]
    with count_queries() as counted:
        numbers = page_numbers(db, ids, today, today + timedelta(days=7))[2]
    read_days = any("stageday.kind" in s and "count(" not in s for s in counted.statements)
    return [numbers[pid] for pid in ids], read_days


def test_the_overview_reads_r_days_only_for_a_package_signed_after_the_first(
    db, world, package, make_item, count_queries
):
    first_r_day = min(_r_days_of(db, world.placement))
    _sign(db, package, world, at=start_of_day(first_r_day) - timedelta(days=1))
    # Signed before the first R-day, and never signed: both from placement_days alone.
    assert _unsigned_r_days(db, world, count_queries) == ([0, 9], False)
    late = make_item(world.placement, ItemKind.STAGEPAKKET, content={"taken": "Later"})
    package.deleted_at = SIGNED
    db.add(package)
    _sign(db, late, world)  # signed after three R-days began: those days are read and counted
    assert _unsigned_r_days(db, world, count_queries) == ([3, 9], True)


def _r_days_of(db, placement) -> list[date]:
    query = select(StageDay.day).where(
        StageDay.placement_id == placement.id, StageDay.kind == DayKind.R
    )
    return list(db.exec(query))


def test_without_a_placement_days_row_the_r_days_are_counted_from_the_days(
    db, world, package, count_queries
):
    """A row the hook has not written yet (a bulk import before refresh_all) is no reason to
    flag nothing: the page then reads that placement's R-days itself."""
    _sign(db, package, world)
    db.exec(delete(PlacementDays))
    db.commit()
    assert _unsigned_r_days(db, world, count_queries) == ([3, 9], True)

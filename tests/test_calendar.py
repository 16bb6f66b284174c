"""Calendar and deadline rules, without HTTP."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portfolio.domain.calendar import (
    MAX_OPR_DAYS,
    check_opr_limit,
    default_kinds,
    generate_stage_days,
    parse_weekdays,
)
from portfolio.domain.deadline import closing_moment, countdown, is_closed
from portfolio.domain.errors import DomainError
from portfolio.models import DayKind, Placement, PlacementStatus


def test_semester_one_days_are_monday_to_wednesday_skipping_holidays():
    days = generate_stage_days(
        date(2025, 10, 6), date(2025, 10, 17), (0, 1, 2), [date(2025, 10, 7)]
    )
    assert days == [
        date(2025, 10, 6),
        date(2025, 10, 8),
        date(2025, 10, 13),
        date(2025, 10, 14),
        date(2025, 10, 15),
    ]


def test_semester_two_days_are_thursday_and_friday():
    days = generate_stage_days(date(2026, 2, 9), date(2026, 2, 20), (3, 4))
    assert [d.weekday() for d in days] == [3, 4, 3, 4]


def test_last_day_before_first_day_is_refused():
    with pytest.raises(DomainError, match="vóór"):
        generate_stage_days(date(2025, 10, 10), date(2025, 10, 1), (0,))


@pytest.mark.parametrize("text", ["", "x", "7", "-1"])
def test_bad_weekdays_are_refused(text):
    with pytest.raises(DomainError):
        parse_weekdays(text)


def test_first_six_days_are_opr_then_r():
    days = [date(2025, 10, 6) + timedelta(days=i) for i in range(9)]
    kinds = [kind for _, kind in default_kinds(days)]
    assert kinds == [DayKind.OPR] * MAX_OPR_DAYS + [DayKind.R] * 3


def test_a_seventh_opr_day_is_refused_with_a_clear_message():
    check_opr_limit([DayKind.OPR] * 6 + [DayKind.R])
    with pytest.raises(DomainError, match="hoogstens 6 OPR-dagen"):
        check_opr_limit([DayKind.OPR] * 7)


def test_closing_moment_is_two_days_after_a_friday_at_midnight_brussels():
    # Friday 14 Nov 2025 (CET, UTC+1): closes Sunday 16 Nov 23:59:59 local = 22:59:59 UTC.
    assert closing_moment(date(2025, 11, 14)) == datetime(2025, 11, 16, 22, 59, 59, tzinfo=UTC)


def test_closing_moment_in_the_week_summer_time_ends():
    # Last day Friday 24 Oct 2025; clocks go back on Sunday 26 Oct: closes at UTC+1.
    assert closing_moment(date(2025, 10, 24)) == datetime(2025, 10, 26, 22, 59, 59, tzinfo=UTC)
    # Last day Thursday 23 Oct: closes Saturday 25 Oct, still summer time (UTC+2).
    assert closing_moment(date(2025, 10, 23)) == datetime(2025, 10, 25, 21, 59, 59, tzinfo=UTC)


def test_closing_moment_in_the_week_summer_time_starts():
    # Last day Friday 27 Mar 2026; clocks go forward on Sunday 29 Mar: closes at UTC+2.
    assert closing_moment(date(2026, 3, 27)) == datetime(2026, 3, 29, 21, 59, 59, tzinfo=UTC)
    assert closing_moment(date(2026, 3, 26)) == datetime(2026, 3, 28, 22, 59, 59, tzinfo=UTC)


def _placement(**fields) -> Placement:
    fields.setdefault("student_id", 1)
    fields.setdefault("site_name", "x")
    fields.setdefault("first_day", date(2025, 11, 3))
    fields.setdefault("last_day", date(2025, 11, 14))
    return Placement(**fields)


def test_portfolio_is_open_until_the_last_second_and_closed_after():
    placement = _placement()
    deadline = closing_moment(placement.last_day)
    assert not is_closed(placement, deadline)
    assert is_closed(placement, deadline + timedelta(seconds=1))


def test_an_extension_moves_the_closing_moment():
    later = datetime(2025, 11, 30, 22, 59, 59, tzinfo=UTC)
    placement = _placement(closes_at_override=later)
    assert not is_closed(placement, datetime(2025, 11, 20, tzinfo=UTC))
    assert is_closed(placement, later + timedelta(seconds=1))


def test_a_stopped_placement_is_closed_at_once():
    placement = _placement(status=PlacementStatus.STOPPED)
    assert is_closed(placement, datetime(2025, 11, 1, tzinfo=UTC))


def test_countdown_text_in_dutch():
    deadline = datetime(2025, 11, 16, 22, 59, 59, tzinfo=UTC)
    left = countdown(deadline, deadline - timedelta(days=2, hours=3, minutes=5, seconds=30))
    assert (left.days, left.hours, left.minutes) == (2, 3, 5)
    assert left.text == "Nog 2 dagen, 3 uur en 5 minuten"
    assert countdown(deadline, deadline - timedelta(minutes=1, seconds=5)).text == "Nog 1 minuut"
    assert countdown(deadline, deadline + timedelta(seconds=1)).is_over

"""The student's home page: calendar strip and countdown; other roles land elsewhere."""

from datetime import UTC, datetime

from portfolio.models import Role


def test_student_sees_calendar_and_countdown(login_as, world, set_now):
    set_now(datetime(2025, 11, 1, 12, 0, tzinfo=UTC))
    page = login_as(world.student).get("/")
    assert page.status_code == 200
    assert "Kleuterschool Testplein" in page.text
    # Last day 5 Nov 2025 -> closes Fri 7 Nov 23:59:59 Brussels.
    assert "7 november 2025 om 23:59" in page.text
    assert "Nog 6 dagen, 10 uur en 59 minuten" in page.text
    assert page.text.count('class="day ') == 15
    assert "OPR-dag" in page.text and "R-dag" in page.text


def test_student_home_after_closing_says_closed(login_as, world, set_now):
    set_now(datetime(2025, 11, 8, 0, 0, tzinfo=UTC))
    page = login_as(world.student).get("/")
    assert "Je portfolio is afgesloten" in page.text


def test_student_without_placement(login_as, make_user):
    page = login_as(make_user(Role.STUDENT)).get("/")
    assert "nog geen stageplaats" in page.text


def test_home_page_query_count_does_not_grow_with_days(login_as, make_placement, count_queries):
    from datetime import date

    short = make_placement(first_day=date(2025, 10, 6), last_day=date(2025, 10, 8))
    long = make_placement(first_day=date(2025, 10, 6), last_day=date(2026, 1, 30))
    counts = []
    for placement in (short, long):
        from portfolio.models import User

        client = login_as(User(id=placement.student_id, email="x", name="x", role=Role.STUDENT))
        client.get("/")
        with count_queries() as counted:
            assert client.get("/").status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1]

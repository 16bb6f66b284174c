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


def _student_items(db, world, n_offers: int):
    """Give the world's student n offers on coming days (designs not ready) and one reflection."""
    from sqlmodel import select

    from portfolio.domain import items as ops
    from portfolio.models import ItemKind, Placement, StageDay, User

    placement = db.get(Placement, world.placement.id)
    student = db.get(User, world.student.id)
    moment = datetime(2025, 10, 1, tzinfo=UTC)
    days = list(
        db.exec(
            select(StageDay).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
        )
    )
    for i in range(n_offers):
        ops.create_item(
            db,
            placement,
            ItemKind.AANBOD,
            title=f"Aanbod {i}",
            stage_day_id=days[3 + i % 10].id,
            actor=student,
            moment=moment,
        )
    reflection = ops.get_or_create_item(
        db, placement, ItemKind.REFLECTIE, stage_day_id=days[0].id, actor=student, moment=moment
    )
    answers = {"wat_gebeurde": "a", "waaraan_lag": "b", "meenemen": "c"}
    ops.save_item(db, reflection, content=answers, base_version=1, actor=student, moment=moment)
    db.commit()
    return days


def test_student_home_lists_missing_designs_and_reflections(login_as, world, db):
    days = _student_items(db, world, 1)
    page = login_as(world.student).get("/").text  # clock: Wed 8 Oct 2025, 12:00 Brussels
    assert "Wat ontbreekt nog?" in page
    assert "1 van 1 ontwerp(en) niet klaar" in page and "Aanbod 0" in page
    # Mon 6 Oct is written; Tue 7 Oct is missing; today (Wed) is not yet due.
    missing = page[page.index("Wat ontbreekt nog?") : page.index("Stagekalender")]
    assert f"/dagen/{days[1].id}/reflectie" in missing
    assert f"/dagen/{days[0].id}/reflectie" not in missing
    assert f"/dagen/{days[2].id}/reflectie" not in missing
    assert "Nog af te werken" not in page


def test_student_home_after_the_last_day_puts_the_closing_documents_first(login_as, world, set_now):
    set_now(datetime(2025, 11, 6, 9, 0, tzinfo=UTC))  # the day after the last stage day
    page = login_as(world.student).get("/").text
    assert "Nog af te werken vóór je portfolio sluit" in page
    assert "Laatste reflectie" in page and "Voorbereiding coachingsgesprek" in page
    assert page.index("Nog af te werken") < page.index("Afsluiten portfolio")
    set_now(datetime(2025, 11, 8, 0, 0, tzinfo=UTC))
    assert "Nog af te werken" not in login_as(world.student).get("/").text


def test_home_query_count_does_not_grow_with_items(login_as, world, db, count_queries, set_now):
    set_now(datetime(2025, 11, 6, 9, 0, tzinfo=UTC))
    client = login_as(world.student)
    counts = []
    for n in (1, 10):
        _student_items(db, world, n)
        client.get("/")
        with count_queries() as counted:
            assert client.get("/").status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1]

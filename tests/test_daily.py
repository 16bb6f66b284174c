"""The daily path: the current placement, the Vandaag card, step 3 by week, stopped and
extended placements, and refusals that re-render their form."""

from datetime import UTC, date, datetime

from sqlmodel import select

from portfolio.domain import warnings as warning_ops
from portfolio.domain.current import pick_current
from portfolio.domain.timetable import pick_week, time_key, weeks_of
from portfolio.models import ItemKind, Placement, Presence, StageDay, User


def _placement(pid: int, first: date, last: date) -> Placement:
    return Placement(id=pid, student_id=1, site_name=f"S{pid}", first_day=first, last_day=last)


def test_the_current_placement_is_running_else_next_else_most_recent():
    old = _placement(1, date(2024, 10, 7), date(2024, 11, 6))
    running = _placement(2, date(2025, 10, 6), date(2025, 11, 5))
    coming = _placement(3, date(2026, 2, 9), date(2026, 3, 6))
    everything = [old, running, coming]
    assert pick_current(everything, date(2025, 10, 20)) is running
    assert pick_current(everything, date(2025, 10, 6)) is running
    assert pick_current(everything, date(2025, 11, 5)) is running
    assert pick_current(everything, date(2025, 12, 1)) is coming
    assert pick_current(everything, date(2026, 6, 1)) is coming  # the most recent one
    assert pick_current([old, running], date(2026, 6, 1)) is running
    assert pick_current([], date(2026, 6, 1)) is None


def test_the_running_placement_stays_in_front_after_the_next_one_is_created(
    login_as, world, make_placement, db
):
    running = world.placement  # 6 Oct - 5 Nov 2025; the clock says 8 Oct 2025
    student = db.get(User, world.student.id)
    nxt = make_placement(
        student,
        site_name="Speelpleinwerking Het Bos",
        first_day=date(2026, 2, 9),
        last_day=date(2026, 3, 6),
        semester=2,
    )
    client = login_as(world.student)
    home = client.get("/").text
    assert "Kleuterschool Testplein" in home
    assert f"/stages/{running.id}/portfolio/dagen/" in home
    assert client.get("/portfolio").location.endswith(f"/stages/{running.id}/portfolio")
    # One place to switch: every page of a placement names it and lists the others.
    page = client.get(f"/stages/{running.id}/portfolio").text
    assert "Stage: <strong>Kleuterschool Testplein · semester 1 · 2025–2026</strong>" in page
    assert f'href="/stages/{nxt.id}/portfolio"' in page
    other = client.get(f"/stages/{nxt.id}/portfolio").text
    assert "Stage: <strong>Speelpleinwerking Het Bos · semester 2 · 2025–2026</strong>" in other
    # Someone else's placement is never offered.
    assert f"/stages/{world.other_placement.id}/" not in page


def test_a_single_placement_is_named_without_a_switcher(login_as, world):
    page = login_as(world.supervisor).get(f"/stages/{world.placement.id}/portfolio").text
    assert 'class="placement-name"' in page and "placement-switch" not in page


def _offer(db, world, day: date, title: str, tijd: str):
    from portfolio.domain import items as ops

    stage_day = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id, StageDay.day == day)
    ).one()
    return ops.create_item(
        db,
        db.get(Placement, world.placement.id),
        ItemKind.AANBOD,
        title=title,
        content={"tijd": tijd},
        stage_day_id=stage_day.id,
        actor=db.get(User, world.student.id),
        moment=datetime(2025, 10, 1, tzinfo=UTC),
    )


def test_the_vandaag_card_links_what_today_asks_for(login_as, world, db, make_item):
    _offer(db, world, date(2025, 10, 13), "Kringgesprek", "9.00")
    db.commit()
    days = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).all()
    page = login_as(world.student).get("/").text  # Wed 8 Oct 2025, a stage day
    card = page[page.index('id="vandaag-titel"') : page.index("</section>")]
    assert f"/dagen/{days[2].id}/reflectie" in card and "Reflectie van vandaag" in card
    assert "Ontwerpen voor maandag 13 oktober" in card and "0 van 1 klaar" in card
    assert "Stagepakket" in card and "ontbreekt" in card
    assert "Nog " in card  # the countdown
    # Every calendar day is a link with its state in words.
    strip = page[page.index('class="calendar-strip"') :]
    assert f"/dagen/{days[0].id}/reflectie" in strip and "reflectie ontbreekt" in strip


def test_the_vandaag_card_shows_new_feedback_and_open_requests(login_as, world, db, make_item):
    from portfolio.domain import feedback as feedback_ops

    reflection = make_item(world.placement, ItemKind.REFLECTIE, day=date(2025, 10, 7))
    placement = db.get(Placement, world.placement.id)
    about = {
        "placement": placement,
        "item": reflection,
        "moment": datetime(2025, 10, 8, 8, tzinfo=UTC),
    }
    supervisor, student = db.get(User, world.supervisor.id), db.get(User, world.student.id)
    feedback_ops.give_feedback(db, **about, author=supervisor, kind="vraag", body="Waarom?")
    feedback_ops.ask_feedback(db, **about, student=student, question="Is dit diep genoeg?")
    db.commit()
    card = login_as(world.student).get("/").text
    assert "Nieuwe feedback bij Reflectie di 7 oktober" in card
    assert "Je vraag om feedback bij Reflectie di 7 oktober" in card


def test_a_reflection_page_links_the_previous_and_next_day(login_as, world, db):
    days = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).all()
    base = f"/stages/{world.placement.id}/portfolio/dagen"
    page = login_as(world.student).get(f"{base}/{days[1].id}/reflectie").text
    assert f'rel="prev" href="{base}/{days[0].id}/reflectie"' in page
    assert f'rel="next" href="{base}/{days[2].id}/reflectie"' in page
    first = login_as(world.student).get(f"{base}/{days[0].id}/reflectie").text
    assert 'rel="prev"' not in first


def test_step3_opens_on_the_current_week_in_time_order(login_as, world, db):
    _offer(db, world, date(2025, 10, 8), "Buitenspel", "10.30 - 11.00")
    _offer(db, world, date(2025, 10, 8), "Onthaal", "9.00")
    _offer(db, world, date(2025, 10, 14), "Volgende week", "9.00")
    db.commit()
    url = f"/stages/{world.placement.id}/portfolio/stap-3"
    page = login_as(world.student).get(url).text
    assert page.index("Onthaal") < page.index("Buitenspel")
    assert "Volgende week" not in page and "?week=2025-10-13" in page
    assert "Volgende week" in login_as(world.student).get(url + "?week=2025-10-13").text
    assert "Volgende week" in login_as(world.student).get(url + "?week=alle").text


def test_timetable_rules():
    assert sorted(["10.00", "9.00 - 9.45", "", "13u30", "8:15"], key=time_key) == [
        "8:15",
        "9.00 - 9.45",
        "10.00",
        "13u30",
        "",
    ]
    weeks = weeks_of([date(2025, 10, 6), date(2025, 10, 8), date(2025, 10, 20)])
    assert weeks == [date(2025, 10, 6), date(2025, 10, 20)]
    assert pick_week(weeks, date(2025, 9, 1), None) == date(2025, 10, 6)
    assert pick_week(weeks, date(2025, 10, 15), None) == date(2025, 10, 20)  # holiday week
    assert pick_week(weeks, date(2026, 1, 1), None) == date(2025, 10, 20)
    assert pick_week(weeks, date(2025, 10, 7), "2025-10-22") == date(2025, 10, 20)
    assert pick_week(weeks, date(2025, 10, 7), "onzin") == date(2025, 10, 6)
    assert pick_week(weeks, date(2025, 10, 7), "alle") is None


def _stop(db, world):
    placement = db.get(Placement, world.placement.id)
    placement.status = "stopgezet"
    placement.stopped_at = datetime(2025, 10, 20, 9, 0, tzinfo=UTC)
    db.add(placement)
    db.commit()


def test_a_stopped_placement_says_so_to_everyone_with_the_date(login_as, world, db, set_now):
    _stop(db, world)
    set_now(datetime(2025, 10, 21, 9, 0, tzinfo=UTC))
    home = login_as(world.student).get("/").text
    assert "Je stage is stopgezet</strong> op 20 oktober 2025" in home
    assert "afgesloten</strong> sinds" not in home
    mentor = login_as(world.mentor).get("/mentor").text
    assert "De stage is stopgezet</strong> op 20 oktober 2025" in mentor
    supervisor = login_as(world.supervisor).get(f"/stages/{world.placement.id}/feedback").text
    assert "De stage is stopgezet</strong> op 20 oktober 2025" in supervisor
    assert warning_ops.warning_count(db, db.get(Placement, world.placement.id)) == 0


def test_after_an_extension_home_does_not_say_two_days(login_as, world, db):
    placement = db.get(Placement, world.placement.id)
    placement.closes_at_override = datetime(2025, 11, 20, 17, 0, tzinfo=UTC)
    db.add(placement)
    db.commit()
    home = login_as(world.student).get("/").text
    assert "(verlengd door de stagecoördinator)" in home
    assert "2 dagen na je laatste stagedag" not in home


def test_absent_days_are_not_counted_as_days_done(login_as, world, db):
    first = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).first()
    first.presence = Presence.ABSENT
    db.add(first)
    db.commit()
    from portfolio.domain.overview import OverviewOptions, build_overview

    rows = build_overview(
        db,
        visible=Placement.id == world.placement.id,
        viewer_id=world.supervisor.id,
        moment=datetime(2025, 10, 8, 10, 0, tzinfo=UTC),
        options=OverviewOptions.parse({}),
    )
    assert rows.rows[0].days_done == 1  # Mon 6 Oct absent, Tue 7 Oct done


def test_an_early_extension_re_renders_the_form_with_what_was_typed(login_as, world):
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/verlenging",
        data={"day": "2025-11-01", "time": "18:00", "reason": "Langdurig ziek"},
    )
    assert response.status_code == 422
    assert "Verlenging van het afsluitmoment" in response.text  # the page, not a dead end
    assert 'value="2025-11-01"' in response.text and "Langdurig ziek" in response.text
    assert 'aria-invalid="true"' in response.text and "autofocus" in response.text
    assert "Niet toegelaten" not in response.text


def test_adding_an_existing_pool_member_shows_the_message_by_its_form(login_as, world):
    url = f"/beheer/pools/{world.pool.id}/leden"
    response = login_as(world.coordinator).post(url, data={"user_id": world.supervisor.id})
    assert response.status_code == 422
    assert "is al lid van" in response.text and f'id="lid-{world.pool.id}-fout"' in response.text
    assert f'<option value="{world.supervisor.id}" selected>' in response.text


def test_a_refusal_is_titled_dat_kan_niet_unless_it_is_about_permission(login_as, world, db):
    day = db.exec(select(StageDay).where(StageDay.placement_id == world.placement.id)).first()
    no_name = {"kind": "aanbod", "title": "", "stage_day_id": day.id}
    response = login_as(world.student).post(
        f"/stages/{world.placement.id}/portfolio/toevoegen", data=no_name
    )
    assert response.status_code == 422 and "<h1>Dat kan niet</h1>" in response.text
    other = login_as(world.student).get(f"/stages/{world.other_placement.id}/portfolio")
    assert other.status_code == 403 and "<h1>Geen toegang</h1>" in other.text

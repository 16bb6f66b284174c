"""The dashboard's counts, without HTTP: each count has a placement it counts and one it does not.

The clock is the suite's: Wednesday 8 October 2025, 12:00 in Brussels. The default placement runs
from Monday 6 October to 5 November 2025 (semester 1: Monday to Wednesday), so 6 and 7 October
are behind and today is a stage day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.domain.dashboard import DashboardFilter, counts, read_filter
from portfolio.domain.dashboard_rows import iter_rows, reflections_per_week, rows_query
from portfolio.domain.programme_conditions import Conditions
from portfolio.models import (
    Attendance,
    AttendanceStatus,
    Attitude,
    Evaluation,
    EvaluationStage,
    FeedbackRequest,
    GuidanceMoment,
    ItemKind,
    PlacementStatus,
    Role,
    Signature,
    Synthesis,
    Warning,
)
from portfolio.pagination import ListArgs

NOW = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
BEFORE = datetime(2025, 10, 1, 9, 0, tzinfo=UTC)
# A complete reflection and a ready design (portfolio.domain.steps); the stage days' derived
# columns follow from these when they are saved (portfolio.domain.day_state).
THREE = {"wat_gebeurde": "Kring", "waaraan_lag": "Drukte", "meenemen": "Rustiger starten"}
FIVE = {"beginsituatie": "a", "doel": "b", "aanbod": "c", "begeleiding": "d", "organisatie": "e"}


def listed(db, key: str) -> set[int]:
    query = rows_query(Conditions(NOW), DashboardFilter(count=key))
    return {row[0] for row in db.exec(query)}


def assert_counted(db, key: str, should, should_not) -> None:
    assert counts(db, DashboardFilter(), NOW)[key] == 1
    assert listed(db, key) == {should.id}
    assert should_not.id not in listed(db, key)


@pytest.fixture
def two(make_placement):
    """Two plain running placements: the one a test changes to be counted, and the other."""
    return make_placement(), make_placement()


def test_active_counts_running_placements_not_stopped_ones(db, two):
    counted, stopped = two
    stopped.status = PlacementStatus.STOPPED
    db.add(stopped)
    db.commit()
    assert_counted(db, "actief", counted, stopped)
    assert_counted(db, "stopgezet", stopped, counted)


def test_closing_soon_counts_a_placement_closing_within_seven_days(db, make_placement):
    soon = make_placement(last_day=date(2025, 10, 8))
    later = make_placement()
    assert_counted(db, "sluit-binnenkort", soon, later)


def test_closed_follows_the_closing_moment_and_extensions(db, make_placement):
    closed = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 10, 5))
    # Last day yesterday: it closes tonight at 23:59:59, so it is still open.
    still_open = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 10, 7))
    assert_counted(db, "afgesloten", closed, still_open)
    closed.closes_at_override = NOW + timedelta(days=10)
    db.add(closed)
    db.commit()
    assert counts(db, DashboardFilter(), NOW)["afgesloten"] == 0


def test_reflections_missing_counts_a_past_day_without_a_complete_reflection(db, two, make_item):
    missing, written = two
    for day in (date(2025, 10, 6), date(2025, 10, 7)):
        make_item(written, ItemKind.REFLECTIE, day=day, content=THREE, completed_at=NOW)
    make_item(missing, ItemKind.REFLECTIE, day=date(2025, 10, 6), content=THREE, completed_at=NOW)
    begun = {"wat_gebeurde": "Kring"}  # one answer of three: not written yet
    make_item(missing, ItemKind.REFLECTIE, day=date(2025, 10, 7), content=begun)
    assert_counted(db, "reflecties", missing, written)
    rows = {row.placement_id: row for row in iter_rows(db, DashboardFilter(), NOW)}
    assert rows[missing.id].reflections_missing == 1
    assert rows[written.id].reflections_missing == 0


def test_designs_late_counts_an_offer_of_a_begun_day_without_a_design_ready_before_it(
    db, two, make_item
):
    late, on_time = two
    offer = make_item(late, ItemKind.AANBOD, day=date(2025, 10, 7))
    # Ready, but only after the day had begun.
    make_item(late, ItemKind.DENKWERK, parent_id=offer.id, content=FIVE, completed_at=NOW)
    offer = make_item(on_time, ItemKind.AANBOD, day=date(2025, 10, 7))
    make_item(on_time, ItemKind.DENKWERK, parent_id=offer.id, content=FIVE, completed_at=BEFORE)
    make_item(on_time, ItemKind.AANBOD, day=date(2025, 10, 13))  # a day still ahead
    assert_counted(db, "ontwerpen", late, on_time)


def _sign(db, package, roles, at):
    for role in roles:
        db.add(
            Signature(item_id=package.id, signer_id=1, role=role, content_hash="x", signed_at=at)
        )
    db.commit()


def test_package_unsigned_until_all_three_sign_after_its_last_change(db, two, make_item, world):
    unsigned, signed = two
    package = make_item(unsigned, ItemKind.STAGEPAKKET, updated_at=NOW)
    # Signed by all three, but before the last change: those signatures are void.
    _sign(db, package, (Role.STUDENT, Role.MENTOR, Role.SUPERVISOR), BEFORE)
    package = make_item(signed, ItemKind.STAGEPAKKET, updated_at=BEFORE)
    _sign(db, package, (Role.STUDENT, Role.MENTOR, Role.SUPERVISOR), NOW)
    # The world's placements have no package: leave them out of this count's check.
    assert unsigned.id in listed(db, "stagepakket") and signed.id not in listed(db, "stagepakket")


def test_open_requests_count_unresolved_questions(db, two, make_item):
    asking, answered = two
    for placement, resolved in ((asking, None), (answered, NOW)):
        item = make_item(placement, ItemKind.BEGINSITUATIE)
        db.add(
            FeedbackRequest(
                placement_id=placement.id, item_id=item.id, question="Hoe?", resolved_at=resolved
            )
        )
    db.commit()
    assert_counted(db, "vragen", asking, answered)


def _evaluate(db, placement, stage, role=Role.SUPERVISOR):
    attitude = db.exec(select(Attitude)).first()
    db.add(
        Evaluation(
            placement_id=placement.id,
            stage=stage,
            attitude_id=attitude.id,
            verdict="voldoende",
            author_id=placement.student_id,
            author_role=role,
        )
    )
    db.commit()


def test_midterm_due_once_halfway_without_the_supervisors_midterm(db, make_placement):
    due = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 10, 15))
    done = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 10, 15))
    _evaluate(db, done, EvaluationStage.MIDTERM)
    _evaluate(db, due, EvaluationStage.MIDTERM, role=Role.MENTOR)  # the mentor's view alone
    make_placement()  # just begun: not yet halfway
    assert counts(db, DashboardFilter(), NOW)["tussentijds"] == 1
    assert listed(db, "tussentijds") == {due.id}


def test_final_and_synthesis_due_after_the_last_day(db, make_placement):
    due = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 10, 7))
    done = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 10, 7))
    _evaluate(db, done, EvaluationStage.FINAL)
    db.add(Synthesis(placement_id=done.id, is_pass=True, score=14, proposed_by_id=1))
    db.commit()
    running = make_placement()
    assert_counted(db, "eind", due, done)
    assert listed(db, "synthese") == {due.id} and running.id not in listed(db, "synthese")


def test_board_decision_due_for_a_proposed_synthesis(db, two):
    waiting, decided = two
    db.add(Synthesis(placement_id=waiting.id, is_pass=True, score=14, proposed_by_id=1))
    db.add(
        Synthesis(
            placement_id=decided.id, is_pass=False, score=8, proposed_by_id=1, board_confirmed=True
        )
    )
    db.commit()
    assert_counted(db, "examencommissie", waiting, decided)
    rows = {row.placement_id: row for row in iter_rows(db, DashboardFilter(), NOW)}
    assert (rows[waiting.id].synthesis, rows[waiting.id].board_decision) == ("geslaagd", "te nemen")
    assert rows[decided.id].board_decision == "bevestigd" and rows[decided.id].score == 8


def test_warnings_and_second_illegitimate_absence(db, two, make_item):
    warned, other = two
    for placement in two:  # reflections written, so only the warning asks for attention
        for day in (date(2025, 10, 6), date(2025, 10, 7)):
            make_item(placement, ItemKind.REFLECTIE, day=day, content=THREE, completed_at=NOW)
    db.add(Warning(placement_id=warned.id, number=1, facts="f", undesirable="u", author_id=1))
    moments = [
        GuidanceMoment(type="schijnwerper", title=f"S{n}", starts_at=BEFORE, created_by_id=1)
        for n in range(3)
    ]
    db.add_all(moments)
    db.flush()
    for moment in moments[:2]:
        db.add(
            Attendance(
                moment_id=moment.id,
                placement_id=warned.id,
                status=AttendanceStatus.ILLEGITIMATE,
                recorded_by_id=1,
            )
        )
    db.add(
        Attendance(
            moment_id=moments[2].id,
            placement_id=other.id,
            status=AttendanceStatus.ILLEGITIMATE,
            recorded_by_id=1,
        )
    )
    db.commit()
    assert_counted(db, "waarschuwingen", warned, other)
    assert_counted(db, "afwezigheid", warned, other)
    attention = rows_query(Conditions(NOW), DashboardFilter(needs_attention=True))
    assert {row[0] for row in db.exec(attention)} == {warned.id}


def test_filters_narrow_counts_and_rows(db, make_placement, make_user, make_pool):
    pool = make_pool()
    student = make_user(Role.STUDENT, name="Élise Vandenbroucke", student_number="r0123456")
    chosen = make_placement(
        student, pool_id=pool.id, semester=2, first_day=date(2026, 2, 5), last_day=date(2026, 3, 20)
    )
    make_placement(first_day=date(2024, 10, 7), last_day=date(2024, 11, 6))
    for flt in (
        DashboardFilter(search="Élise"),
        DashboardFilter(search="vandenBROUCKE"),
        DashboardFilter(search="0123456"),
        DashboardFilter(pool_id=pool.id),
        DashboardFilter(semester=2),
        DashboardFilter(year=2025, semester=2),
    ):
        assert counts(db, flt, NOW)["totaal"] == 1, flt
        assert [row.placement_id for row in iter_rows(db, flt, NOW)] == [chosen.id]
    assert counts(db, DashboardFilter(year=2025), NOW)["totaal"] == 1
    assert counts(db, DashboardFilter(year=2024), NOW)["totaal"] == 1


def test_read_filter_keeps_good_values_and_notes_bad_ones():
    args = ListArgs(
        {
            "jaar": "2025",
            "status": "actief",
            "pool": "x",
            "telling": "onzin",
            "context": "school",
            "aandacht": "1",
            "q": " Jan ",
        }
    )
    chosen = read_filter(args)
    assert (chosen.year, chosen.status, chosen.context, chosen.search) == (
        2025,
        "actief",
        "school",
        "Jan",
    )
    assert chosen.needs_attention and chosen.pool_id is None and chosen.count == ""
    assert args.kept == {
        "jaar": "2025",
        "status": "actief",
        "context": "school",
        "aandacht": "1",
        "q": "Jan",
    }
    assert len(args.notes) == 2
    assert read_filter(ListArgs({"jaar": "99999"})).year is None


def test_iter_rows_reads_in_batches(db, make_placement, count_queries):
    placements = [make_placement() for _ in range(5)]
    with count_queries() as counted:
        rows = list(iter_rows(db, DashboardFilter(), NOW, batch=2))
    assert [r.placement_id for r in rows] == [p.id for p in placements]
    assert counted.n == 3  # 2 + 2 + 1 rows
    assert rows[0].days_done == 2 and rows[0].status == "actief"


def test_reflections_per_week(db, two, make_item):
    placement, _ = two
    make_item(placement, ItemKind.REFLECTIE, day=date(2025, 10, 6), content=THREE, completed_at=NOW)
    make_item(
        placement, ItemKind.REFLECTIE, day=date(2025, 10, 7), content=THREE, completed_at=BEFORE
    )
    bars = reflections_per_week(db, DashboardFilter(), NOW, weeks=3)
    assert [(bar.monday, bar.count) for bar in bars] == [
        (date(2025, 9, 22), 0),
        (date(2025, 9, 29), 1),
        (date(2025, 10, 6), 1),
    ]

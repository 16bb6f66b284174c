"""The attitude timeline: markers on their lane, month labels, evaluations marked, plain text."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from portfolio.domain.attitude_timeline import (
    ROW_HEIGHT,
    TOP,
    TimelineEvent,
    TimelineRow,
    attitude_timeline,
    picture,
)
from portfolio.markdown import plain_text
from portfolio.models import Attitude, Evaluation, Feedback, FeedbackAttitude, Role

AT = datetime(2025, 10, 14, 10, 0, tzinfo=UTC)


def _event(kind, at, stage=None):
    return TimelineEvent(at=at, kind=kind, author="X", summary="s", stage=stage)


def test_markdown_becomes_plain_words():
    assert (
        plain_text("Een **signaal** en *schuin*\n\n- punt `code`")
        == "Een signaal en schuin punt code"
    )
    assert plain_text("") == "" and plain_text(None) == ""


def test_markers_sit_on_their_lane_months_are_labelled_evaluations_marked():
    first, second = Attitude(id=1, name="Een"), Attitude(id=2, name="Twee")
    same_day = [_event("zelfbeeld", AT), _event("feedback", AT), _event("mentorevaluatie", AT)]
    midterm = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
    final = datetime(2025, 12, 15, 9, 0, tzinfo=UTC)
    rows = [
        TimelineRow(first, same_day + [_event("evaluatie", final, "eind")]),
        TimelineRow(second, [_event("evaluatie", midterm, "tussentijds")]),
    ]
    drawing = picture(rows, date(2025, 9, 29), date(2025, 12, 17), [])
    lanes = {index: TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2 for index in range(2)}
    assert {m.y for m in drawing.markers[:4]} == {lanes[0]} and drawing.markers[4].y == lanes[1]
    # Three markers on one day do not hide each other.
    xs = [m.x for m in drawing.markers[:3]]
    assert xs == sorted(xs) and len(set(xs)) == 3
    # September shows for two days only: a tick without a label; then October to December.
    labelled = [tick.month for tick in drawing.months if tick.month]
    assert labelled == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]
    assert len(drawing.months) == 4
    assert [(m.label, m.at) for m in drawing.milestones] == [
        ("Tussentijdse evaluatie", midterm),
        ("Eindevaluatie", final),
    ]


def test_summaries_of_feedback_are_plain_text(db, world):
    attitude = db.exec(select(Attitude).order_by(Attitude.position)).first()
    feedback = Feedback(
        placement_id=world.placement.id,
        author_id=world.supervisor.id,
        kind="vraag",
        body="Een **signaal** van *betrokkenheid*",
        created_at=AT,
    )
    db.add(feedback)
    db.flush()
    db.add(FeedbackAttitude(feedback_id=feedback.id, attitude_id=attitude.id))
    db.add(
        Evaluation(
            placement_id=world.placement.id,
            stage="tussentijds",
            attitude_id=attitude.id,
            verdict="nog-onduidelijk",
            unclear_reason="Nog **geen** kringmoment",
            author_id=world.supervisor.id,
            author_role=Role.SUPERVISOR,
            created_at=AT,
        )
    )
    db.commit()
    row = attitude_timeline(db, world.placement)[0]
    summaries = [event.summary for event in row.events]
    assert "Vraag: Een signaal van betrokkenheid" in summaries
    assert "Tussentijdse evaluatie: nog onduidelijk (Nog geen kringmoment)" in summaries


@pytest.mark.browser
def test_the_timeline_reads_as_a_vertical_list_on_a_phone(
    db, world, page, browser_login, live_server
):
    test_summaries_of_feedback_are_plain_text(db, world)
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, world.supervisor)
    page.goto(f"{live_server}/stages/{world.placement.id}/attitudes/tijdlijn")
    expect(page.locator(".timeline-figure")).to_be_hidden()
    lane = page.locator(".timeline-lane").first
    expect(lane).to_be_visible()
    expect(lane).to_contain_text("Vraag: Een signaal van betrokkenheid")
    expect(lane).to_contain_text("oktober 2025")
    assert "**" not in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".timeline-figure")).to_be_visible()
    expect(page.locator(".timeline-figure text", has_text="Tussentijdse evaluatie")).to_have_count(
        1
    )
    expect(page.locator(".timeline-figure text", has_text="okt 2025")).to_have_count(1)

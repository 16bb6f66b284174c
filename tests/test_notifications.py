"""Mails about feedback: a request to the fixed supervisor, feedback to the student, a reply
to the feedback's author; a failing mail never loses the action."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

import portfolio.domain.feedback as fb
from portfolio.models import Feedback, FeedbackReply, FeedbackRequest, ItemKind, OutboxMail
from portfolio.outbox import deliver_all

MOMENT = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)


@pytest.fixture
def design(world, make_item):
    return make_item(world.placement, ItemKind.DENKWERK, content={"doel": "Tellen tot vijf."})


@pytest.fixture
def reflection(world, make_item):
    return make_item(
        world.placement, ItemKind.REFLECTIE, day=date(2025, 10, 6), content={"meenemen": "x"}
    )


def _url(world, item, suffix=""):
    return f"/stages/{world.placement.id}/items/{item.id}/feedback{suffix}"


def _link(body: str) -> str:
    [line] = [line for line in body.splitlines() if line.startswith("http")]
    return line


def _feedback(db, world, item, author):
    feedback = fb.give_feedback(
        db,
        placement=world.placement,
        item=item,
        author=author,
        kind="vraag",
        body="Waarom?",
        moment=MOMENT,
    )
    db.commit()
    return feedback


def test_asking_feedback_mails_the_fixed_supervisor(world, reflection, login_as, db, outbox):
    response = login_as(world.student).post(
        _url(world, reflection, "vragen"), data={"question": "Is mijn reflectie diep genoeg?"}
    )
    assert response.status_code == 303
    [(to, subject, body)] = outbox
    assert to == world.supervisor.email  # the fixed supervisor, not the pool colleague
    assert "Student Een" in subject and "vraagt" in subject
    assert _link(body) == (
        f"http://localhost/stages/{world.placement.id}/items/{reflection.id}/feedback"
        f"#feedback-{reflection.id}"
    )
    # The link opens the item for the supervisor.
    page = login_as(world.supervisor).get(_link(body).removeprefix("http://localhost"))
    assert page.status_code == 200 and "Is mijn reflectie diep genoeg?" in page.text


def test_asking_without_a_fixed_supervisor_mails_nobody(
    world, make_placement, make_user, make_item, login_as, outbox
):
    student = make_user("student")
    placement = make_placement(student)
    item = make_item(placement, ItemKind.DENKWERK, content={"doel": "x"})
    response = login_as(student).post(
        f"/stages/{placement.id}/items/{item.id}/feedbackvragen", data={"question": "Goed?"}
    )
    assert response.status_code == 303 and outbox == []


def test_giving_feedback_mails_the_student(world, design, login_as, db, outbox):
    response = login_as(world.colleague).post(
        _url(world, design), data={"kind": "sterkte", "body": "Sterk doel."}
    )
    assert response.status_code == 303
    feedback = db.exec(select(Feedback)).one()
    [(to, subject, body)] = outbox
    assert to == world.student.email and "feedback" in subject
    assert "Pool Collega" in body
    assert _link(body) == (
        f"http://localhost/stages/{world.placement.id}/items/{design.id}/feedback#fb-{feedback.id}"
    )
    page = login_as(world.student).get(_link(body).removeprefix("http://localhost"))
    assert page.status_code == 200 and "Sterk doel." in page.text


def test_a_mentor_note_mails_the_student_too(world, design, login_as, outbox):
    response = login_as(world.mentor).post(_url(world, design), data={"body": "Mooi gedaan."})
    assert response.status_code == 303
    [(to, subject, _body)] = outbox
    assert to == world.student.email and "notitie" in subject


def test_student_reply_mails_the_feedbacks_author(world, design, login_as, db, outbox):
    feedback = _feedback(db, world, design, world.colleague)
    response = login_as(world.student).post(
        _url(world, design, f"/{feedback.id}/antwoorden"), data={"body": "Omdat het moest."}
    )
    assert response.status_code == 303
    [(to, subject, body)] = outbox
    assert to == world.colleague.email and "Student Een" in subject
    assert _link(body).endswith(f"/items/{design.id}/feedback#fb-{feedback.id}")


def test_replying_to_your_own_feedback_mails_nobody(world, design, login_as, db, outbox):
    feedback = _feedback(db, world, design, world.supervisor)
    response = login_as(world.supervisor).post(
        _url(world, design, f"/{feedback.id}/antwoorden"), data={"body": "Aanvulling."}
    )
    assert response.status_code == 303 and outbox == []


def test_refused_input_sends_no_mail(world, design, login_as, outbox):
    response = login_as(world.supervisor).post(_url(world, design), data={"kind": "sterkte"})
    assert response.status_code == 422 and outbox == []


def test_a_failing_mail_server_never_loses_the_action_or_the_mail(
    app, world, design, login_as, db, smtp_server
):
    smtp_server.stop()
    student = login_as(world.student)
    asked = student.post(
        _url(world, design, "vragen"), data={"question": "Goed zo?"}, buffered=True
    )
    assert asked.status_code == 303
    given = login_as(world.supervisor).post(
        _url(world, design), data={"kind": "sterkte", "body": "Ja."}, buffered=True
    )
    assert given.status_code == 303
    feedback = db.exec(select(Feedback)).one()
    replied = student.post(
        _url(world, design, f"/{feedback.id}/antwoorden"), data={"body": "Dank je."}, buffered=True
    )
    assert replied.status_code == 303
    db.expire_all()
    assert db.exec(select(FeedbackRequest)).one().question == "Goed zo?"
    assert db.exec(select(FeedbackReply)).one().body == "Dank je."
    waiting = db.exec(select(OutboxMail)).all()
    assert len(waiting) == 3 and all(m.sent_at is None and m.last_error for m in waiting)
    # The server comes back: a run after the retry delay sends all three.
    smtp_server.start()
    with app.app_context():
        assert deliver_all(moment=MOMENT + timedelta(minutes=2)).sent == 3
    assert len(smtp_server.messages) == 3

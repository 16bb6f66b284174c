"""The outbox: mail queued in the transaction, sent after the commit to a real SMTP server on
loopback, retried with backoff when the server fails, never sent twice by two senders."""

import logging
import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from portfolio.mail import enqueue_mail
from portfolio.models import OutboxMail, Role
from portfolio.outbox import claim, deliver_all, deliver_due, retry_delay

MOMENT = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)


def _queue(app, db, count: int) -> list[OutboxMail]:
    """Queue `count` mails at the app's (pinned) time."""
    with app.app_context():
        mails = [
            enqueue_mail(db, f"p{n}@x.be", f"Bericht {n}", f"Tekst {n}\n") for n in range(count)
        ]
        db.commit()
    return mails


def test_nothing_leaves_before_the_commit_and_a_sent_mail_leaves_once(app, db, smtp_server):
    with app.app_context():
        enqueue_mail(db, "a@x.be", "Een bericht", "Dag\n")
        db.flush()
        other = Session(db.get_bind())
        assert deliver_due(moment=MOMENT).sent == 0  # not committed: not visible to the sender
        other.close()
        db.commit()
        assert deliver_due(moment=MOMENT).sent == 1
        assert deliver_due(moment=MOMENT).sent == 0
    [message] = smtp_server.messages
    assert message["To"] == "a@x.be" and message["Subject"] == "Een bericht"
    sent = db.exec(select(OutboxMail)).one()
    assert sent.sent_at == MOMENT
    assert sent.body == ""  # a sent mail's text (maybe a single-use link) is not kept


def test_a_name_with_a_line_break_in_the_subject_cannot_add_a_header(app, db, smtp_server):
    with app.app_context():
        enqueue_mail(db, "a@x.be", "Eva\r\nBcc: spy@evil.example vraagt feedback", "<b>Dag</b>\n")
        db.commit()
        deliver_due(moment=MOMENT)
    (message,) = smtp_server.messages
    assert message["Subject"] == "Eva Bcc: spy@evil.example vraagt feedback"
    assert message["Bcc"] is None
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "<b>Dag</b>\n"


def test_smtp_failing_mid_run_loses_nothing_and_retries_later(app, db, smtp_server):
    _queue(app, db, 3)
    smtp_server.accept = 1  # the server goes down after the first mail
    with app.app_context():
        first = deliver_due(moment=MOMENT)
        assert (first.sent, first.failed) == (1, 2)
        db.expire_all()
        waiting = db.exec(select(OutboxMail).where(OutboxMail.sent_at.is_(None))).all()
        assert len(waiting) == 2
        for mail in waiting:
            assert mail.attempts == 1 and "451" in mail.last_error
            assert mail.next_attempt_at == MOMENT + timedelta(minutes=1)
        # Not due yet half a minute later; the server is back two minutes later.
        assert deliver_due(moment=MOMENT + timedelta(seconds=30)).sent == 0
        smtp_server.accept = None
        assert deliver_due(moment=MOMENT + timedelta(minutes=2)).sent == 2
    assert sorted(m["To"] for m in smtp_server.messages) == ["p0@x.be", "p1@x.be", "p2@x.be"]
    db.expire_all()
    assert all(m.sent_at and m.last_error is None for m in db.exec(select(OutboxMail)))


def test_a_server_that_is_not_there_keeps_every_mail(app, db, smtp_server):
    _queue(app, db, 2)
    smtp_server.stop()  # connection refused
    with app.app_context():
        assert deliver_all(moment=MOMENT).failed == 2
        assert deliver_all(moment=MOMENT + timedelta(minutes=1)).failed == 2
        db.expire_all()
        mails = db.exec(select(OutboxMail)).all()
        assert [m.attempts for m in mails] == [2, 2]
        assert all(m.next_attempt_at == MOMENT + timedelta(minutes=3) for m in mails)
        smtp_server.start()
        assert deliver_all(moment=MOMENT + timedelta(minutes=3)).sent == 2
    assert len(smtp_server.messages) == 2


def test_retry_delay_doubles_up_to_six_hours():
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(30) == timedelta(hours=6)


def test_two_senders_never_claim_the_same_mail(app, db):
    _queue(app, db, 4)
    with Session(db.get_bind()) as one, Session(db.get_bind()) as two:
        first = claim(one, moment=MOMENT, limit=3)
        second = claim(two, moment=MOMENT, limit=3)
    assert len(first) == 3 and len(second) == 1
    assert not {m.id for m in first} & {m.id for m in second}
    # A crashed sender's claim runs out: the mail is claimed again after the lease.
    with Session(db.get_bind()) as three:
        assert claim(three, moment=MOMENT + timedelta(minutes=5)) == []
        assert len(claim(three, moment=MOMENT + timedelta(minutes=11))) == 4


def test_two_senders_running_at_once_send_each_mail_once(app, db, smtp_server):
    _queue(app, db, 30)

    def run():
        with app.app_context():
            deliver_all(moment=MOMENT)

    senders = [threading.Thread(target=run) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=60)
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == sorted(f"p{n}@x.be" for n in range(30))


def test_without_mail_server_the_mail_goes_to_the_log(app, db, caplog):
    caplog.set_level(logging.INFO, logger="portfolio.outbox")
    _queue(app, db, 1)
    with app.app_context():
        assert deliver_due(moment=MOMENT).sent == 1
    assert any("p0@x.be" in r.getMessage() and "Tekst 0" in r.getMessage() for r in caplog.records)


def test_the_send_mail_command_empties_the_queue(app, db, smtp_server):
    _queue(app, db, 2)
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0 and "Verstuurd: 2" in result.output
    assert len(smtp_server.messages) == 2


def test_a_password_reset_is_mailed_after_the_response_and_its_link_works(
    app, client, make_user, smtp_server
):
    make_user(Role.STUDENT, email="sara@test.be")
    # buffered=True makes the test client close the response, as a WSGI server does.
    response = client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"}, buffered=True)
    assert response.status_code == 200
    [message] = smtp_server.messages
    assert message["Subject"] == "Kies een nieuw wachtwoord voor het stageportfolio"
    [link] = [line for line in message.get_content().splitlines() if "/wachtwoord/" in line]
    page = client.get(link.strip().removeprefix("http://localhost"))
    assert page.status_code == 200 and "wachtwoord" in page.text.lower()


def test_an_unknown_address_queues_nothing(app, client, db, smtp_server):
    response = client.post("/wachtwoord-vergeten", data={"email": "nie@test.be"}, buffered=True)
    assert response.status_code == 200
    assert db.exec(select(OutboxMail)).all() == [] and smtp_server.messages == []

"""The mentor: in through a personal link (expiry, revocation, rate limit), only their own
students, and the attendance card; plus outgoing mail (SMTP and the console default)."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio import create_app
from portfolio.domain.attendance_card import confirm_presence
from portfolio.domain.deadline import closes_at
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.domain.mentor_links import MARGIN_DAYS, issue_link, revoke_link
from portfolio.domain.placements import stage_days
from portfolio.mail import send_mail
from portfolio.models import AuditEvent, MentorLink, Presence, Role, StageDay

ISSUED = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
INVALID = "Deze link is niet (meer) geldig"


@pytest.fixture
def token(world, db):
    _, token = issue_link(db, world.mentor, moment=ISSUED, actor=world.coordinator)
    db.commit()
    return token


def test_valid_link_signs_the_mentor_in_and_shows_only_their_students(app, world, token):
    client = app.test_client()
    response = client.get(f"/m/{token}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/mentor")
    home = client.get("/mentor")
    assert home.status_code == 200
    assert "Student Een" in home.text and "Kleuterschool Testplein" in home.text
    assert "Student Twee" not in home.text
    assert home.text.count('class="attendance-day') == 15


def test_the_demo_url_name_builds_the_link(app, token):
    with app.test_request_context():
        from flask import url_for

        assert url_for("mentor.enter", token=token) == f"/m/{token}"


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked"])
def test_invalid_links_get_one_dutch_answer(app, world, db, token, set_now, case):
    url = f"/m/{token}"
    if case == "unknown":
        url = "/m/" + "x" * 43
    elif case == "expired":
        set_now(db.exec(select(MentorLink)).one().expires_at)
    else:
        revoke_link(db, db.exec(select(MentorLink)).one(), moment=ISSUED, actor=world.coordinator)
        db.commit()
    client = app.test_client()
    response = client.get(url)
    assert response.status_code == 404
    assert INVALID in response.text and "Vraag een nieuwe persoonlijke link" in response.text
    for word in ("verlopen", "ingetrokken", "onbekend"):
        assert word not in response.text
    assert client.get("/mentor").status_code == 302  # not signed in


def test_link_lasts_until_the_portfolio_closes_plus_the_margin(app, db, world, token, set_now):
    link = db.exec(select(MentorLink)).one()
    assert link.expires_at == closes_at(world.placement) + timedelta(days=MARGIN_DAYS)
    set_now(link.expires_at - timedelta(days=1))
    assert app.test_client().get(f"/m/{token}").status_code == 302


def test_the_link_route_is_rate_limited(app, token):
    limited = create_app(
        {**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    client = limited.test_client()
    codes = [client.get("/m/" + "y" * 43).status_code for _ in range(21)]
    assert codes[:20] == [404] * 20 and codes[20] == 429
    assert "Te veel pogingen" in client.get(f"/m/{token}").text


def test_mentor_cannot_reach_coordinator_pages_or_other_students(world, db, login_as):
    client = login_as(world.mentor)
    assert client.get("/beheer").status_code == 403
    other_day = stage_days(db, world.other_placement)[0]
    response = client.post(
        f"/mentor/stages/{world.other_placement.id}/dagen/{other_day.id}/aanwezigheid",
        data={"presence": "aanwezig"},
    )
    assert response.status_code == 403
    db.expire_all()
    assert db.get(StageDay, other_day.id).presence == Presence.UNKNOWN


@pytest.mark.parametrize("role", ["student", "supervisor", "coordinator"])
def test_only_mentors_use_the_mentor_pages(world, db, login_as, role):
    client = login_as(getattr(world, role))
    assert client.get("/mentor").status_code == 403
    day = stage_days(db, world.placement)[0]
    response = client.post(
        f"/mentor/stages/{world.placement.id}/dagen/{day.id}/aanwezigheid",
        data={"presence": "aanwezig"},
    )
    assert response.status_code == 403 and "Deze pagina is voor mentoren" in response.text


def test_mentor_confirms_presence_with_htmx(world, db, login_as):
    day = stage_days(db, world.placement)[0]  # Mon 6 Oct; the clock says Wed 8 Oct
    response = login_as(world.mentor).post(
        f"/mentor/stages/{world.placement.id}/dagen/{day.id}/aanwezigheid",
        data={"presence": "aanwezig", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and f'id="dag-{day.id}"' in response.text
    assert "aanwezig bevestigd" in response.text
    db.expire_all()
    saved = db.get(StageDay, day.id)
    assert (saved.presence, saved.presence_by_id) == (Presence.PRESENT, world.mentor.id)
    assert saved.presence_at == datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "day.presence")).one()


def test_mentor_records_an_absence_with_a_note_plain_form(world, db, login_as):
    day = stage_days(db, world.placement)[1]
    url = f"/mentor/stages/{world.placement.id}/dagen/{day.id}/aanwezigheid"
    client = login_as(world.mentor)
    no_note = client.post(url, data={"presence": "afwezig", "note": " "})
    assert no_note.status_code == 422 and "reden van de afwezigheid" in no_note.text
    response = client.post(url, data={"presence": "afwezig", "note": "Ziek, verwittigd"})
    assert response.status_code == 303
    assert "afwezig: Ziek, verwittigd" in client.get("/mentor").text


@pytest.mark.parametrize(
    "index, data, status, message",
    [
        (5, {"presence": "aanwezig"}, 422, "pas invullen vanaf de stagedag"),
        (0, {"presence": "misschien"}, 422, "Kies een waarde uit de lijst."),
        (0, {}, 422, "Kies aanwezig of afwezig."),
        (0, {"presence": "aanwezig", "note": "x" * 1001}, 422, "Hoogstens 1000 tekens."),
    ],
)
def test_presence_refusals(world, db, login_as, index, data, status, message):
    day = stage_days(db, world.placement)[index]
    response = login_as(world.mentor).post(
        f"/mentor/stages/{world.placement.id}/dagen/{day.id}/aanwezigheid", data=data
    )
    assert response.status_code == status and message in response.text


def test_day_of_another_placement_is_not_found(world, db, login_as):
    other_day = stage_days(db, world.other_placement)[0]
    response = login_as(world.mentor).post(
        f"/mentor/stages/{world.placement.id}/dagen/{other_day.id}/aanwezigheid",
        data={"presence": "aanwezig"},
    )
    assert response.status_code == 404


def test_confirm_presence_domain_rules(world, db):
    day = stage_days(db, world.placement)[0]
    moment = datetime(2025, 10, 6, 16, 0, tzinfo=UTC)

    def confirm(placement, actor, when=moment):
        confirm_presence(db, placement, day, presence="aanwezig", note="", actor=actor, moment=when)

    with pytest.raises(Forbidden):
        confirm(world.placement, world.other_mentor)
    with pytest.raises(DomainError, match="hoort niet bij"):
        confirm(world.other_placement, world.other_mentor)
    with pytest.raises(DomainError, match="vanaf de stagedag"):
        confirm(world.placement, world.mentor, moment - timedelta(days=1))
    confirm(world.placement, world.mentor)
    assert day.presence == Presence.PRESENT and day.presence_at == moment


def test_mentor_home_query_count_does_not_grow(world, login_as, make_placement, count_queries):
    client = login_as(world.mentor)
    counts = []
    for extra in (0, 4):
        for _ in range(extra):
            make_placement(mentor_id=world.mentor.id)
        client.get("/mentor")
        with count_queries() as counted:
            assert client.get("/mentor").status_code == 200
        counts.append(counted.n)
    assert counts[0] == counts[1] and counts[0] > 0


def test_mentor_without_students(login_as, make_user):
    page = login_as(make_user(Role.MENTOR)).get("/mentor")
    assert page.status_code == 200 and "geen stagiairs" in page.text


# ---------------------------------------------------------------- mail


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.calls = [("connect", host, port)]
        FakeSMTP.instance = self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.calls.append(("quit",))

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.calls.append(("send",))
        FakeSMTP.sent.append(message)


@pytest.mark.parametrize("tls, username", [(True, "keuzestage"), (False, None)])
def test_send_mail_over_smtp(app, monkeypatch, tls, username):
    import smtplib

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    app.config.update(
        MAIL_SERVER="smtp.school.be",
        MAIL_PORT=2525,
        MAIL_USE_TLS=tls,
        MAIL_USERNAME=username,
        MAIL_PASSWORD="geheim",
        MAIL_DEFAULT_SENDER="stage@school.be",
    )
    with app.app_context():
        send_mail("mona@school.be", "Je link", "Hallo Mona")
    expected = [("connect", "smtp.school.be", 2525)]
    expected += [("starttls",)] if tls else []
    expected += [("login", "keuzestage", "geheim")] if username else []
    assert FakeSMTP.instance.calls == [*expected, ("send",), ("quit",)]
    [message] = FakeSMTP.sent
    assert (message["To"], message["From"], message["Subject"]) == (
        "mona@school.be",
        "stage@school.be",
        "Je link",
    )
    assert message.get_content().strip() == "Hallo Mona"


def test_send_mail_without_server_logs_the_message(app, caplog, monkeypatch):
    import smtplib

    def no_smtp(*args, **kwargs):
        raise AssertionError("SMTP must not be used without MAIL_SERVER")

    monkeypatch.setattr(smtplib, "SMTP", no_smtp)
    caplog.set_level(logging.INFO, logger="portfolio.mail")
    with app.app_context():
        send_mail("mona@school.be", "Je link", "https://x/m/abc")
    [record] = caplog.records
    assert record.name == "portfolio.mail" and record.levelno == logging.INFO
    assert "mona@school.be" in record.getMessage() and "https://x/m/abc" in record.getMessage()


def test_issued_link_mail_goes_out_over_smtp(app, world, login_as, monkeypatch):
    import smtplib

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    app.config["MAIL_SERVER"] = "smtp.school.be"
    page = login_as(world.coordinator).post(
        f"/beheer/mentoren/{world.mentor.id}/links", follow_redirects=True
    )
    [message] = FakeSMTP.sent
    url = page.text.split('<code class="link-once">')[1].split("</code>")[0]
    assert message["To"] == world.mentor.email and url in message.get_content()
    # The mailed link signs the mentor in.
    client = app.test_client()
    assert client.get(url.replace("http://localhost", "")).status_code == 302


def test_mentor_home_links_to_the_package_and_the_mentor_signs_it(world, login_as, make_item, db):
    """From the mentor home to the stagepakket, and the mentor's signature counts."""
    from portfolio.domain.signing import signatures_of, valid_signatures
    from portfolio.models import ItemKind

    package = make_item(world.placement, ItemKind.STAGEPAKKET, content={"taken": "Wandeling"})
    client = login_as(world.mentor)
    link = f"/stages/{world.placement.id}/portfolio/stagepakket"
    assert link in client.get("/mentor").text
    page = client.get(link)
    assert page.status_code == 200 and "Wandeling" in page.text
    sign_url = f"/stages/{world.placement.id}/portfolio/stagepakket/ondertekenen"
    assert client.post(sign_url, data={"item_id": package.id}).status_code in (200, 303)
    db.expire_all()
    assert "mentor" in valid_signatures(package, signatures_of(db, package))
    other = login_as(world.other_mentor).post(sign_url, data={"item_id": package.id})
    assert other.status_code == 403

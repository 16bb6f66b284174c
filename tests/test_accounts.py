"""Passwords through mailed links: "wachtwoord vergeten", activation, the mentor link's PRG."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

import portfolio.auth
from portfolio import create_app
from portfolio.domain import accounts
from portfolio.domain.errors import DomainError
from portfolio.domain.mentor_links import hash_token
from portfolio.models import AuditEvent, MentorLink, OutboxMail, PasswordToken, Role, User
from tests.conftest import PASSWORD

NOW = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
SENT = "Als dit adres bij ons bekend is, krijg je een mail met een link"
INVALID = "Deze link is niet (meer) geldig"
NEW_PASSWORD = "een lange zin als wachtwoord"


@pytest.fixture
def outbox(monkeypatch):
    """Catch the mails portfolio.auth sends: a list of (to, subject, body)."""
    sent = []
    monkeypatch.setattr(portfolio.auth, "send_mail", lambda *args: sent.append(args))
    return sent


def link_in(body: str) -> str:
    [line] = [line for line in body.splitlines() if "/wachtwoord/" in line]
    return line.strip()


def path_of(url: str) -> str:
    assert url.startswith("http://localhost/wachtwoord/")
    return url.removeprefix("http://localhost")


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def tokens(db, user):
    db.expire_all()
    return db.exec(
        select(PasswordToken).where(PasswordToken.user_id == user.id).order_by(PasswordToken.id)
    ).all()


# ---------------------------------------------------------------- wachtwoord vergeten


def test_login_page_links_to_forgot_password(client):
    page = client.get("/aanmelden")
    assert "Wachtwoord vergeten?" in page.text and "/wachtwoord-vergeten" in page.text


def test_reset_request_answers_the_same_for_known_and_unknown(client, make_user, outbox):
    make_user(Role.STUDENT, email="sara@test.be")
    known = client.post("/wachtwoord-vergeten", data={"email": " Sara@test.be "})
    unknown = client.post("/wachtwoord-vergeten", data={"email": "niemand@test.be"})
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.text and SENT in unknown.text
    assert known.text == unknown.text
    [(to, subject, body)] = outbox
    assert to == "sara@test.be" and "wachtwoord" in subject.lower()
    assert link_in(body).startswith("http://localhost/wachtwoord/")


def test_reset_request_needs_an_address(client):
    response = client.post("/wachtwoord-vergeten", data={"email": ""})
    assert response.status_code == 422 and "Vul je e-mailadres in." in response.text


@pytest.mark.parametrize("role", [Role.MENTOR, "inactive"])
def test_no_reset_mail_for_mentors_or_inactive_users(client, make_user, outbox, role):
    if role == "inactive":
        make_user(Role.SUPERVISOR, email="weg@test.be", active=False)
    else:
        make_user(Role.MENTOR, email="weg@test.be")
    response = client.post("/wachtwoord-vergeten", data={"email": "weg@test.be"})
    assert response.status_code == 200 and SENT in response.text
    assert outbox == []


def test_reset_link_sets_the_password_logs_in_and_is_single_use(app, client, db, make_user, outbox):
    user = make_user(Role.SUPERVISOR, email="bert@test.be")
    client.post("/wachtwoord-vergeten", data={"email": "bert@test.be"})
    path = path_of(link_in(outbox[0][2]))
    [row] = tokens(db, user)
    assert row.purpose == "reset" and row.expires_at == NOW + timedelta(hours=1)
    token = path.rsplit("/", 1)[1]
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    form = client.get(path)
    assert form.status_code == 200 and "Nieuw wachtwoord herhalen" in form.text
    assert form.headers["Cache-Control"] == "no-store"
    assert form.headers["Referrer-Policy"] == "no-referrer"
    data = {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
    done = client.post(path, data=data)
    assert done.status_code == 303 and done.headers["Location"] == "/"
    assert signed_in_as(client) == str(user.id)
    db.expire_all()
    assert portfolio.auth.verify_password(db.get(User, user.id), NEW_PASSWORD)
    assert tokens(db, user)[0].used_at == NOW
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "password.set")).all()
    assert event.actor_id == user.id and event.detail["purpose"] == "reset"
    # Used: the link no longer works, not even to look at.
    again = app.test_client().post(path, data=data)
    assert again.status_code == 404 and INVALID in again.text
    assert app.test_client().get(path).status_code == 404
    # And the old password is gone; the new one signs in.
    fresh = app.test_client()
    old = fresh.post("/aanmelden", data={"email": "bert@test.be", "password": PASSWORD})
    assert old.status_code == 401
    new = fresh.post("/aanmelden", data={"email": "bert@test.be", "password": NEW_PASSWORD})
    assert new.status_code == 302


def test_reset_link_expires_after_an_hour(client, make_user, outbox, set_now):
    make_user(Role.STUDENT, email="sara@test.be")
    client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"})
    path = path_of(link_in(outbox[0][2]))
    set_now(NOW + timedelta(minutes=59))
    assert client.get(path).status_code == 200
    set_now(NOW + timedelta(hours=1))
    response = client.get(path)
    assert response.status_code == 404 and INVALID in response.text


def test_a_new_link_invalidates_the_earlier_ones(client, db, make_user, outbox):
    user = make_user(Role.STUDENT, email="sara@test.be")
    client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"})
    client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"})
    first, second = (path_of(link_in(body)) for _to, _subject, body in outbox)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    old, new = tokens(db, user)
    assert old.revoked_at == NOW and new.revoked_at is None


def test_unknown_token_is_the_same_invalid_page(client):
    for path in ("/wachtwoord/bestaat-niet", "/wachtwoord/" + "x" * 300):
        response = client.get(path)
        assert response.status_code == 404 and INVALID in response.text
    assert client.post("/wachtwoord/bestaat-niet", data={}).status_code == 404


@pytest.mark.parametrize(
    ("password", "confirmation", "message"),
    [
        ("kort", "kort", "minstens 10 tekens"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "niet gelijk"),
        (NEW_PASSWORD, "", "tweede keer"),
        ("x" * 201, "x" * 201, "Hoogstens 200 tekens"),
    ],
)
def test_bad_new_password_is_refused_in_dutch(
    client, db, make_user, outbox, password, confirmation, message
):
    user = make_user(Role.STUDENT, email="sara@test.be")
    client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"})
    path = path_of(link_in(outbox[0][2]))
    response = client.post(path, data={"password": password, "confirmation": confirmation})
    assert response.status_code == 422 and message in response.text
    assert 'aria-invalid="true"' in response.text
    # The token is still usable after a refused attempt.
    assert tokens(db, user)[0].used_at is None
    assert client.get(path).status_code == 200


def test_reset_request_is_rate_limited(app, make_user, monkeypatch):
    monkeypatch.setattr(portfolio.auth, "send_mail", lambda *args: None)
    limited = create_app(
        {**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
    )
    client = limited.test_client()
    make_user(Role.STUDENT, email="sara@test.be")
    # Per address: 3 per hour, whoever asks.
    statuses = [
        client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Per host: 5 per minute, whatever the address.
    other = [
        client.post("/wachtwoord-vergeten", data={"email": f"x{n}@test.be"}).status_code
        for n in range(2)
    ]
    assert other == [200, 429]
    assert client.get("/wachtwoord-vergeten").status_code == 200


def test_a_failing_mail_server_still_gives_the_same_answer(client, db, make_user, smtp_server):
    smtp_server.stop()
    make_user(Role.STUDENT, email="sara@test.be")
    response = client.post("/wachtwoord-vergeten", data={"email": "sara@test.be"}, buffered=True)
    assert response.status_code == 200 and SENT in response.text
    # The mail waits in the outbox for the next attempt.
    [mail] = db.exec(select(OutboxMail)).all()
    assert mail.to_address == "sara@test.be" and mail.sent_at is None and mail.attempts == 1


# ---------------------------------------------------------------- the domain rules


def test_token_is_refused_for_mentors(db, make_user):
    mentor = make_user(Role.MENTOR)
    with pytest.raises(DomainError, match="Mentoren krijgen geen wachtwoord"):
        accounts.issue_token(db, mentor, purpose=accounts.Purpose.RESET, moment=NOW, actor=None)


def test_a_token_cannot_be_used_twice_even_if_loaded_twice(db, make_user):
    user = make_user(Role.STUDENT, password_hash=None)
    _row, token = accounts.issue_token(
        db, user, purpose=accounts.Purpose.ACTIVATION, moment=NOW, actor=None
    )
    first = accounts.resolve_token(db, token, moment=NOW)
    second = accounts.resolve_token(db, token, moment=NOW)
    done = accounts.set_password(
        db, first, password=NEW_PASSWORD, confirmation=NEW_PASSWORD, moment=NOW
    )
    late = accounts.set_password(
        db, second, password="iets anders nog", confirmation="iets anders nog", moment=NOW
    )
    assert done.id == user.id and late is None
    assert portfolio.auth.verify_password(db.get(User, user.id), NEW_PASSWORD)


def test_a_deactivated_user_cannot_use_an_issued_link(db, make_user):
    user = make_user(Role.STUDENT)
    _row, token = accounts.issue_token(
        db, user, purpose=accounts.Purpose.RESET, moment=NOW, actor=None
    )
    user.active = False
    db.add(user)
    db.flush()
    assert accounts.resolve_token(db, token, moment=NOW) is None


# ---------------------------------------------------------------- activation by the coordinator


def test_coordinator_sends_one_activation_mail(world, db, login_as, make_user, outbox, app):
    student = make_user(Role.STUDENT, email="nieuw@test.be", password_hash=None)
    client = login_as(world.coordinator)
    people = client.get("/beheer/personen")
    assert f"/beheer/personen/{student.id}/activatiemail" in people.text
    assert f"/beheer/personen/{world.student.id}/activatiemail" not in people.text
    response = client.post(f"/beheer/personen/{student.id}/activatiemail")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/beheer/personen#persoon-{student.id}"
    assert "Activatiemail verstuurd naar nieuw@test.be" in client.get("/beheer/personen").text
    [(to, subject, body)] = outbox
    assert to == "nieuw@test.be" and "Kies je wachtwoord" in subject
    [row] = tokens(db, student)
    assert row.purpose == "activatie" and row.expires_at == NOW + timedelta(days=14)
    audit = db.exec(select(AuditEvent).where(AuditEvent.action == "password_token.activatie")).one()
    assert audit.actor_id == world.coordinator.id and audit.detail["user_id"] == student.id
    # The student chooses a password and is signed in.
    path = path_of(link_in(body))
    page = app.test_client()
    assert "Kies je wachtwoord" in page.get(path).text
    data = {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
    assert page.post(path, data=data).status_code == 303
    assert signed_in_as(page) == str(student.id) and page.get("/").status_code == 200
    db.expire_all()
    assert db.get(User, student.id).password_hash


def test_activation_is_refused_for_mentors_and_users_with_a_password(world, login_as, outbox):
    client = login_as(world.coordinator)
    mentor = client.post(f"/beheer/personen/{world.mentor.id}/activatiemail")
    assert mentor.status_code == 422 and "Mentoren krijgen geen wachtwoord" in mentor.text
    has_one = client.post(f"/beheer/personen/{world.student.id}/activatiemail")
    assert has_one.status_code == 422 and "heeft al een wachtwoord" in has_one.text
    assert client.post("/beheer/personen/99999/activatiemail").status_code == 404
    assert outbox == []


@pytest.mark.parametrize("who", ["student", "supervisor", "mentor"])
def test_only_the_coordinator_sends_activation_mails(world, login_as, make_user, who, outbox):
    target = make_user(Role.STUDENT, password_hash=None)
    client = login_as(getattr(world, who))
    assert client.post(f"/beheer/personen/{target.id}/activatiemail").status_code == 403
    assert client.post("/beheer/personen/activatiemails").status_code == 403
    assert outbox == []


def test_activation_mails_after_a_csv_import(world, db, login_as, outbox, make_user):
    import io

    supervisor = make_user(Role.SUPERVISOR, email="nieuwe.begeleider@test.be", password_hash=None)
    make_user(Role.MENTOR, email="mentor.zonder@test.be")
    client = login_as(world.coordinator)
    csv = "naam;e-mail;studentennummer\nAnna;anna@test.be;r1\nBen;ben@test.be;r2\n"
    page = client.post(
        "/beheer/personen/import",
        data={"file": (io.BytesIO(csv.encode()), "lijst.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200 and "Stuur activatiemails" in page.text
    assert "/beheer/personen/activatiemails" in page.text
    response = client.post("/beheer/personen/activatiemails")
    assert response.status_code == 303
    assert sorted(to for to, _s, _b in outbox) == [
        "anna@test.be",
        "ben@test.be",
        "nieuwe.begeleider@test.be",
    ]
    assert "3 activatiemail(s) verstuurd" in client.get("/beheer/personen").text
    assert tokens(db, supervisor)[0].purpose == "activatie"
    # Nobody left without a password after they all set one: nothing is sent.
    for user in db.exec(select(User).where(User.password_hash.is_(None))).all():
        if user.role != Role.MENTOR:
            user.password_hash = "x"
            db.add(user)
    db.commit()
    outbox.clear()
    client.post("/beheer/personen/activatiemails")
    assert outbox == []
    assert "Iedereen heeft al een wachtwoord" in client.get("/beheer/personen").text


def test_bulk_activation_queues_a_mail_per_person_even_with_the_server_down(
    world, db, login_as, make_user, smtp_server
):
    make_user(Role.STUDENT, email="a@test.be", password_hash=None)
    make_user(Role.STUDENT, email="b@test.be", password_hash=None)
    smtp_server.stop()
    client = login_as(world.coordinator)
    assert client.post("/beheer/personen/activatiemails", buffered=True).status_code == 303
    assert "2 activatiemail(s) verstuurd" in client.get("/beheer/personen").text
    queued = db.exec(select(OutboxMail).order_by(OutboxMail.to_address)).all()
    assert [m.to_address for m in queued] == ["a@test.be", "b@test.be"]
    assert all(m.sent_at is None and m.last_error for m in queued)


# ---------------------------------------------------------------- mentor links: POST-redirect-GET


def test_issuing_a_mentor_link_redirects_and_shows_it_once(world, db, login_as):
    client = login_as(world.coordinator)
    response = client.post(f"/beheer/mentoren/{world.mentor.id}/links")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/beheer/mentoren/{world.mentor.id}#nieuwe-link"
    shown = client.get(f"/beheer/mentoren/{world.mentor.id}")
    url = shown.text.split('<code class="link-once">')[1].split("</code>")[0]
    assert url.startswith("http://localhost/m/")
    [link] = db.exec(select(MentorLink)).all()
    assert link.token_hash == hash_token(url.rsplit("/", 1)[1])
    # A refresh is a GET: no second link, and the token is not shown again.
    again = client.get(f"/beheer/mentoren/{world.mentor.id}")
    assert url not in again.text and "link-once" not in again.text
    assert len(db.exec(select(MentorLink)).all()) == 1


def test_a_new_mentor_link_is_shown_only_on_its_mentors_page(world, login_as):
    client = login_as(world.coordinator)
    client.post(f"/beheer/mentoren/{world.mentor.id}/links")
    other = client.get(f"/beheer/mentoren/{world.other_mentor.id}")
    assert "link-once" not in other.text
    assert "link-once" not in client.get(f"/beheer/mentoren/{world.mentor.id}").text


# ---------------------------------------------------------------- in a browser


@pytest.mark.browser
def test_browser_forgot_password_to_signed_in(page, live_server, make_user, outbox):
    make_user(Role.STUDENT, email="sara@test.be", name="Sara Peeters")
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server}/aanmelden")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill("sara@test.be")
    page.get_by_role("button", name="Stuur me een link").click()
    assert SENT in page.locator("#reset-verstuurd").inner_text()
    [(_to, _subject, body)] = outbox
    page.goto(live_server + "/wachtwoord/" + link_in(body).rsplit("/", 1)[1])
    page.get_by_label("Nieuw wachtwoord (minstens 10 tekens)").fill("te kort")
    page.get_by_label("Nieuw wachtwoord herhalen").fill("te kort")
    page.get_by_role("button", name="Wachtwoord bewaren en aanmelden").click()
    assert "minstens 10 tekens" in page.locator(".field-error").first.inner_text()
    page.get_by_label("Nieuw wachtwoord (minstens 10 tekens)").fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord herhalen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord bewaren en aanmelden").click()
    page.wait_for_load_state("networkidle")
    assert "Je wachtwoord is ingesteld" in page.content()
    assert "/wachtwoord/" not in page.url
    assert not [m for m in console if "Content Security Policy" in m]

"""Signing in and out, rate limits, cookies, the open-redirect check."""

from portfolio.models import Role
from tests.conftest import PASSWORD


def test_login_and_logout(client, make_user):
    user = make_user(Role.STUDENT, email="sara@test.be")
    response = client.post("/aanmelden", data={"email": "Sara@test.be ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    response = client.post("/afmelden")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert user.id


def test_wrong_password_and_unknown_email_get_the_same_dutch_message(client, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    wrong = client.post("/aanmelden", data={"email": "sara@test.be", "password": "fout"})
    unknown = client.post("/aanmelden", data={"email": "niemand@test.be", "password": "fout"})
    assert wrong.status_code == unknown.status_code == 401
    message = "Dit e-mailadres en wachtwoord horen niet bij elkaar"
    assert message in wrong.text and message in unknown.text


def test_mentor_without_password_cannot_log_in_with_a_form(client, make_user):
    make_user(Role.MENTOR, email="mentor@test.be")
    response = client.post("/aanmelden", data={"email": "mentor@test.be", "password": ""})
    assert response.status_code == 422


def test_next_only_accepts_local_paths(client, make_user):
    make_user(Role.STUDENT, email="sara@test.be")
    data = {"email": "sara@test.be", "password": PASSWORD}
    response = client.post("/aanmelden?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/afmelden")
    response = client.post("/aanmelden?next=/", data=data)
    assert response.headers["Location"] == "/"


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/aanmelden" in response.headers["Location"]

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


def test_passwords_are_hashed_with_argon2id_at_owasps_minimum(make_user):
    from portfolio.auth import verify_password

    user = make_user(Role.STUDENT, email="sara@test.be")
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in user.password_hash
    assert verify_password(user, PASSWORD)
    assert not verify_password(user, PASSWORD + "x")
    user.password_hash = user.password_hash[:-4]  # a damaged hash is a refusal, not a 500
    assert not verify_password(user, PASSWORD)


def test_an_older_scrypt_hash_still_signs_in_and_is_replaced(client, db, make_user):
    from werkzeug.security import generate_password_hash

    from portfolio.models import User

    user = make_user(Role.STUDENT, email="sara@test.be")
    old = generate_password_hash(PASSWORD, method="scrypt")
    user.password_hash = old
    db.add(user)
    db.commit()
    data = {"email": "sara@test.be", "password": "fout"}
    assert client.post("/aanmelden", data=data).status_code == 401
    db.expire_all()
    assert db.get(User, user.id).password_hash == old  # a wrong password changes nothing
    data["password"] = PASSWORD
    assert client.post("/aanmelden", data=data).status_code == 302
    db.expire_all()
    renewed = db.get(User, user.id).password_hash
    assert renewed.startswith("$argon2id$")
    client.post("/afmelden")
    assert client.post("/aanmelden", data=data).status_code == 302
    db.expire_all()
    assert db.get(User, user.id).password_hash == renewed  # current hashes stay as they are

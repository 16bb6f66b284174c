"""`flask demo` prints the same mentor link on every run of an instance, and it keeps working."""

import re
from datetime import timedelta

from sqlmodel import select

from portfolio import create_app
from portfolio.clock import now
from portfolio.demo import load_demo
from portfolio.domain.mentor_links import hash_token, revoke_link
from portfolio.models import MentorLink

LINK = re.compile(r"/m/([A-Za-z0-9_-]{43})$")


def _token(lines: list[str]) -> str:
    found = LINK.search(lines[-1])
    assert found, lines
    return found.group(1)


def _link(db, token: str) -> MentorLink:
    return db.exec(select(MentorLink).where(MentorLink.token_hash == hash_token(token))).one()


def test_the_printed_mentor_link_is_the_same_on_the_next_run_and_signs_in(app):
    with app.app_context():
        first = load_demo()
        again = load_demo()
    assert first[0] == "Demo data geladen." and again[0] == "Demo data was er al."
    token = _token(first)
    assert _token(again) == token
    response = app.test_client().get(f"/m/{token}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/mentor")


def test_a_revoked_demo_link_stays_ended_and_the_next_run_prints_another(app, db):
    with app.app_context():
        token = _token(load_demo())
        revoke_link(db, _link(db, token), moment=now(), actor=None)
        db.commit()
        new = _token(load_demo())
        assert _token(load_demo()) == new  # and that one is kept again
    assert new != token
    client = app.test_client()
    assert client.get(f"/m/{token}").status_code == 404
    assert client.get(f"/m/{new}").status_code == 302


def test_the_token_comes_from_the_instances_secret_key(app):
    with app.app_context():
        token = _token(load_demo())
    other = create_app({**app.config, "SECRET_KEY": "another-instance"})
    with other.app_context():
        assert _token(load_demo()) != token


def test_long_after_the_demo_closed_the_run_says_to_start_afresh(app, db, set_now):
    with app.app_context():
        token = _token(load_demo())
    set_now(_link(db, token).expires_at + timedelta(days=1))
    with app.app_context():
        lines = load_demo()
    assert "Begin opnieuw met: flask --app portfolio demo --reset" in lines[-1]
    assert not LINK.search("\n".join(lines))
    assert app.test_client().get(f"/m/{token}").status_code == 404  # expired stays refused

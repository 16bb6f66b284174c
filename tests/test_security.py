"""CSRF on every state-changing route, security headers, friendly errors."""

import re

import pytest

from portfolio import create_app


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _post_rules(app):
    """Every URL rule that accepts a state-changing method, with dummy ids filled in."""
    for rule in app.url_map.iter_rules():
        methods = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if not methods or rule.endpoint == "static":
            continue
        # Integer converters get 1, anything else a word: the URL must route, or we test nothing.
        url = re.sub(
            r"<(?:(int|[a-z]+):)?[a-z_]+>", lambda m: "1" if m.group(1) == "int" else "x", rule.rule
        )
        yield rule.endpoint, sorted(methods)[0], url


def test_every_state_change_without_a_csrf_token_is_refused(csrf_app, world, login_as):
    rules = list(_post_rules(csrf_app))
    assert rules, "no POST routes found"
    for user in (world.student, world.supervisor, world.coordinator, world.mentor):
        client = login_as(user)
        for endpoint, method, url in rules:
            response = client.open(url, method=method, headers={"HX-Request": "true"})
            assert response.status_code == 400, (endpoint, url, response.status_code)
            assert "Formulier verlopen" in response.text


def test_security_headers_are_set(client):
    response = client.get("/aanmelden")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp
        and "frame-ancestors 'none'" in csp
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "HX-Request" in response.headers["Vary"]


def test_unknown_page_is_a_dutch_404(login_as, world):
    response = login_as(world.student).get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text


def test_unexpected_error_is_a_friendly_500_not_a_trace(app, login_as, world):
    @app.route("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = login_as(world.student).get("/_boom")
    assert response.status_code == 500
    assert "Er liep iets mis" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_htmx_errors_are_retargeted_to_the_message_region(login_as, world):
    response = login_as(world.student).get("/bestaat-niet", headers={"HX-Request": "true"})
    assert response.headers["HX-Retarget"] == "#meldingen"
    assert "<html" not in response.text


def test_production_refuses_to_start_without_a_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTFOLIO_ALLOW_INSTANCE_SECRET", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_ids_beyond_the_database_integer_range_are_not_found(world, login_as):
    client = login_as(world.coordinator)
    for url in ("/beheer/stages/99999999999999999999999", "/stages/2147483648/evaluatie"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/stages/{world.placement.id}/evaluatie").status_code == 200


def test_a_nul_character_is_refused_on_every_route_not_stored(world, login_as, client):
    """PostgreSQL cannot store NUL in text: the app refuses it before any view runs."""
    assert (
        client.post("/aanmelden", data={"email": "a\x00@b.be", "password": "x"}).status_code == 422
    )
    save = login_as(world.student).post(
        f"/stages/{world.placement.id}/portfolio/bewaren",
        data={"kind": "beginsituatie", "version": "0", "doelgroep": "kleuters\x00"},
    )
    assert save.status_code == 422
    assert "ongeldig teken" in save.text

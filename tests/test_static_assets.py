"""In the production configuration (no debug, SECRET_KEY set): static files come compressed
under content-hashed URLs with a year's cache lifetime; pages are cacheable for the back button
except those carrying a secret."""

import gzip
import re

import pytest
from sqlmodel import Session

from portfolio import create_app
from portfolio.domain.defaults import ensure_defaults


@pytest.fixture
def prod_client(engine, database_url, tmp_path, monkeypatch):
    for name in ("FLASK_DEBUG", "TESTING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("UPLOAD_FOLDER", str(tmp_path / "uploads"))
    app = create_app()
    assert not app.debug and not app.testing
    with Session(engine) as session:
        ensure_defaults(session)
        session.commit()
    return app.test_client()


def _stylesheet_url(client) -> str:
    page = client.get("/aanmelden")
    return re.search(r'href="(/static/app\.css\?v=[0-9a-f]{12})"', page.text).group(1)


def test_static_files_are_compressed_and_cached_for_a_year(prod_client):
    url = _stylesheet_url(prod_client)
    brotli = prod_client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert brotli.status_code == 200
    assert brotli.headers["Content-Encoding"] == "br"
    assert "max-age=31536000" in brotli.headers["Cache-Control"]
    assert "immutable" in brotli.headers["Cache-Control"]
    assert "Accept-Encoding" in brotli.headers["Vary"] and "HX-Request" in brotli.headers["Vary"]
    pico = re.search(r'href="(/static/vendor/pico[^"]+)"', prod_client.get("/aanmelden").text)
    full = prod_client.get(pico.group(1))
    small = prod_client.get(pico.group(1), headers={"Accept-Encoding": "br"})
    assert len(small.data) * 4 < len(full.data)


def test_pages_are_gzipped_and_cacheable_for_the_back_button(prod_client):
    page = prod_client.get("/aanmelden", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.data)
    # The login form carries a CSRF token: not stored.
    assert page.headers["Cache-Control"] == "no-store"
    # A stale or unhashed static URL is served, but not cached for long.
    stale = prod_client.get("/static/app.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_html_pages_are_private_no_cache(login_as, world):
    page = login_as(world.student).get("/")
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_htmx_is_loaded_only_where_a_page_uses_it(login_as, world, db):
    from sqlmodel import select

    from portfolio.models import StageDay

    client = login_as(world.student)
    assert "htmx-2.0.11.min.js" not in client.get("/").text
    assert "hx-" not in client.get("/").text.replace("hx-headers", "")
    day = db.exec(select(StageDay).where(StageDay.placement_id == world.placement.id)).first()
    reflection = client.get(f"/stages/{world.placement.id}/portfolio/dagen/{day.id}/reflectie")
    # A reflection not written yet: its upload widget posts with htmx (the feedback slot,
    # hx-get, comes once the reflection exists).
    assert "hx-post" in reflection.text and "htmx-2.0.11.min.js" in reflection.text

"""The installable app and the offline store's server side: manifest, service worker, the
pages kept for offline use, local drafts of plain forms, the expired-form message."""

from datetime import date

from sqlmodel import select

from portfolio.domain.offline import pages_to_keep
from portfolio.models import ItemKind, StageDay

MON, TUE, WED, THU, FRI = (date(2025, 10, d) for d in (6, 7, 8, 9, 10))


# ---------------------------------------------------------------- which pages are kept


def test_on_a_stage_day_today_and_the_three_stage_days_before_are_kept():
    days = [(1, MON), (2, TUE), (3, WED), (4, THU), (5, FRI), (6, date(2025, 10, 3))]
    pages = pages_to_keep(days, [(70, 5), (71, 4), (72, 5)], THU)
    assert pages.reflection_day_ids == [4, 3, 2, 1]
    assert pages.design_offer_ids == [70, 72]  # Friday's offers, not Thursday's


def test_between_stage_days_the_last_three_are_kept_and_the_next_days_designs():
    pages = pages_to_keep([(1, MON), (2, TUE), (5, FRI)], [(70, 5), (71, 2)], WED)
    assert pages.reflection_day_ids == [2, 1]
    assert pages.design_offer_ids == [70]


def test_after_the_last_stage_day_no_designs_are_kept():
    pages = pages_to_keep([(1, MON)], [(70, 1), (71, None)], FRI, recent=1)
    assert pages.reflection_day_ids == [1]
    assert pages.design_offer_ids == []


# ---------------------------------------------------------------- manifest, worker, offline page


def test_manifest_is_dutch_with_icons_and_the_home_page_as_start(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["lang"] == "nl-BE"
    assert manifest["name"] == "Keuzestage portfolio"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#0b5cad"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"any", "192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_manifest_starts_on_the_today_page_once_it_exists(app):
    app.add_url_rule("/vandaag", "today_stand_in", lambda: "Vandaag")
    assert app.test_client().get("/manifest.webmanifest").get_json()["start_url"] == "/vandaag"


def test_service_worker_is_served_from_the_root_and_never_cached_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype in {"text/javascript", "application/javascript"}
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert b'request.method !== "GET"' in response.data  # never a POST


def test_offline_page_needs_no_login_and_names_nobody(client):
    response = client.get("/offline")
    assert response.status_code == 200
    assert "Geen verbinding" in response.text
    assert "X-Offline-User" not in response.headers


def test_every_page_names_its_user_for_the_per_user_cache(login_as, world):
    response = login_as(world.student).get("/")
    assert response.headers["X-Offline-User"] == str(world.student.id)
    assert f'data-user="{world.student.id}"' in response.text
    assert 'rel="manifest"' in response.text


def test_a_student_keeps_home_recent_reflections_and_next_designs(login_as, world, db, make_item):
    # The clock is pinned to Wednesday 8 October 2025; the stage days start on Monday 6.
    days = db.exec(
        select(StageDay).where(StageDay.placement_id == world.placement.id).order_by(StageDay.day)
    ).all()
    past = [d for d in days if d.day <= WED]
    upcoming = [d for d in days if d.day > WED]
    offer = make_item(world.placement, ItemKind.AANBOD, title="Kring", stage_day_id=upcoming[0].id)
    response = login_as(world.student).get("/offline/bewaren")
    assert response.headers["X-Offline-User"] == str(world.student.id)
    urls = response.get_json()["urls"]
    base = f"/stages/{world.placement.id}/portfolio"
    assert urls[0] == "/"
    assert f"{base}/dagen/{past[-1].id}/reflectie" in urls
    assert f"{base}/aanbod/{offer.id}/denkwerk" in urls
    assert not any("wachtwoord" in url for url in urls)
    for url in urls:  # every kept page really opens
        assert login_as(world.student).get(url).status_code == 200


def test_other_roles_keep_nothing_and_strangers_must_sign_in(login_as, world, client):
    assert login_as(world.supervisor).get("/offline/bewaren").get_json() == {"urls": []}
    assert client.get("/offline/bewaren").status_code == 302


# ---------------------------------------------------------------- drafts of plain forms


def _warn(client, placement_id, **extra):
    data = {"feiten": "Te laat.", "onwenselijk": "De klas wachtte.", **extra}
    return client.post(f"/stages/{placement_id}/waarschuwingen", data=data)


def test_an_accepted_form_names_its_draft_on_the_next_pages(login_as, world):
    supervisor = login_as(world.supervisor)
    key = f"{world.supervisor.id}:form:/stages/{world.placement.id}/waarschuwingen|x|feiten"
    key += "@1759917600000"  # the moment the form was sent
    assert _warn(supervisor, world.placement.id, draft_key=key).status_code == 303
    page = supervisor.get(f"/stages/{world.placement.id}/waarschuwingen").text
    assert f'data-drafts-sent="{key}"' in page
    # A background fetch in between (the service worker) does not take the name away.
    again = supervisor.get(f"/stages/{world.placement.id}/waarschuwingen").text
    assert f'data-drafts-sent="{key}"' in again


def test_a_refused_or_odd_draft_key_is_never_named(login_as, world):
    supervisor = login_as(world.supervisor)
    # Refused (an empty required field): the draft must stay on the device.
    _warn(supervisor, world.placement.id, feiten="", draft_key="1:form:/x|y|feiten@1")
    _warn(supervisor, world.placement.id, draft_key="1:form:/x|y|feiten")  # no moment
    _warn(supervisor, world.placement.id, draft_key='1:form:"><script>')
    page = supervisor.get(f"/stages/{world.placement.id}/waarschuwingen").text
    assert 'data-drafts-sent=""' in page


def test_expired_form_message_says_only_what_is_true(app, login_as, world):
    app.config["WTF_CSRF_ENABLED"] = True
    response = _warn(login_as(world.supervisor), world.placement.id, csrf_token="oud")
    assert response.status_code == 400
    assert "Formulier verlopen" in response.text
    assert "in je browser bewaard" not in response.text
    # The line about the kept text is hidden until drafts.js finds the draft.
    assert "<p data-drafts-kept hidden>" in response.text

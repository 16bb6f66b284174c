"""The coordinator area (/beheer): overview, people, import, pools, placements, calendars,
extensions, mentor links, and the role gate on every URL."""

import re
import smtplib
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from portfolio.auth import verify_password
from portfolio.domain.placements import stage_days
from portfolio.models import (
    AuditEvent,
    DayKind,
    Holiday,
    MentorLink,
    OutboxMail,
    Placement,
    PoolMember,
    Role,
    SemesterDefault,
    StageDay,
    User,
)

GET_URLS = [
    "/beheer",
    "/beheer/personen",
    "/beheer/personen/nieuw",
    "/beheer/personen/import",
    "/beheer/pools",
    "/beheer/stages/nieuw",
    "/beheer/stages/{pid}",
    "/beheer/stages/{pid}/toewijzing",
    "/beheer/kalender",
    "/beheer/documenten",
    "/beheer/mentoren/{mid}",
    "/beheer/personen/{sid}/account",
]
# htmx parts: no page of their own (test_placement_picker.py checks what they return).
PARTIAL_URLS = ["/beheer/stages/nieuw/studenten?student=st"]
POST_URLS = [
    "/beheer/personen/nieuw",
    "/beheer/personen/import",
    "/beheer/personen/{sid}/activatiemail",
    "/beheer/personen/activatiemails",
    "/beheer/pools",
    "/beheer/pools/{pool}/leden",
    "/beheer/pools/{pool}/leden/{sid}/verwijderen",
    "/beheer/stages/nieuw",
    "/beheer/stages/{pid}/toewijzing",
    "/beheer/stages/{pid}/dagen",
    "/beheer/stages/{pid}/dagen/{day}/verplaatsen",
    "/beheer/stages/{pid}/dagen/{day}/soort",
    "/beheer/stages/{pid}/dagen/{day}/verwijderen",
    "/beheer/stages/{pid}/verlenging",
    "/beheer/kalender",
    "/beheer/kalender/vrije-dagen",
    "/beheer/kalender/vrije-dagen/{holiday}/verwijderen",
    "/beheer/documenten",
    "/beheer/mentoren/{mid}/links",
    "/beheer/mentoren/{mid}/links/{link}/intrekken",
    "/beheer/personen/{sid}/account",
]


def _ids(world, db):
    holiday = Holiday(day=date(2025, 12, 25), name="Kerstmis")
    link = MentorLink(
        mentor_id=world.mentor.id,
        token_hash="x" * 64,
        created_at=datetime(2025, 10, 1, tzinfo=UTC),
        expires_at=datetime(2025, 11, 1, tzinfo=UTC),
    )
    db.add_all([holiday, link])
    db.commit()
    return {
        "pid": world.placement.id,
        "mid": world.mentor.id,
        "pool": world.pool.id,
        "sid": world.supervisor.id,
        "day": stage_days(db, world.placement)[0].id,
        "holiday": holiday.id,
        "link": link.id,
    }


def test_the_url_lists_cover_every_coordinator_route(app):
    """The role matrix below must not miss a route added later."""

    def shape(url: str) -> str:
        return re.sub(r"[<{][^>}]+[>}]", "*", url)

    rules = {
        (method, shape(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("coordinator.")
        for method in rule.methods & {"GET", "POST"}
    }
    gets = [url.partition("?")[0] for url in GET_URLS + PARTIAL_URLS]
    listed = {("GET", shape(u)) for u in gets} | {("POST", shape(u)) for u in POST_URLS}
    assert rules == listed


@pytest.mark.parametrize("role", ["student", "supervisor", "mentor"])
@pytest.mark.parametrize(
    "method, url",
    [("GET", u) for u in GET_URLS + PARTIAL_URLS] + [("POST", u) for u in POST_URLS],
)
def test_non_coordinators_are_refused_everywhere(world, db, login_as, role, method, url):
    ids = _ids(world, db)
    before = db.exec(select(AuditEvent)).all()
    response = login_as(getattr(world, role)).open(url.format(**ids), method=method, data={})
    assert response.status_code == 403
    assert "alleen voor de stagecoördinator" in response.text
    db.expire_all()
    assert len(db.exec(select(AuditEvent)).all()) == len(before)


@pytest.mark.parametrize("url", GET_URLS)
def test_coordinator_opens_every_page(world, db, login_as, url):
    response = login_as(world.coordinator).get(url.format(**_ids(world, db)))
    assert response.status_code == 200
    assert "<h1>" in response.text and "Traceback" not in response.text


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/beheer")
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]


# ---------------------------------------------------------------- overview


def test_overview_lists_placements_with_people_and_status(world, login_as):
    page = login_as(world.coordinator).get("/beheer")
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Student Een",
        "Student Twee",
        "Vaste Begeleider",
        "Pool Collega",
        "Kleuterschool Testplein",
        "7 nov 2025 23:59",
        "actief",
    ):
        assert expected in text
    for link in (
        "/beheer/pools",
        "/beheer/personen/import",
        "/beheer/kalender",
        "/beheer/stages/nieuw",
        "/beheer/logboek",
        f"/beheer/stages/{world.placement.id}",
    ):
        assert f'href="{link}' in text


def test_overview_query_count_does_not_grow(
    db, login_as, make_user, make_pool, make_placement, count_queries
):
    """N=1 versus N=6 placements, each with its own supervisor, pool and mentor."""
    client = login_as(make_user(Role.COORDINATOR))
    counts = []
    for extra in (1, 5):
        for _ in range(extra):
            supervisor, mentor = make_user(Role.SUPERVISOR), make_user(Role.MENTOR)
            make_placement(
                supervisor_id=supervisor.id, pool_id=make_pool(supervisor).id, mentor_id=mentor.id
            )
        client.get("/beheer")
        with count_queries() as counted:
            page = client.get("/beheer")
        assert page.status_code == 200
        assert page.text.count('<th scope="row">') == len(db.exec(select(Placement)).all())
        counts.append(counted.n)
    assert len(db.exec(select(Placement)).all()) == 6
    assert counts[0] == counts[1] and counts[0] > 0


# ---------------------------------------------------------------- people


def test_coordinator_creates_a_student_with_a_password(world, db, login_as):
    response = login_as(world.coordinator).post(
        "/beheer/personen/nieuw",
        data={
            "role": "student",
            "name": "Lien Nieuw",
            "email": " Lien.Nieuw@Student.BE ",
            "student_number": "r0999999",
            "password": "een-lang-wachtwoord",
        },
    )
    assert response.status_code == 303
    user = db.exec(select(User).where(User.email == "lien.nieuw@student.be")).one()
    assert user.role == Role.STUDENT and user.student_number == "r0999999"
    assert verify_password(user, "een-lang-wachtwoord")


def test_coordinator_creates_a_supervisor_without_password(world, db, login_as):
    response = login_as(world.coordinator).post(
        "/beheer/personen/nieuw",
        data={"role": "begeleider", "name": "Bert", "email": "bert@x.be", "student_number": "x"},
    )
    assert response.status_code == 303
    user = db.exec(select(User).where(User.email == "bert@x.be")).one()
    assert user.role == Role.SUPERVISOR and user.password_hash is None
    assert user.student_number is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "MENTOR1@test.be"}, "Er bestaat al een gebruiker met e-mailadres"),
        ({"email": "geen-adres"}, "is geen geldig e-mailadres"),
        ({"student_number": ""}, "Vul het studentennummer in."),
        ({"name": ""}, "Dit veld is verplicht."),
        ({"password": "kort"}, "minstens 10 tekens"),
        ({"role": "coordinator"}, "Kies een waarde uit de lijst."),
    ],
)
def test_bad_user_input_is_refused_next_to_the_field(world, db, login_as, make_user, data, message):
    make_user(Role.MENTOR, email="mentor1@test.be")
    fields = {"role": "student", "name": "X", "email": "x@x.be", "student_number": "r5"}
    response = login_as(world.coordinator).post("/beheer/personen/nieuw", data={**fields, **data})
    assert response.status_code == 422
    assert message in response.text and 'class="field-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert db.exec(select(User).where(User.email == "x@x.be")).first() is None


def test_csv_import_through_the_page(world, db, login_as):
    from io import BytesIO

    client = login_as(world.coordinator)
    good = "\ufeffnaam;e-mail;studentennummer\nAn;an@x.be;r1\nBo;bo@x.be;r2\n".encode()
    response = client.post(
        "/beheer/personen/import",
        data={"file": (BytesIO(good), "lijst.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "2 studenten geïmporteerd" in response.text
    assert db.exec(select(User).where(User.email == "bo@x.be")).one().student_number == "r2"

    bad = b"naam,e-mail,studentennummer\nCas,cas@x.be,r3\n,an@x.be,r4\n"
    response = client.post(
        "/beheer/personen/import",
        data={"file": (BytesIO(bad), "lijst.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Niets geïmporteerd" in response.text
    assert "Rij 3: naam ontbreekt" in response.text
    assert db.exec(select(User).where(User.email == "cas@x.be")).first() is None

    response = client.post(
        "/beheer/personen/import",
        data={"file": (BytesIO(b"a,b\n1,2\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Ontbreekt: naam, e-mail" in response.text
    assert client.post("/beheer/personen/import", data={}).status_code == 422


# ---------------------------------------------------------------- pools


def test_pools_create_add_and_remove_members(world, db, login_as):
    client = login_as(world.coordinator)
    assert client.post("/beheer/pools", data={"name": "Pool B"}).status_code == 303
    duplicate = client.post("/beheer/pools", data={"name": "Pool B"})
    assert duplicate.status_code == 422 and "Er bestaat al een pool" in duplicate.text
    pool_id = db.exec(select(PoolMember.pool_id)).first()  # any pool exists
    from portfolio.models import Pool

    pool = db.exec(select(Pool).where(Pool.name == "Pool B")).one()
    url = f"/beheer/pools/{pool.id}/leden"
    assert client.post(url, data={"user_id": world.outsider.id}).status_code == 303
    again = client.post(url, data={"user_id": world.outsider.id})
    assert again.status_code == 422 and "is al lid" in again.text
    student = client.post(url, data={"user_id": world.student.id})
    assert student.status_code == 422 and "Alleen stagebegeleiders" in student.text
    page = client.get("/beheer/pools")
    assert "Pool B" in page.text and "Andere Pool" in page.text
    assert client.post(f"{url}/{world.outsider.id}/verwijderen").status_code == 303
    assert db.get(PoolMember, (pool.id, world.outsider.id)) is None
    gone = client.post(f"{url}/{world.outsider.id}/verwijderen")
    assert gone.status_code == 422 and "is geen lid" in gone.text
    assert pool_id is not None


# ---------------------------------------------------------------- placements


def _placement_form(world, **overrides):
    data = {
        "student": world.other_student.student_number,
        "supervisor_id": world.supervisor.id,
        "pool_id": world.pool.id,
        "site_name": "Speelpleinwerking Het Bos",
        "site_address": "Bosweg 3, Leuven",
        "context": "niet-school",
        "semester": "2",
        "first_day": "2026-02-09",
        "last_day": "2026-02-20",
        "mentor_name": "Nieuwe Mentor",
        "mentor_email": "Nieuwe.Mentor@Bos.be",
    }
    return {**data, **overrides}


def test_create_placement_with_a_new_mentor(world, db, login_as):
    response = login_as(world.coordinator).post("/beheer/stages/nieuw", data=_placement_form(world))
    assert response.status_code == 303
    placement = db.exec(select(Placement).where(Placement.site_name.like("Speelplein%"))).one()
    assert response.headers["Location"].endswith(f"/beheer/stages/{placement.id}")
    mentor = db.get(User, placement.mentor_id)
    assert (mentor.role, mentor.email, mentor.name) == (
        Role.MENTOR,
        "nieuwe.mentor@bos.be",
        "Nieuwe Mentor",
    )
    # Semester 2: Thursdays and Fridays.
    assert [d.day for d in stage_days(db, placement)] == [
        date(2026, 2, 12),
        date(2026, 2, 13),
        date(2026, 2, 19),
        date(2026, 2, 20),
    ]
    assert placement.context == "niet-school" and placement.supervisor_id == world.supervisor.id


def test_create_placement_reuses_an_existing_mentor(world, db, login_as):
    form = _placement_form(world, mentor_name="", mentor_email=world.mentor.email.upper())
    assert login_as(world.coordinator).post("/beheer/stages/nieuw", data=form).status_code == 303
    placement = db.exec(select(Placement).where(Placement.site_name.like("Speelplein%"))).one()
    assert placement.mentor_id == world.mentor.id


@pytest.mark.parametrize(
    "overrides, message",
    [
        (lambda w: {"mentor_email": w.student.email}, "hoort bij een gebruiker die geen mentor is"),
        (lambda w: {"mentor_email": "nieuw@x.be", "mentor_name": ""}, "Vul de naam van de mentor"),
        (lambda w: {"mentor_email": ""}, "Vul ook het e-mailadres van de mentor in."),
        (lambda w: {"student": w.supervisor.email}, "Geen student met dit studentnummer of"),
        (lambda w: {"student": ""}, "Vul een studentnummer of e-mailadres in."),
        (lambda w: {"supervisor_id": w.student.id}, "Kies een stagebegeleider uit de lijst."),
        (lambda w: {"pool_id": 99999}, "Kies een pool uit de lijst."),
        (lambda w: {"last_day": "2026-01-01"}, "De laatste stagedag ligt vóór de eerste"),
        (lambda w: {"first_day": "gisteren"}, "Kies een geldige datum."),
        (lambda w: {"site_name": ""}, "Dit veld is verplicht."),
        (lambda w: {"last_day": "2026-02-11"}, "geen enkele stagedag"),
        (lambda w: {"semester": "3"}, "Kies een waarde uit de lijst."),
    ],
)
def test_create_placement_refusals(world, db, login_as, overrides, message):
    response = login_as(world.coordinator).post(
        "/beheer/stages/nieuw", data=_placement_form(world, **overrides(world))
    )
    assert response.status_code == 422
    assert message in response.text
    if "site_name" not in overrides(world):  # the form keeps what was typed
        assert 'value="Speelpleinwerking Het Bos"' in response.text
    assert db.exec(select(Placement).where(Placement.site_name.like("Speelplein%"))).first() is None


def test_edit_assignment_changes_supervisor_pool_and_mentor_and_logs(world, db, login_as):
    client = login_as(world.coordinator)
    form = client.get(f"/beheer/stages/{world.placement.id}/toewijzing")
    assert form.status_code == 200 and world.mentor.email in form.text
    response = client.post(
        f"/beheer/stages/{world.placement.id}/toewijzing",
        data={
            "supervisor_id": world.colleague.id,
            "pool_id": "",
            "mentor_name": "",
            "mentor_email": world.other_mentor.email,
        },
    )
    assert response.status_code == 303
    db.expire_all()
    placement = db.get(Placement, world.placement.id)
    assert (placement.supervisor_id, placement.pool_id, placement.mentor_id) == (
        world.colleague.id,
        None,
        world.other_mentor.id,
    )
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "placement.assigned")).one()
    assert event.detail["old"]["mentor_id"] == world.mentor.id
    page = client.get(f"/beheer/stages/{world.placement.id}")
    assert (
        "Begeleiding of mentor gewijzigd (begeleider: Vaste Begeleider → Pool Collega; "
        in page.text
    )
    assert "pool: Pool " in page.text and "→ geen; mentor: Mentor Een → Mentor Twee)" in page.text
    assert "Coördinator" in page.text


# ---------------------------------------------------------------- semester defaults, holidays


def test_semester_defaults_and_holidays(world, db, login_as):
    client = login_as(world.coordinator)
    page = client.get("/beheer/kalender")
    assert page.status_code == 200 and "woensdag" in page.text
    response = client.post(
        "/beheer/kalender",
        data={
            "s1-weekdays": ["0", "3"],
            "s1-hours": "18",
            "s2-weekdays": ["3", "4"],
            "s2-hours": "14",
        },
    )
    assert response.status_code == 303
    db.expire_all()
    assert (db.get(SemesterDefault, 1).weekdays, db.get(SemesterDefault, 1).hours_per_week) == (
        "0,3",
        18,
    )
    refused = client.post(
        "/beheer/kalender", data={"s1-hours": "18", "s2-weekdays": ["3"], "s2-hours": "14"}
    )
    assert (
        refused.status_code == 422 and "Kies minstens één weekdag voor semester 1" in refused.text
    )
    bad_hours = client.post(
        "/beheer/kalender",
        data={"s1-weekdays": ["0"], "s1-hours": "99", "s2-weekdays": ["3"], "s2-hours": "14"},
    )
    assert bad_hours.status_code == 422

    assert (
        client.post(
            "/beheer/kalender/vrije-dagen", data={"day": "2026-02-12", "name": "Krokusvakantie"}
        ).status_code
        == 303
    )
    dup = client.post("/beheer/kalender/vrije-dagen", data={"day": "2026-02-12", "name": "X"})
    assert dup.status_code == 422 and "staat al in de lijst" in dup.text
    assert (
        client.post("/beheer/kalender/vrije-dagen", data={"day": "", "name": "X"}).status_code
        == 422
    )
    assert "Krokusvakantie" in client.get("/beheer/kalender").text

    # A new placement follows the new defaults and skips the holiday.
    client.post("/beheer/stages/nieuw", data=_placement_form(world, semester="1"))
    placement = db.exec(select(Placement).where(Placement.site_name.like("Speelplein%"))).one()
    assert [d.day for d in stage_days(db, placement)] == [
        date(2026, 2, 9),
        date(2026, 2, 16),
        date(2026, 2, 19),
    ]
    holiday = db.exec(select(Holiday)).one()
    assert client.post(f"/beheer/kalender/vrije-dagen/{holiday.id}/verwijderen").status_code == 303
    assert db.exec(select(Holiday)).first() is None


# ---------------------------------------------------------------- the placement calendar


def test_calendar_page_shows_days_and_log(world, login_as):
    page = login_as(world.coordinator).get(f"/beheer/stages/{world.placement.id}")
    assert page.status_code == 200
    assert page.text.count('<tr id="dag-') == 15
    assert "6 OPR-dagen (max. 6)" in page.text
    assert "Stage aangemaakt" in page.text and "Student Een" in page.text


def test_move_day_with_htmx_returns_the_partial_and_logs(world, db, login_as):
    day = stage_days(db, world.placement)[2]
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/dagen/{day.id}/verplaatsen",
        data={"new_date": "2025-10-10"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="kalender-beheer"' in response.text
    assert "Stagedag verplaatst (was: 08-10-2025; wordt: 10-10-2025)" in response.text
    db.expire_all()
    assert db.get(StageDay, day.id).day == date(2025, 10, 10)


def test_plain_form_fallback_redirects(world, db, login_as):
    day = stage_days(db, world.placement)[-1]
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/dagen/{day.id}/verwijderen"
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/beheer/stages/{world.placement.id}")
    assert len(stage_days(db, world.placement)) == 14
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "day.removed")).one()


def test_add_day_and_switch_kind(world, db, login_as):
    client = login_as(world.coordinator)
    url = f"/beheer/stages/{world.placement.id}"
    added = client.post(
        f"{url}/dagen", data={"day": "2025-11-06", "kind": "R"}, headers={"HX-Request": "true"}
    )
    assert added.status_code == 200 and added.text.count('<tr id="dag-') == 16
    first_opr = stage_days(db, world.placement)[0]
    switched = client.post(
        f"{url}/dagen/{first_opr.id}/soort", data={"kind": "R"}, headers={"HX-Request": "true"}
    )
    assert switched.status_code == 200 and "5 OPR-dagen" in switched.text
    db.expire_all()
    assert db.get(StageDay, first_opr.id).kind == DayKind.R
    duplicate = client.post(f"{url}/dagen", data={"day": "2025-11-06", "kind": "R"})
    assert duplicate.status_code == 422 and "Op die datum staat al een stagedag" in duplicate.text


def test_seventh_opr_day_is_refused_with_the_domain_message(world, db, login_as):
    client = login_as(world.coordinator)
    r_day = stage_days(db, world.placement)[10]
    url = f"/beheer/stages/{world.placement.id}/dagen/{r_day.id}/soort"
    plain = client.post(url, data={"kind": "OPR"})
    assert plain.status_code == 422
    assert "Te veel OPR-dagen" in plain.text and "hoogstens 6 OPR-dagen" in plain.text
    htmx = client.post(url, data={"kind": "OPR"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and htmx.headers["HX-Retarget"] == "#meldingen"
    added = client.post(
        f"/beheer/stages/{world.placement.id}/dagen", data={"day": "2025-11-06", "kind": "OPR"}
    )
    assert added.status_code == 422 and "hoogstens 6 OPR-dagen" in added.text
    db.expire_all()
    assert db.get(StageDay, r_day.id).kind == DayKind.R
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "day.kind")).first()


def test_day_of_another_placement_is_not_found(world, db, login_as):
    other_day = stage_days(db, world.other_placement)[0]
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/dagen/{other_day.id}/verwijderen"
    )
    assert response.status_code == 404
    assert login_as(world.coordinator).get("/beheer/stages/999999").status_code == 404


def test_bad_move_date_is_a_dutch_422(world, db, login_as):
    day = stage_days(db, world.placement)[0]
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/dagen/{day.id}/verplaatsen", data={"new_date": "x"}
    )
    assert response.status_code == 422 and "Kies een geldige datum." in response.text


# ---------------------------------------------------------------- extension


def test_extension_in_brussels_time_is_stored_logged_and_shown(world, db, login_as):
    client = login_as(world.coordinator)
    url = f"/beheer/stages/{world.placement.id}"
    response = client.post(
        f"{url}/verlenging", data={"day": "2025-11-14", "time": "18:00", "reason": "Ziekte"}
    )
    assert response.status_code == 303
    db.expire_all()
    placement = db.get(Placement, world.placement.id)
    assert placement.closes_at_override == datetime(2025, 11, 14, 17, 0, tzinfo=UTC)
    page = client.get(url)
    assert "14 november 2025 om 18:00" in page.text and "Ziekte" in page.text
    assert "Afsluitmoment verlengd" in page.text and "(verlengd)" in page.text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"day": "2025-11-14", "time": "18:00", "reason": " "}, "Geef een reden."),
        ({"day": "2025-11-01", "time": "18:00", "reason": "Ziek"}, "moet later vallen"),
        ({"day": "2025-11-14", "time": "", "reason": "Ziek"}, "Kies een uur."),
    ],
)
def test_extension_refusals(world, db, login_as, data, message):
    response = login_as(world.coordinator).post(
        f"/beheer/stages/{world.placement.id}/verlenging", data=data
    )
    assert response.status_code == 422 and message in response.text
    db.expire_all()
    assert db.get(Placement, world.placement.id).closes_at_override is None


# ---------------------------------------------------------------- mentor links


def test_issue_link_shows_it_once_and_mails_it(world, db, login_as, caplog):
    client = login_as(world.coordinator)
    caplog.set_level("INFO", logger="portfolio.outbox")
    response = client.post(f"/beheer/mentoren/{world.mentor.id}/links", follow_redirects=True)
    assert response.status_code == 200
    link = db.exec(select(MentorLink).where(MentorLink.mentor_id == world.mentor.id)).one()
    shown = response.text.split('<code class="link-once">')[1].split("</code>")[0]
    assert shown.startswith("http://localhost/m/")
    assert "ook gemaild naar mentor" in response.text
    # The redirect's response is closed before the page loads: the outbox delivered the mail.
    [record] = [r for r in caplog.records if r.name == "portfolio.outbox"]
    assert shown in record.getMessage() and world.mentor.email in record.getMessage()
    # The list shows the link without its token; the token is shown only once.
    listing = client.get(f"/beheer/mentoren/{world.mentor.id}")
    assert shown not in listing.text and "geldig" in listing.text and "nog niet" in listing.text
    assert "Student Een" in listing.text
    # Until the portfolio closes (7 November, 23:59:59 in Brussels) plus fourteen days.
    assert link.expires_at == datetime(2025, 11, 21, 22, 59, 59, tzinfo=UTC)


def test_issue_link_survives_a_failing_mail_server(world, db, login_as, app, monkeypatch):
    app.config["MAIL_SERVER"] = "smtp.invalid"

    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "weg")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    response = login_as(world.coordinator).post(
        f"/beheer/mentoren/{world.mentor.id}/links", follow_redirects=True
    )
    assert response.status_code == 200 and "/m/" in response.text
    assert db.exec(select(MentorLink)).one()
    # The mail is kept in the outbox for the next attempt.
    [mail] = db.exec(select(OutboxMail)).all()
    assert mail.to_address == world.mentor.email and mail.sent_at is None
    assert mail.attempts == 1 and "421" in mail.last_error


def test_revoke_link(world, db, login_as):
    client = login_as(world.coordinator)
    client.post(f"/beheer/mentoren/{world.mentor.id}/links")
    link = db.exec(select(MentorLink)).one()
    response = client.post(f"/beheer/mentoren/{world.mentor.id}/links/{link.id}/intrekken")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(MentorLink, link.id).revoked_at is not None
    assert "ingetrokken op" in client.get(f"/beheer/mentoren/{world.mentor.id}").text
    wrong = client.post(f"/beheer/mentoren/{world.other_mentor.id}/links/{link.id}/intrekken")
    assert wrong.status_code == 404


def test_links_only_for_mentors(world, login_as):
    client = login_as(world.coordinator)
    assert client.get(f"/beheer/mentoren/{world.student.id}").status_code == 404
    assert client.post(f"/beheer/mentoren/{world.supervisor.id}/links").status_code == 404


# ---------------------------------------------------------------- the domain rules without HTTP


def test_reassign_without_change_logs_nothing(world, db):
    from portfolio.domain.assignment import Assignment, reassign

    same = Assignment(
        supervisor_id=world.supervisor.id, pool_id=world.pool.id, mentor_email=world.mentor.email
    )
    reassign(db, world.placement, same, actor=world.coordinator)
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "placement.assigned")).all()


def test_only_a_student_can_be_placed(world, db):
    """The form finds the student by number or e-mail; the domain refuses anyone else too."""
    from portfolio.domain.assignment import PlacementInput, place_student
    from portfolio.domain.people import NO_STUDENT, FieldError

    for someone in (world.supervisor.id, world.mentor.id, 10**6, 0):
        data = PlacementInput(student_id=someone, site_name="Kleuterschool De Bron")
        with pytest.raises(FieldError, match=NO_STUDENT) as refused:
            place_student(db, data, actor=world.coordinator)
        assert refused.value.field == "student_id"
    data = PlacementInput(student_id=world.other_student.id, site_name="Kleuterschool De Bron")
    with pytest.raises(FieldError, match="eerste en de laatste stagedag") as refused:
        place_student(db, data, actor=world.coordinator)  # no dates: refused, not a crash
    assert refused.value.field == "first_day"
    data.first_day, data.last_day = date(2026, 2, 2), date(2026, 3, 27)
    assert place_student(db, data, actor=world.coordinator).student_id == world.other_student.id


def test_programme_rules(world, db):
    from portfolio.domain.errors import DomainError
    from portfolio.domain.programme import add_pool_member, set_semester_default

    with pytest.raises(DomainError, match="Kies semester 1 of 2"):
        set_semester_default(db, 3, weekdays=[0], hours_per_week=10, actor=world.coordinator)
    with pytest.raises(DomainError, match="minstens één weekdag"):
        set_semester_default(db, 1, weekdays=[7], hours_per_week=10, actor=world.coordinator)
    with pytest.raises(DomainError, match="tussen 1 en 60"):
        set_semester_default(db, 2, weekdays=[3], hours_per_week=0, actor=world.coordinator)
    with pytest.raises(DomainError, match="Alleen stagebegeleiders"):
        add_pool_member(db, world.pool, world.mentor, actor=world.coordinator)


def test_import_of_a_broken_csv_is_a_dutch_422(db, world, login_as):
    from io import BytesIO

    broken = b'naam,e-mail,studentennummer\n"' + b"a" * 200_000 + b"\n"
    response = login_as(world.coordinator).post(
        "/beheer/personen/import", data={"file": (BytesIO(broken), "lijst.csv")}
    )
    assert response.status_code == 422 and "geen geldige CSV" in response.text

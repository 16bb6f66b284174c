"""The coordinator's dashboard, paginated lists, export and log over HTTP: what they show, that
their query counts do not grow with the programme, and that only the coordinator opens them."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from portfolio.domain import audit
from portfolio.domain.placements import grant_extension
from portfolio.models import Role, User
from portfolio.pagination import PER_PAGE

PROGRAMME_PAGES = ["/beheer", "/beheer/export.csv", "/beheer/export.xlsx", "/beheer/logboek"]


def _grow(make_user, make_pool, make_placement, n: int) -> None:
    """Add n placements, each with its own supervisor and pool (the worst case for N+1)."""
    for _ in range(n):
        supervisor = make_user(Role.SUPERVISOR)
        pool = make_pool(supervisor)
        make_placement(supervisor_id=supervisor.id, pool_id=pool.id)


@pytest.mark.parametrize(
    "url",
    [
        "/beheer",
        "/beheer?telling=reflecties&sort=-laatste-dag",
        "/beheer?aandacht=1&status=actief&semester=1&q=stud",
        "/beheer/personen",
        "/beheer/personen?rol=student&sort=email",
        "/beheer/logboek",
        "/beheer/logboek?soort=placement&van=2025-01-01",
    ],
)
def test_queries_do_not_grow_with_the_programme(
    url, login_as, make_user, make_pool, make_placement, count_queries
):
    client = login_as(make_user(Role.COORDINATOR))
    counted = []
    for extra in (2, PER_PAGE + 5):  # one page, then more than one page
        _grow(make_user, make_pool, make_placement, extra)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counted.append(counter.n)
    assert counted[0] == counted[1], counted


def test_dashboard_counts_link_to_the_placements_they_count(db, world, login_as, make_placement):
    stopped = make_placement(site_name="Gestopte School", status="stopgezet")
    client = login_as(world.coordinator)
    page = client.get("/beheer").text
    assert "In cijfers (3 stages)" in page
    link = re.search(r'href="(/beheer\?telling=stopgezet[^"]*)"', page).group(1)
    listed = client.get(link.replace("&amp;", "&")).text
    assert "Gestopte School" in listed and "Stages: Stopgezet (1)" in listed
    assert f"/beheer/stages/{stopped.id}" in listed
    assert f'/beheer/stages/{world.placement.id}"' not in listed


def test_dashboard_filters_stay_in_the_links(world, login_as):
    page = login_as(world.coordinator).get(f"/beheer?pool={world.pool.id}&q=Student").text
    assert f"telling=actief&amp;pool={world.pool.id}&amp;q=Student" in page
    assert f"/beheer/export.csv?pool={world.pool.id}&amp;q=Student" in page
    assert 'aria-sort="ascending"' in page  # sorted by name, shown to screen readers


def test_wrong_page_or_filter_gives_the_first_page_with_a_note(world, login_as):
    client = login_as(world.coordinator)
    for url, note in (
        ("/beheer?pagina=999", "Die pagina bestaat niet"),
        ("/beheer?pagina=abc", "Die pagina bestaat niet"),
        ("/beheer?status=weg", "Onbekende keuze voor &#39;Status&#39;"),
        ("/beheer?pool=x", "&#39;Pool&#39; moet een geldig nummer zijn"),
        ("/beheer?sort=wachtwoord", "Onbekende sortering"),
        ("/beheer/personen?rol=baas&pagina=-1", "Onbekende keuze voor &#39;Rol&#39;"),
        ("/beheer/logboek?van=gisteren", "&#39;Van&#39; is geen geldige datum"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert note in response.text, url
    assert "Student Een" in client.get("/beheer?pagina=999").text


def test_people_list_is_paginated_and_searchable(world, login_as, make_user):
    for n in range(PER_PAGE + 5):
        make_user(Role.STUDENT, name=f"Zz Student {n:03d}")
    client = login_as(world.coordinator)
    first = client.get("/beheer/personen?rol=student").text
    assert "Student Een" in first and "Zz Student 054" not in first
    assert "1–50 van 57" in first and 'rel="next"' in first
    second = client.get("/beheer/personen?rol=student&sort=naam&pagina=2").text
    assert "Zz Student 054" in second and "Student Een" not in second
    found = client.get("/beheer/personen?q=r000").text  # part of a student number
    assert "Zz Student" in found or "Student Een" in found


# ---------------------------------------------------------------- export


def test_csv_export_round_trips_with_dutch_characters(
    db, login_as, world, make_user, make_placement
):
    student = make_user(Role.STUDENT, name="Anaïs Çelik-Vandeweghe", student_number="r0999999")
    make_placement(student, site_name="Basisschool 't Klavertje; Sint-Niklaas")
    response = login_as(world.coordinator).get("/beheer/export.csv?q=Ana")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Student", "Studentennummer", "Stageplaats"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Student"] == "Anaïs Çelik-Vandeweghe"
    assert row["Stageplaats"] == "Basisschool 't Klavertje; Sint-Niklaas"
    assert row["Eerste dag"] == "2025-10-06" and row["Status"] == "actief"
    assert row["Stagepakket ondertekend"] == "nee" and row["Dagen gedaan"] == "2"


def test_xlsx_export_has_typed_rows_for_the_filter(db, login_as, world, make_placement):
    make_placement(site_name="Andere pool, niet geëxporteerd")
    response = login_as(world.coordinator).get(f"/beheer/export.xlsx?pool={world.pool.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 28
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Student" and len(rows) == 2
    by_student = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    een = by_student["Student Een"]
    assert een["Stagebegeleider"] == "Vaste Begeleider" and een["Pool"] == world.pool.name
    assert een["Eerste dag"] == datetime(2025, 10, 6)  # a real date cell
    assert een["Semester"] == 1 and een["Dagen gedaan"] == 2 and een["Waarschuwingen"] == 0
    assert een["Stagepakket ondertekend"] is False


def test_export_of_an_empty_selection_says_so(world, login_as):
    client = login_as(world.coordinator)
    response = client.get("/beheer/export.csv?q=niemand-heet-zo")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert "er valt niets te exporteren" in page


# ---------------------------------------------------------------- the log


def test_log_says_events_in_dutch_without_keys_or_hashes(db, world, login_as):
    coordinator = db.get(User, world.coordinator.id)
    placement = db.merge(world.placement)
    grant_extension(
        db,
        placement,
        new_closes_at=datetime(2025, 11, 20, 22, 59, tzinfo=UTC),
        reason="ziekte",
        actor=coordinator,
    )
    audit.record(
        db,
        actor=db.get(User, world.student.id),
        action="stagepakket.signed",
        placement_id=placement.id,
        role="student",
        content_hash="f" * 64,
    )
    audit.record(
        db,
        actor=coordinator,
        action="pool.member_added",
        pool_id=world.pool.id,
        user_id=world.supervisor.id,
    )
    db.commit()
    page = login_as(world.coordinator).get("/beheer/logboek").text
    assert (
        "De coördinator Coördinator verlengde de afsluiting tot 20-11-2025 23:59: ziekte." in page
    )
    assert "Student Student Een ondertekende het stagepakket als student." in page
    assert f"voegde Vaste Begeleider toe aan pool {world.pool.name}." in page
    assert "f" * 64 not in page and "content_hash" not in page and "_id" not in page


def test_log_filters_by_placement_person_kind_and_period(db, world, login_as):
    client = login_as(world.coordinator)
    mine = client.get(f"/beheer/logboek?stage={world.placement.id}").text
    assert "Gebeurtenissen (1)" in mine and "maakte de stage aan van 06-10-2025" in mine
    theirs = client.get(f"/beheer/logboek?persoon={world.other_student.id}").text
    assert "Gebeurtenissen (1)" in theirs and "Student Twee" in theirs
    assert "Gebeurtenissen (2)" in client.get("/beheer/logboek?soort=placement").text
    assert "Gebeurtenissen (0)" in client.get("/beheer/logboek?soort=warning").text
    today = date(2025, 10, 8).isoformat()
    assert "Gebeurtenissen (0)" in client.get(f"/beheer/logboek?van={today}&tot={today}").text


def test_log_is_read_only(world, login_as):
    client = login_as(world.coordinator)
    assert client.post("/beheer/logboek").status_code == 405
    assert client.delete("/beheer/logboek").status_code == 405


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("role", ["student", "supervisor", "mentor"])
def test_only_the_coordinator_opens_the_programme_views(world, login_as, role):
    client = login_as(getattr(world, role))
    for url in PROGRAMME_PAGES + ["/beheer/personen"]:
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert "alleen voor de stagecoördinator" in response.text


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for url in PROGRAMME_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]


def test_a_supervisors_list_holds_only_their_own_students(db, world, login_as, make_placement):
    outsider_student = make_placement(supervisor_id=world.outsider.id)
    page = login_as(world.supervisor).get("/studenten").text
    assert "Student Een" in page
    assert f"/stages/{outsider_student.id}/" not in page
    outsider_page = login_as(world.outsider).get("/studenten").text
    assert "Student Een" not in outsider_page and "Student Twee" not in outsider_page

"""The supervisors' overview: numbers per student, filters and sorting, access, fixed queries."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from portfolio.domain.overview import OverviewOptions, build_overview
from portfolio.domain.signing import content_hash
from portfolio.models import (
    Feedback,
    FeedbackRequest,
    ItemKind,
    Placement,
    PlacementStatus,
    Role,
    Signature,
    Warning,
)
from portfolio.pagination import PER_PAGE

MOMENT = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)  # Wednesday, third stage day
WRITTEN = {"wat_gebeurde": "a", "waaraan_lag": "b", "meenemen": "c"}
READY_DESIGN = {
    "beginsituatie": "a",
    "doel": "b",
    "aanbod": "c",
    "begeleiding": "d",
    "organisatie": "e",
}


@pytest.fixture
def arrange(db, make_item):
    """Give a placement a typical state; returns a function so tests can shape many."""

    def arrange_(placement, author, *, signed_by=("student", "mentor"), requests=1):
        # Day 1 reflected, day 2 not: one reflection missing.
        make_item(placement, ItemKind.REFLECTIE, day=date(2025, 10, 6), content=WRITTEN)
        make_item(placement, ItemKind.REFLECTIE, day=date(2025, 10, 7), content={"meenemen": "x"})
        # Monday 13 Oct (within 7 days): an own offer without a design -> not ready.
        make_item(placement, ItemKind.AANBOD, day=date(2025, 10, 13), content={"bron": "eigen"})
        # Tuesday 14 Oct: an offer with a ready design, finished in time.
        offer = make_item(placement, ItemKind.AANBOD, day=date(2025, 10, 14), content={})
        make_item(
            placement,
            ItemKind.DENKWERK,
            parent_id=offer.id,
            content=READY_DESIGN,
            completed_at=MOMENT - timedelta(days=1),
        )
        # Monday 20 Oct is beyond the 7-day window: not counted.
        make_item(placement, ItemKind.AANBOD, day=date(2025, 10, 20), content={})
        package = make_item(placement, ItemKind.STAGEPAKKET, content={"taken": "Wandeling"})
        for role in signed_by:
            db.add(
                Signature(
                    item_id=package.id,
                    signer_id=author.id,
                    role=role,
                    content_hash=content_hash(package),
                    signed_at=MOMENT,
                )
            )
        for n in range(requests):
            db.add(
                FeedbackRequest(
                    placement_id=placement.id,
                    item_id=package.id,
                    question=f"Vraag {n}",
                    asked_at=MOMENT - timedelta(days=n + 1),
                )
            )
        db.add(
            FeedbackRequest(
                placement_id=placement.id,
                item_id=package.id,
                question="Beantwoord",
                asked_at=MOMENT - timedelta(days=9),
                resolved_at=MOMENT,
            )
        )
        for days_ago, kind in ((3, "sterkte"), (1, "vraag"), (0, "mentor")):
            db.add(
                Feedback(
                    placement_id=placement.id,
                    item_id=package.id,
                    author_id=author.id,
                    kind=kind,
                    body="Goed",
                    created_at=MOMENT - timedelta(days=days_ago),
                )
            )
        db.add(
            Warning(
                placement_id=placement.id,
                number=1,
                facts="Te laat",
                undesirable="Afspraken",
                author_id=author.id,
            )
        )
        db.commit()

    return arrange_


def _rows(db, placements, viewer, **options):
    return build_overview(
        db,
        visible=Placement.id.in_([p.id for p in placements]),
        viewer_id=viewer.id,
        moment=MOMENT,
        options=OverviewOptions(**options),
    ).rows


# ---------------------------------------------------------------- the numbers


def test_numbers_on_a_crafted_placement(db, world, arrange):
    arrange(world.placement, world.supervisor, requests=2)
    (row,) = _rows(db, [world.placement], world.supervisor)
    assert row.student.name == "Student Een" and row.is_fixed
    assert (row.days_done, row.days_to_come) == (2, 13)
    assert row.reflections_missing == 1
    assert row.designs_not_ready == 1
    assert row.package_signed is False  # student and mentor signed, the supervisor not yet
    assert row.open_requests == 2
    assert row.oldest_request_at == MOMENT - timedelta(days=2)
    assert row.last_feedback_at == MOMENT - timedelta(days=1)  # the mentor's note is not counted
    assert row.warnings == 1
    assert row.state == "loopt" and row.days_until_closing == 30  # closes Fri 7 Nov


def test_an_empty_placement_misses_every_past_reflection(db, world):
    (row,) = _rows(db, [world.placement], world.supervisor)
    assert row.reflections_missing == 2  # 6 and 7 October passed without reflection
    assert row.designs_not_ready == 0 and row.package_signed is False
    assert (row.open_requests, row.oldest_request_at, row.last_feedback_at) == (0, None, None)
    assert row.warnings == 0


def test_fully_signed_package_and_closing_states(db, world, arrange, make_placement):
    arrange(world.placement, world.supervisor, signed_by=("student", "mentor", "begeleider"))
    ended = make_placement(first_day=date(2025, 9, 1), last_day=date(2025, 9, 30))
    stopped = make_placement(status=PlacementStatus.STOPPED)
    rows = {
        r.placement.id: r for r in _rows(db, [world.placement, ended, stopped], world.colleague)
    }
    assert rows[world.placement.id].package_signed is True
    assert rows[world.placement.id].is_fixed is False
    assert (rows[ended.id].state, rows[ended.id].days_until_closing) == ("afgesloten", None)
    assert rows[stopped.id].state == "stopgezet"


def test_filters_search_and_sorting(db, world, arrange, make_user, make_placement):
    arrange(world.placement, world.supervisor, requests=1)
    third = make_placement(
        make_user(Role.STUDENT, name="Aline Derde"),
        supervisor_id=world.supervisor.id,
        last_day=date(2025, 10, 22),
    )
    placements = [world.placement, world.other_placement, third]

    def names(**options):
        return [r.student.name for r in _rows(db, placements, world.supervisor, **options)]

    assert names() == ["Aline Derde", "Student Een", "Student Twee"]
    assert names(descending=True) == ["Student Twee", "Student Een", "Aline Derde"]
    assert names(filter="mijn") == ["Aline Derde", "Student Een"]
    assert names(filter="vragen") == ["Student Een"]
    assert names(filter="ontbrekend") == names()  # every one missed a reflection
    assert names(search="twee") == ["Student Twee"]
    assert names(sort="afsluiting") == ["Aline Derde", "Student Een", "Student Twee"]
    assert names(sort="vragen", descending=True)[0] == "Student Een"
    # Student Een wrote one of two reflections; the others none.
    assert names(sort="reflecties", descending=True)[-1] == "Student Een"


def test_missing_filter_takes_reflections_and_designs_ahead_within_the_visible(
    db, world, make_user, make_placement, make_item
):
    """`ontbrekend`: a past day without reflection, or an offer in the coming 7 days whose
    design is not ready; a placement outside the viewer's reach never shows, missing or not."""

    def placement(name, **fields):
        made = make_placement(make_user(Role.STUDENT, name=name), **fields)
        for day in (date(2025, 10, 6), date(2025, 10, 7)):  # both past days reflected
            make_item(made, ItemKind.REFLECTIE, day=day, content=WRITTEN)
        return made

    complete = placement("Anna Compleet")
    design_ahead = placement("Bert Ontwerp")
    make_item(design_ahead, ItemKind.AANBOD, day=date(2025, 10, 13), content={"bron": "eigen"})
    design_later = placement("Cas Later")  # beyond the 7-day window: not missing yet
    make_item(design_later, ItemKind.AANBOD, day=date(2025, 10, 20), content={"bron": "eigen"})
    reflection = make_placement(make_user(Role.STUDENT, name="Dirk Reflectie"))
    out_of_reach = make_placement(make_user(Role.STUDENT, name="Eva Elders"))
    visible = [complete, design_ahead, design_later, reflection]

    rows = _rows(db, visible, world.supervisor, filter="ontbrekend")
    assert [r.student.name for r in rows] == ["Bert Ontwerp", "Dirk Reflectie"]
    assert out_of_reach.id not in {r.placement.id for r in rows}
    assert [r.student.name for r in _rows(db, visible, world.supervisor)] == [
        "Anna Compleet",
        "Bert Ontwerp",
        "Cas Later",
        "Dirk Reflectie",
    ]


def test_options_parse_and_header_links():
    options = OverviewOptions.parse({"sort": "-vragen", "filter": "onzin", "q": " Een "})
    assert (options.sort, options.descending, options.filter, options.search) == (
        "vragen",
        True,
        "",
        "Een",
    )
    assert options.aria_sort("vragen") == "descending" and options.aria_sort("naam") == "none"
    assert options.sort_param("vragen") == "vragen"  # toggles
    assert options.sort_param("reflecties") == "-reflecties"  # most first
    assert OverviewOptions.parse({"sort": "drop table"}).sort == "naam"


# ---------------------------------------------------------------- the page


def test_supervisor_sees_own_and_pool_students_with_sort_state(login_as, world, arrange):
    arrange(world.placement, world.supervisor)
    page = login_as(world.supervisor).get("/studenten?sort=naam")
    assert page.status_code == 200
    assert "Student Een" in page.text and "Student Twee" in page.text
    assert '<th scope="col" aria-sort="ascending">' in page.text
    assert 'class="table-wrap"' in page.text
    assert "niet ondertekend" in page.text and "nog 30 dagen" in page.text
    mine = login_as(world.supervisor).get("/studenten?filter=mijn")
    assert "Student Een" in mine.text and "Student Twee" not in mine.text
    found = login_as(world.supervisor).get("/studenten?q=twee")
    assert "Student Twee" in found.text and "Student Een" not in found.text


def test_descending_sort_is_announced(login_as, world):
    page = login_as(world.supervisor).get("/studenten?sort=-naam")
    assert re.search(r'aria-sort="descending">\s*<a href="[^"]*sort=naam', page.text)
    assert page.text.index("Student Twee") < page.text.index("Student Een")


def test_outsider_sees_none_of_the_pool_and_coordinator_sees_all(login_as, world):
    outsider = login_as(world.outsider).get("/studenten")
    assert outsider.status_code == 200 and "Student Een" not in outsider.text
    coordinator = login_as(world.coordinator).get("/studenten")
    assert "Student Een" in coordinator.text and "Student Twee" in coordinator.text
    assert 'href="/beheer/attitudes"' in coordinator.text
    assert 'href="/beheer/attitudes"' not in login_as(world.supervisor).get("/studenten").text


def test_students_and_mentors_have_no_overview(login_as, world):
    assert login_as(world.student).get("/studenten").status_code == 403
    assert login_as(world.mentor).get("/studenten").status_code == 403


def test_overview_runs_a_fixed_number_of_queries(
    login_as, make_user, make_pool, make_placement, arrange, count_queries
):
    counts = []
    for n in (1, 8):
        supervisor = make_user(Role.SUPERVISOR)
        pool = make_pool(supervisor)
        for _ in range(n):
            placement = make_placement(supervisor_id=supervisor.id, pool_id=pool.id)
            arrange(placement, supervisor)
        client = login_as(supervisor)
        client.get("/studenten")
        with count_queries() as counted:
            page = client.get("/studenten")
        assert page.status_code == 200
        assert page.text.count('<th scope="row">') == n
        counts.append(counted.n)
    assert counts[0] == counts[1], counts


# ---------------------------------------------------------------- the coordinator's whole programme


def test_coordinator_list_is_paged_with_the_view_kept_in_the_links(
    login_as, world, make_user, make_placement
):
    for n in range(PER_PAGE + 3):
        make_placement(make_user(Role.STUDENT, name=f"Reeks {n:03d}"))
    client = login_as(world.coordinator)
    first = client.get("/studenten?q=reeks&sort=-naam")
    assert first.text.count('<th scope="row">') == PER_PAGE
    assert "Reeks 052" in first.text and "Reeks 002" not in first.text
    assert "je ziet 1–50" in first.text and "Pagina 1 van 2" in first.text
    assert 'href="/studenten?pagina=2&amp;sort=-naam&amp;q=reeks"' in first.text
    second = client.get("/studenten?pagina=2&sort=-naam&q=reeks")
    assert second.text.count('<th scope="row">') == 3 and "Reeks 000" in second.text


@pytest.mark.parametrize(
    "query, note",
    [
        ("pagina=99", "Die pagina bestaat niet"),
        ("pagina=-1", "Die pagina bestaat niet"),
        ("pagina=twee", "Die pagina bestaat niet"),
        ("filter=onzin", "Die filter of sortering kennen we niet"),
        ("sort=-onzin", "Die filter of sortering kennen we niet"),
    ],
)
def test_a_wrong_page_or_option_shows_the_first_page_with_a_note(login_as, world, query, note):
    page = login_as(world.coordinator).get(f"/studenten?{query}")
    assert page.status_code == 200
    assert note in page.text and "Student Een" in page.text


def test_coordinator_list_runs_a_fixed_number_of_queries_at_two_sizes(
    login_as, world, make_placement, arrange, count_queries
):
    client = login_as(world.coordinator)
    counts = []
    for extra in (0, PER_PAGE + 10):
        for _ in range(extra):
            arrange(make_placement(), world.supervisor)
        for url in ("/studenten", "/studenten?filter=ontbrekend&sort=-reflecties&pagina=2"):
            client.get(url)
            with count_queries() as counted:
                assert client.get(url).status_code == 200
            counts.append(counted.n)
    assert counts[:2] == counts[2:], counts

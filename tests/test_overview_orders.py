"""The coordinator's costly orders are kept a while (OVERVIEW_ORDER_SECONDS); rows stay fresh."""

import re
import time

import pytest

from portfolio.models import Role, User
from portfolio.pagination import PER_PAGE

KEPT = "kunnen tot 30 seconden oud zijn"
SEARCH = "/studenten?q=reeks&sort=-naam"  # a name search reads every placement: costly


def _names(page) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page.text)


@pytest.fixture
def series(app, db, make_user, make_placement):
    app.config["OVERVIEW_ORDER_SECONDS"] = 30
    return [
        make_placement(make_user(Role.STUDENT, name=f"Reeks {n:03d}")) for n in range(PER_PAGE + 3)
    ]


def test_a_costly_order_is_sorted_once_and_its_pages_are_slices(
    series, login_as, world, count_queries
):
    client = login_as(world.coordinator)
    with count_queries() as sorting:
        first = client.get(SEARCH)
    with count_queries() as slicing:
        second = client.get(SEARCH + "&pagina=2")
    assert _names(first)[0] == "Reeks 052" and len(_names(first)) == PER_PAGE
    assert _names(second) == ["Reeks 002", "Reeks 001", "Reeks 000"]
    assert "je ziet 51–53" in second.text and KEPT in second.text
    # The second page neither counted nor sorted the placements: it sliced the kept order.
    assert slicing.n == sorting.n - 1
    assert not any("lower(" in s and "LIKE" in s for s in slicing.statements)


def test_rows_are_fresh_while_the_order_is_kept_then_it_is_sorted_again(
    series, db, login_as, world, make_user, make_placement, monkeypatch
):
    client = login_as(world.coordinator)
    client.get(SEARCH)
    renamed = db.get(User, series[52].student_id)
    renamed.name = "Reeks 052 (herdoopt)"
    db.add(renamed)
    db.commit()
    make_placement(make_user(Role.STUDENT, name="Reeks 999"))
    kept = client.get(SEARCH)
    assert _names(kept)[0] == "Reeks 052 (herdoopt)"  # the row is read fresh, in the kept order
    assert "Reeks 999" not in kept.text and "53 studenten" in kept.text
    later = time.monotonic() + 31
    monkeypatch.setattr("portfolio.ttl_cache.time.monotonic", lambda: later)
    resorted = client.get(SEARCH)
    assert _names(resorted)[0] == "Reeks 999" and "54 studenten" in resorted.text


@pytest.mark.parametrize("url", ["/studenten", "/studenten?sort=naam&filter=mijn"])
def test_the_plain_list_is_never_kept(series, login_as, world, make_user, make_placement, url):
    client = login_as(world.coordinator)
    client.get(url)
    make_placement(make_user(Role.STUDENT, name="Aaa Nieuw"))
    again = client.get(url)
    assert KEPT not in again.text
    if url == "/studenten":
        assert _names(again)[0] == "Aaa Nieuw"


def test_a_supervisors_list_is_never_kept(series, login_as, world):
    page = login_as(world.supervisor).get("/studenten?sort=-reflecties")
    assert page.status_code == 200 and KEPT not in page.text

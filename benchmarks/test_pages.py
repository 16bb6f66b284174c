"""GET time and SQL query count of the pages that list many things, at growing sizes.

The query count of one GET goes to benchmark.extra_info["queries"]; it must not grow with N:
each benchmark adds one more student (or day) and counts again, and the last test compares
the counts across sizes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

import pytest

from benchmarks.data import add_items
from portfolio.clock import BRUSSELS
from portfolio.domain.placements import add_day
from portfolio.models import DayKind

QUERIES: dict[str, dict[int, int]] = defaultdict(dict)


def _count(client, url: str, count_queries) -> tuple[int, int]:
    """Return (queries, bytes) of one GET (after a warm-up GET)."""
    assert client.get(url).status_code == 200, url
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, url
    return counted.n, len(response.data)


def _bench(benchmark, client, url: str, count_queries, *, page: str, n: int) -> int:
    queries, size = _count(client, url, count_queries)
    benchmark.extra_info.update(page=page, n=n, queries=queries, kilobytes=round(size / 1024))
    response = benchmark(client.get, url)
    assert response.status_code == 200
    QUERIES[page][n] = queries
    return queries


@pytest.mark.parametrize("n", [10, 50, 200])
def test_supervisor_overview(benchmark, n, programme, login_as, count_queries):
    supervisor, _, _ = programme(n)
    client = login_as(supervisor)
    queries = _bench(benchmark, client, "/studenten", count_queries, page="overview", n=n)
    programme(1, supervisor=supervisor, start=n)  # one more student, in a second pool
    assert _count(client, "/studenten", count_queries)[0] == queries


@pytest.mark.parametrize("n", [200])
def test_coordinator_home(benchmark, n, programme, login_as, count_queries):
    supervisor, coordinator, _ = programme(n)
    client = login_as(coordinator)
    queries = _bench(benchmark, client, "/beheer", count_queries, page="coordinator", n=n)
    programme(1, supervisor=supervisor, coordinator=coordinator, start=n)
    assert _count(client, "/beheer", count_queries)[0] == queries


def _on_last_day(set_now, placement) -> None:
    """Pin the clock to noon on the last stage day: every day has passed, still open."""
    set_now(datetime.combine(placement.last_day, time(12), tzinfo=BRUSSELS).astimezone(UTC))


@pytest.mark.parametrize("days", [15, 60])
@pytest.mark.parametrize("page", ["home", "step5"])
def test_student_pages(
    benchmark,
    page,
    days,
    long_placement,
    login_as,
    count_queries,
    set_now,
    db,
):
    student, placement = long_placement(days)
    _on_last_day(set_now, placement)
    url = "/" if page == "home" else f"/stages/{placement.id}/portfolio/stap-5"
    client = login_as(student)
    queries = _bench(benchmark, client, url, count_queries, page=page, n=days)
    # One more stage day (an agreed Thursday in the first week) with its items.
    extra = add_day(
        db, placement, placement.first_day + timedelta(days=3), DayKind.R, actor=student
    )
    add_items(db, placement, author_id=student.id, supervisor_id=None, days=[extra])
    db.commit()
    assert _count(client, url, count_queries)[0] == queries


def test_query_counts_do_not_grow_with_n():
    """Runs after the benchmarks above (file order): the same page, the same count."""
    measured = {page: counts for page, counts in QUERIES.items() if len(counts) > 1}
    if not measured:
        pytest.skip("run the whole module: fewer than two sizes of any page were measured")
    for page, counts in measured.items():
        assert len(set(counts.values())) == 1, (page, counts)

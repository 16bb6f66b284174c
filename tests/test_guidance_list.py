"""The guidance moments list (/begeleiding) is paged like the other growing lists: about 50
rows a page, sortable, the filter kept in the URL, a wrong page or filter gives page 1 and a
note, and the number of queries does not grow with the list."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from portfolio.models import GuidanceStatus, GuidanceType
from portfolio.pagination import PER_PAGE, WRONG_PAGE_NOTE
from tests.guidance_support import brussels, make_moment

FIRST = brussels(2025, 6, 2, 14, 0)  # 60 days on are still before the frozen now (8 Oct)


def _moments(db, world, n, *, start=0, **fields):
    for k in range(start, start + n):
        make_moment(
            db, world, starts_at=FIRST + timedelta(days=k), title=f"Sessie {k:03d}", **fields
        )


def _titles(html: str) -> list[str]:
    """The titles in the moments table, in order (`Sessie NNN` or a test's own title)."""
    section = html.split('id="momenten-titel"', 1)[1].split('id="onderwerpen-titel"', 1)[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in section else ""
    return re.findall(r"<tr>\s*<td>.*?</td>\s*<td>[^<]*?: ([^<]+)</td>", body, re.S)


def _args(href: str) -> dict:
    return parse_qs(urlsplit(unescape(href)).query)


def _links(html: str, rel: str) -> list[dict]:
    return [_args(href) for href in re.findall(rf'<a href="([^"]+)" rel="{rel}">', html)]


def test_a_long_list_is_paged_newest_first(db, world, login_as):
    _moments(db, world, PER_PAGE + 5)
    client = login_as(world.supervisor)
    first = client.get("/begeleiding").text
    titles = _titles(first)
    assert len(titles) == PER_PAGE
    assert titles[0] == f"Sessie {PER_PAGE + 4:03d}"  # the latest first
    assert f"1–{PER_PAGE} van {PER_PAGE + 5}" in first
    second = client.get("/begeleiding?pagina=2").text
    assert _titles(second) == [f"Sessie {k:03d}" for k in range(4, -1, -1)]


def test_filter_and_sort_survive_the_page_links(db, world, login_as):
    _moments(db, world, PER_PAGE + 2)
    _moments(db, world, 3, start=200, status=GuidanceStatus.CANCELLED)
    client = login_as(world.coordinator)
    html = client.get("/begeleiding?periode=voorbij&status=gepland&sort=wanneer").text
    assert f"van {PER_PAGE + 2}" in html and "Sessie 200" not in html
    titles = _titles(html)
    assert titles[0] == "Sessie 000"  # ascending, as asked
    (next_args,) = _links(html, "next")
    assert next_args == {
        "periode": ["voorbij"],
        "status": ["gepland"],
        "sort": ["wanneer"],
        "pagina": ["2"],
    }
    second = client.get("/begeleiding?" + "&".join(f"{k}={v[0]}" for k, v in next_args.items()))
    assert _titles(second.text) == ["Sessie 050", "Sessie 051"]
    # A column header keeps the filter and starts again on page 1.
    header = _args(re.search(r'<th scope="col" aria-sort="none"><a href="([^"]+)"', html)[1])
    assert header["periode"] == ["voorbij"] and "pagina" not in header


@pytest.mark.parametrize("query", ["pagina=99", "pagina=nul", "pagina=0"])
def test_a_page_out_of_range_shows_the_first_page_with_a_note(db, world, login_as, query):
    _moments(db, world, 3)
    response = login_as(world.supervisor).get(f"/begeleiding?{query}")
    assert response.status_code == 200
    assert WRONG_PAGE_NOTE in response.text and len(_titles(response.text)) == 3


def test_an_unknown_filter_or_sort_is_dropped_with_a_note(db, world, login_as):
    _moments(db, world, 2)
    response = login_as(world.supervisor).get("/begeleiding?periode=morgen&sort=kleur")
    assert response.status_code == 200
    assert "Onbekende keuze voor &#39;Periode&#39;" in response.text
    assert "Onbekende sortering" in response.text and len(_titles(response.text)) == 2


def test_the_period_filter_splits_coming_and_past(db, world, login_as, app):
    moment = app.config["FROZEN_NOW"]
    make_moment(db, world, starts_at=moment + timedelta(days=2), title="Straks")
    make_moment(db, world, starts_at=moment - timedelta(days=2), title="Gisteren")
    client = login_as(world.supervisor)
    coming = client.get("/begeleiding?periode=komend").text
    past = client.get("/begeleiding?periode=voorbij").text
    assert "Straks" in coming and "Gisteren" not in coming
    assert "Gisteren" in past and "Straks" not in past


def test_the_query_count_does_not_grow_with_the_list(db, world, login_as, count_queries):
    client = login_as(world.supervisor)
    counts, sizes = [], []
    for n, start in ((1, 0), (PER_PAGE + 10, 1)):
        _moments(db, world, n, start=start)
        make_moment(
            db,
            world,
            GuidanceType.EEN_OP_EEN,
            placement=world.placement,
            status=GuidanceStatus.REQUESTED,
            starts_at=FIRST + timedelta(days=300 + n),
        )
        with count_queries() as counted:
            page = client.get("/begeleiding?sort=-voor")
        assert page.status_code == 200
        counts.append(counted.n)
        sizes.append(len(_titles(page.text)))
    assert sizes == [2, PER_PAGE]
    assert counts[0] == counts[1], counts


def test_the_paged_list_holds_only_what_the_viewer_may_see(db, world, login_as):
    _moments(db, world, 3)
    assert _titles(login_as(world.supervisor).get("/begeleiding").text) != []
    outsider = login_as(world.outsider).get("/begeleiding?pagina=1&sort=voor")
    assert outsider.status_code == 200 and _titles(outsider.text) == []
    # A student has no programme list: they are sent to their own moments.
    student = login_as(world.student).get("/begeleiding")
    assert student.status_code == 302 and student.headers["Location"].endswith("/begeleiding/mijn")

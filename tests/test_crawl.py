"""Crawl the app as every role over the demo world: no 5xx, sane sizes, accessible pages,
and no role ever opens a page it must not.

The world is the demo (portfolio/demo: items of every step, feedback, guidance moments, a
mid-term evaluation, a warning, an upload) plus an outsider supervisor of another pool.
"""

from __future__ import annotations

import re

from crawl_support import crawl_every_role, demo_world  # noqa: F401 - demo_world: a fixture
from sqlmodel import select

from portfolio.domain.steps import MENTOR_VISIBLE_KINDS
from portfolio.models import Item, User

# Pages that show a student's personal writing (reflections, self-image) or are the
# coordinator's: a mentor never opens them.
PERSONAL = re.compile(
    r"/portfolio/(stap-[125]|aanpak|ontwerpwerk|zelfbeeld|laatste-reflectie|coachingsgesprek"
    r"|dagen/\d+/reflectie)\b"
)
ADMIN = re.compile(r"^/beheer")
SUPERVISION_LISTS = re.compile(r"^/(studenten|beheer)")


def test_crawl_as_every_role(app, demo_world, login_as, db):  # noqa: F811
    """One crawl per role (it is the slow part), then every check on what it found."""
    crawled = crawl_every_role(app, demo_world, login_as, db)
    for key, result in crawled.items():
        assert result.failures == [], key
    # The crawl saw the app, not just a login page.
    assert len(crawled["student"].ok()) > 30
    assert len(crawled["begeleider"].ok()) > 30
    assert len(crawled["coordinator"].ok()) > 30
    assert len(crawled["mentor"].ok()) > 5
    _assert_nobody_reaches_what_they_must_not(crawled, demo_world, login_as, db)


def _assert_nobody_reaches_what_they_must_not(crawled, demo_world, login_as, db) -> None:  # noqa: F811
    student = crawled["student"].ok()
    mentor = crawled["mentor"].ok()
    coordinator = crawled["coordinator"].ok()
    # What the crawl reached by links.
    assert not [u for u in student if SUPERVISION_LISTS.match(u)]
    assert not [u for u in mentor if ADMIN.match(u) or PERSONAL.search(u)]
    assert not [u for u in crawled["begeleider"].ok() | crawled["collega"].ok() if ADMIN.match(u)]
    # The student does reach their reflections, so the patterns above are live.
    assert [u for u in student if PERSONAL.search(u)]
    assert [u for u in coordinator if ADMIN.match(u)]
    assert [u for u in crawled["begeleider"].ok() if u.startswith("/studenten")]

    personal_items = {
        f"/stages/{i.placement_id}/portfolio/items/{i.id}{tail}"
        for i in db.exec(select(Item).where(Item.kind.not_in(MENTOR_VISIBLE_KINDS))).all()
        for tail in ("", "/geschiedenis")
    }
    assert personal_items
    assert not personal_items & mentor

    # Typing the URLs in is refused too: the mentor asks for the student's personal pages and
    # the coordinator's, the student for the coordinator's and supervisors' lists.
    everything = set().union(*(c.ok() for c in crawled.values()))
    mentor_client = login_as(db.get(User, demo_world.users["mentor"].id))
    typed = sorted(u for u in everything if ADMIN.match(u) or PERSONAL.search(u))
    assert len(typed) > 10
    for url in typed + sorted(personal_items):
        assert mentor_client.get(url).status_code in (403, 404), url
    student_client = login_as(db.get(User, demo_world.users["student"].id))
    for url in sorted(u for u in everything if SUPERVISION_LISTS.match(u)):
        assert student_client.get(url).status_code in (403, 404), url

    # A supervisor of another pool opens nothing of these placements.
    outsider = login_as(demo_world.users["outsider"])
    for url in sorted(u for u in coordinator if u.startswith("/stages/")):
        assert outsider.get(url).status_code in (403, 404), url

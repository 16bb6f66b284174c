"""The crawl over the demo world, shared by test_crawl.py (every check with our own rules) and
test_browser_axe.py (axe-core in a browser on one page of each shape): the demo seeded into the
test database, a breadth-first crawl per role through the Flask test client, and `_shape`, which
names the template a URL renders."""

from __future__ import annotations

import importlib
import re
from collections import Counter, deque
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from sqlmodel import Session, select
from test_a11y import problems

from portfolio.demo import AREAS, seed_base
from portfolio.models import Placement, Role, User

MAX_PAGES = 400
PER_SHAPE = 12  # URLs differing only in their numbers render the same template: a dozen will do
MAX_BYTES = 400_000  # the biggest page (the supervisor overview) is far below this
SKIP = re.compile(r"^/(afmelden|static/)")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _internal_links(url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        absolute, _ = urldefrag(urljoin("http://localhost" + url, href))
        parts = urlsplit(absolute)
        if parts.scheme != "http" or parts.netloc != "localhost":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not SKIP.match(path):
            found.append(path)
    return found


START_TAG = re.compile(r"<(\w+)\b([^>]*)>")
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def _with_lazy_parts(client, url: str, html: str, failures: list[str]) -> str:
    """Load what htmx loads on page load (hx-trigger="load") and swap it in, as the browser
    would: the checks then see the page the person sees. Links inside are crawled too."""
    for match in reversed(list(START_TAG.finditer(html))):
        attrs = dict(ATTR.findall(match.group(2)))
        if "load" not in attrs.get("hx-trigger", "") or "hx-get" not in attrs:
            continue
        tag, start = match.group(1), match.start()
        depth, end = 0, None
        for inner in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
            depth += -1 if inner.group(1) else 1
            if depth == 0:
                end = start + inner.end()
                break
        fragment_url = attrs["hx-get"].replace("&amp;", "&")
        response = client.get(fragment_url, headers={"HX-Request": "true"})
        if response.status_code != 200:
            failures.append(f"{response.status_code} on {fragment_url} (loaded by {url})")
            continue
        fragment = response.get_data(as_text=True)
        if attrs.get("hx-swap", "innerHTML") == "outerHTML":
            html = html[:start] + fragment + html[end:]
        else:
            html = html[: match.end()] + fragment + html[end - len(f"</{tag}>") :]
    return html


def url_shape(url: str) -> str:
    """Name the template a URL renders: numbers and query values vary, query names do not
    (a list's filter, sort and page links all render the same list)."""
    path, _, query = url.partition("?")
    names = sorted({pair.partition("=")[0] for pair in query.split("&") if pair})
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(names) if names else "")


class Crawl:
    """What one role reached: status per URL, the HTML pages in crawl order, and what went
    wrong on the way."""

    def __init__(self) -> None:
        self.status: dict[str, int] = {}
        self.pages: list[str] = []
        self.linked_from: dict[str, str] = {}
        self.failures: list[str] = []

    def ok(self) -> set[str]:
        return {url for url, status in self.status.items() if status == 200}

    def one_per_shape(self) -> list[str]:
        """The first HTML page reached of every shape: one URL per distinct page."""
        first: dict[str, str] = {}
        for url in self.pages:
            first.setdefault(url_shape(url), url)
        return list(first.values())


def crawl(client, starts: list[str]) -> Crawl:
    """Breadth-first over every internal GET link, following redirects by hand."""
    result = Crawl()
    queue = deque(starts)
    seen = set(starts)
    shapes: Counter[str] = Counter(url_shape(url) for url in starts)
    while queue and len(result.status) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        result.status[url] = response.status_code
        where = f"{url} (linked from {result.linked_from.get(url, 'start')})"
        if response.status_code >= 500:
            result.failures.append(f"{response.status_code} on {where}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            targets = _internal_links(url, f'<a href="{response.headers["Location"]}">')
        elif response.status_code != 200:
            result.failures.append(f"a link leads to {response.status_code}: {where}")
            continue
        elif not response.mimetype.startswith("text/html"):
            continue
        else:
            result.pages.append(url)
            body = response.get_data()
            if len(body) > MAX_BYTES:
                result.failures.append(f"{len(body)} bytes on {url}")
            html = _with_lazy_parts(client, url, body.decode(), result.failures)
            result.failures += [f"{url}: {problem}" for problem in problems(html)]
            targets = _internal_links(url, html)
        for target in targets:
            shape = url_shape(target)
            if target not in seen and shapes[shape] < PER_SHAPE:
                seen.add(target)
                shapes[shape] += 1
                result.linked_from[target] = url
                queue.append(target)
    assert len(result.status) < MAX_PAGES, "the crawl hit its cap: raise it or prune links"
    return result


@pytest.fixture
def demo_world(app, engine, make_user, make_pool, make_placement, make_item):
    """Seed the demo (every area) into the test database; add an outsider supervisor."""
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        demo = seed_base(session)
        for area in AREAS:
            importlib.import_module(f"portfolio.demo.{area}").seed(session, demo)
        session.commit()
    outsider = make_user(Role.SUPERVISOR, name="Andere Pool")
    make_pool(outsider)
    demo.users["outsider"] = outsider
    _add_finished_and_stopped(app, engine, demo, make_user, make_placement, make_item)
    return demo


def _add_finished_and_stopped(app, engine, demo, make_user, make_placement, make_item):
    """A placement that ended (portfolio closed, final evaluation, decided synthesis) and one
    stopped after three warnings, both in the demo pool: read-only pages get crawled too."""
    from portfolio.clock import now
    from portfolio.domain.evaluation import record_evaluation as evaluate
    from portfolio.domain.evaluation_synthesis import decide_synthesis, propose_synthesis
    from portfolio.domain.warnings import confirm_stop, record_warning
    from portfolio.models import Attitude, EvaluationStage, ItemKind, Verdict

    users, pool_id = demo.users, demo.pool.id
    staff = dict(
        supervisor_id=users["begeleider"].id, pool_id=pool_id, mentor_id=users["mentor"].id
    )
    finished = make_placement(
        make_user(Role.STUDENT, name="Fien Vorige", student_number="r0000091"),
        first_day=date(2025, 9, 1),
        last_day=date(2025, 9, 19),
        **staff,
    )
    make_item(finished, ItemKind.REFLECTIE, day=date(2025, 9, 1), content={"wat_gebeurde": "Iets."})
    make_item(finished, ItemKind.BEGINSITUATIE, content={"doelgroep": "Tweede kleuterklas."})
    stopped = make_placement(
        make_user(Role.STUDENT, name="Stef Gestopt", student_number="r0000092"), **staff
    )
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        supervisor = session.get(User, users["begeleider"].id)
        coordinator = session.get(User, users["coordinator"].id)
        finished = session.get(Placement, finished.id)
        for attitude in session.exec(select(Attitude).where(Attitude.archived_at.is_(None))):
            evaluate(
                session,
                finished,
                attitude=attitude,
                stage=EvaluationStage.FINAL,
                verdict=Verdict.SUFFICIENT,
                reason="",
                actor=supervisor,
                role=Role.SUPERVISOR,
                moment=now(),
            )
        propose_synthesis(
            session,
            finished,
            is_pass=True,
            score=14,
            motivation="Sterk.",
            actor=supervisor,
            moment=now(),
        )
        decide_synthesis(
            session, finished, confirmed=True, note="", actor=coordinator, moment=now()
        )
        stopped = session.get(Placement, stopped.id)
        for _ in range(3):
            record_warning(
                session,
                stopped,
                facts="Niet voorbereid.",
                undesirable="De kinderen wachten.",
                support="Gesprek.",
                agreements="Ontwerpen op tijd.",
                actor=supervisor,
                moment=now(),
                confirm_stop=True,
            )
        confirm_stop(session, stopped, actor=coordinator, moment=now())
        session.commit()


def _starts(app, placements) -> list[str]:
    """The landing page and every tab of the placements this person sees."""
    from flask import url_for

    from portfolio.navigation import placement_tabs

    starts = ["/"]
    with app.test_request_context():
        for user, placement in placements:
            for _, endpoint in _tabs_for(placement_tabs, user, placement):
                starts.append(url_for(endpoint, placement_id=placement.id))
    return list(dict.fromkeys(starts))


def _tabs_for(placement_tabs, user, placement):
    from flask import g

    try:
        return placement_tabs(user, placement)
    finally:
        g.pop("pool_ids", None)


ROLES = ["student", "begeleider", "collega", "coordinator", "mentor"]


def crawl_every_role(app, demo_world, login_as, db) -> dict[str, Crawl]:
    from portfolio.access import can_view

    results = {}
    placements = db.exec(select(Placement).order_by(Placement.id)).all()
    for key in ROLES:
        user = db.get(User, demo_world.users[key].id)
        with app.test_request_context():
            mine = [(user, p) for p in placements if can_view(user, p)]
        results[key] = crawl(login_as(user), _starts(app, mine))
    return results

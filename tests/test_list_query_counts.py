"""List pages of the coordinator, supervision and guidance areas run a fixed number of queries
(N=1 versus N=5 rows) — pages that had no count_queries test of their own."""

from datetime import UTC, datetime

import pytest

from portfolio.domain import audit
from portfolio.domain.mentor_links import issue_link
from portfolio.models import Feedback, FeedbackRequest, ItemKind, Role
from tests.guidance_support import make_moment

MOMENT = datetime(2025, 10, 8, 8, 0, tzinfo=UTC)


@pytest.fixture
def grow(db, world, make_user, make_pool, make_placement, make_item):
    """Add one of everything the pages list: a student in the pool, a supervisor in a pool, a
    feedback request and feedback on a new item, a mentor link, a line in the placement's log."""

    def add():
        supervisor = make_user(Role.SUPERVISOR)
        make_pool(supervisor)
        make_placement(
            pool_id=world.pool.id, mentor_id=world.mentor.id, supervisor_id=supervisor.id
        )
        item = make_item(world.placement, ItemKind.NULDOCUMENT)
        db.add(
            FeedbackRequest(
                placement_id=world.placement.id, item_id=item.id, question="Ok?", asked_at=MOMENT
            )
        )
        db.add(
            Feedback(
                placement_id=world.placement.id,
                item_id=item.id,
                author_id=supervisor.id,
                kind="suggestie",
                body="Goed begin.",
                created_at=MOMENT,
            )
        )
        issue_link(db, world.mentor, moment=MOMENT, actor=None)
        audit.record(
            db, actor=supervisor, action="day.kind", placement_id=world.placement.id, kind="R"
        )
        db.commit()

    return add


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("coordinator", "/beheer/personen"),
        ("coordinator", "/beheer/pools"),
        ("coordinator", "/beheer/mentoren/{mentor}"),
        ("coordinator", "/beheer/stages/{placement}"),
        ("supervisor", "/stages/{placement}/feedback"),
        ("supervisor", "/begeleiding/momenten/{moment}"),
    ],
)
def test_list_page_query_count_does_not_grow(db, world, login_as, grow, count_queries, who, url):
    moment = make_moment(db, world)  # a pool session: every student of the pool takes part
    url = url.format(mentor=world.mentor.id, placement=world.placement.id, moment=moment.id)
    client = login_as(getattr(world, who))
    counts, sizes = [], []
    for n in (1, 4):
        for _ in range(n):
            grow()
        with count_queries() as counted:
            page = client.get(url)
        assert page.status_code == 200
        counts.append(counted.n)
        sizes.append(len(page.text))
    assert sizes[1] > sizes[0]  # the second page really lists more
    assert counts[0] == counts[1], counts

"""Exemplary feedback: the rules (domain) and who may do what (routes), per role."""

from datetime import UTC, date, datetime

import pytest
from flask import render_template
from sqlmodel import select

from portfolio.domain import feedback as fb
from portfolio.models import (
    Attitude,
    Feedback,
    FeedbackAttitude,
    FeedbackKind,
    FeedbackReply,
    FeedbackRequest,
    ItemKind,
)

MOMENT = datetime(2025, 10, 8, 10, 0, tzinfo=UTC)
AFTER_CLOSING = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)  # closes Fri 7 Nov 23:59:59 Brussels
REFLECTION = {
    "wat_gebeurde": "De kleuters bouwden **een toren**.",
    "waaraan_lag": "Ik gaf te weinig tijd. <script>alert(1)</script>",
    "meenemen": "Meer wachttijd geven.",
}


@pytest.fixture
def reflection(world, make_item):
    return make_item(world.placement, ItemKind.REFLECTIE, day=date(2025, 10, 6), content=REFLECTION)


@pytest.fixture
def design(world, make_item):
    return make_item(world.placement, ItemKind.DENKWERK, content={"doel": "Tellen tot vijf."})


def _attitudes(db):
    return db.exec(select(Attitude).order_by(Attitude.position)).all()


def _url(placement, item, suffix=""):
    return f"/stages/{placement.id}/items/{item.id}/feedback{suffix}"


def _give(db, placement, item, author, kind="vraag", body="?", **extra):
    """Give feedback directly (arranging), committed."""
    feedback = fb.give_feedback(
        db,
        placement=placement,
        item=item,
        author=author,
        kind=kind,
        body=body,
        moment=MOMENT,
        **extra,
    )
    db.commit()
    return feedback


# ---------------------------------------------------------------- domain rules


def test_feedback_requires_a_known_kind_and_a_body(db, world, reflection):
    args = dict(placement=world.placement, item=reflection, author=world.supervisor, moment=MOMENT)
    with pytest.raises(fb.FieldError) as missing_kind:
        fb.give_feedback(db, kind=None, body="Goed zo", **args)
    assert missing_kind.value.field == "kind"
    with pytest.raises(fb.FieldError) as bad_kind:
        fb.give_feedback(db, kind="lof", body="Goed zo", **args)
    assert bad_kind.value.field == "kind"
    with pytest.raises(fb.FieldError) as empty:
        fb.give_feedback(db, kind=FeedbackKind.QUESTION, body="   \n", **args)
    assert empty.value.field == "body"
    assert db.exec(select(Feedback)).all() == []


def test_tags_must_be_active_attitudes(db, world, reflection):
    first, second, archived = _attitudes(db)[:3]
    archived.archived_at = MOMENT
    db.add(archived)
    db.commit()
    args = dict(placement=world.placement, item=reflection, author=world.supervisor, moment=MOMENT)
    for bad in ([archived.id], [first.id, 99999]):
        with pytest.raises(fb.FieldError) as refused:
            fb.give_feedback(db, kind="sterkte", body="Mooi", attitude_ids=bad, **args)
        assert refused.value.field == "attitudes"
    feedback = fb.give_feedback(
        db, kind="sterkte", body="Mooi", attitude_ids=[second.id, first.id, first.id], **args
    )
    tags = db.exec(
        select(FeedbackAttitude.attitude_id).where(FeedbackAttitude.feedback_id == feedback.id)
    ).all()
    assert sorted(tags) == sorted([first.id, second.id])


def test_answering_a_request_resolves_it_once(db, world, reflection, design):
    request = fb.ask_feedback(
        db,
        placement=world.placement,
        item=reflection,
        student=world.student,
        question="Is mijn analyse diep genoeg?",
        moment=MOMENT,
    )
    assert [r.id for r in fb.open_requests(db, reflection)] == [request.id]
    args = dict(placement=world.placement, author=world.supervisor, moment=MOMENT)
    # A request of another item cannot be resolved from this one.
    with pytest.raises(fb.FieldError):
        fb.give_feedback(db, item=design, kind="vraag", body="?", request_id=request.id, **args)
    answer = fb.give_feedback(
        db, item=reflection, kind="vraag", body="Waarom?", request_id=request.id, **args
    )
    assert answer.request_id == request.id
    assert db.get(FeedbackRequest, request.id).resolved_at == MOMENT
    assert fb.open_requests(db, reflection) == []
    with pytest.raises(fb.FieldError) as twice:
        fb.give_feedback(
            db, item=reflection, kind="vraag", body="Nog?", request_id=request.id, **args
        )
    assert twice.value.field == "request"


def test_asking_needs_a_question_and_the_own_portfolio(db, world, reflection):
    with pytest.raises(fb.FieldError):
        fb.ask_feedback(
            db,
            placement=world.placement,
            item=reflection,
            student=world.student,
            question=" ",
            moment=MOMENT,
        )
    with pytest.raises(fb.DomainError):
        fb.ask_feedback(
            db,
            placement=world.placement,
            item=reflection,
            student=world.other_student,
            question="Mag ik?",
            moment=MOMENT,
        )


def test_mentor_writes_a_note_without_kind_or_tags(db, world, design):
    note = _give(db, world.placement, design, world.mentor, kind="sterkte", body="Goed voorbereid.")
    assert note.kind == fb.MENTOR_NOTE
    with pytest.raises(fb.FieldError):
        fb.give_feedback(
            db,
            placement=world.placement,
            item=design,
            author=world.mentor,
            kind=None,
            body="x",
            attitude_ids=[_attitudes(db)[0].id],
            moment=MOMENT,
        )


def test_thread_has_authors_roles_tags_and_replies(db, world, reflection):
    attitude = _attitudes(db)[0]
    first = _give(
        db,
        world.placement,
        reflection,
        world.supervisor,
        kind="suggestie",
        body="Probeer een prent.",
        attitude_ids=[attitude.id],
    )
    _give(
        db, world.placement, reflection, world.colleague, kind="groeipunt", body="Meer wachttijd."
    )
    fb.reply_to(db, feedback=first, author=world.student, body="Dank je!", moment=MOMENT)
    thread = fb.item_thread(db, world.placement, reflection)
    assert [(v.author.name, v.role_label, v.kind_label) for v in thread] == [
        ("Vaste Begeleider", "vaste stagebegeleider", "Suggestie"),
        ("Pool Collega", "pool", "Groeipunt"),
    ]
    assert [a.name for a in thread[0].attitudes] == [attitude.name]
    assert [(r.author.name, r.role_label) for r in thread[0].replies] == [
        ("Student Een", "student")
    ]


# ---------------------------------------------------------------- routes: supervisors


def test_fixed_supervisor_gives_tagged_feedback_and_sees_it(login_as, world, reflection, db):
    attitude = _attitudes(db)[1]
    client = login_as(world.supervisor)
    response = client.post(
        _url(world.placement, reflection),
        data={"kind": "suggestie", "body": "Probeer **een prent**.", "attitudes": [attitude.id]},
    )
    assert response.status_code == 303
    page = client.get(_url(world.placement, reflection))
    assert page.status_code == 200
    text = page.text
    assert "Suggestie" in text and "Vaste Begeleider" in text and "vaste stagebegeleider" in text
    assert "<strong>een prent</strong>" in text
    assert attitude.name in text
    # The item's content is shown read-only under its field labels, Markdown rendered safely.
    assert "1) Wat gebeurde er?" in text and "<strong>een toren</strong>" in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text


def test_pool_member_and_coordinator_add_notes_shown_with_their_role(login_as, world, reflection):
    for user, role in ((world.colleague, "(pool)"), (world.coordinator, "(stagecoördinator)")):
        response = login_as(user).post(
            _url(world.placement, reflection),
            data={"kind": "sterkte", "body": f"Notitie van {user.name}"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert "<html" not in response.text  # the panel alone, for htmx
        assert f"Notitie van {user.name}" in response.text and role in response.text


def test_bad_feedback_input_is_a_422_next_to_the_field(login_as, world, reflection):
    client = login_as(world.supervisor)
    response = client.post(
        _url(world.placement, reflection),
        data={"kind": "sterkte", "body": "  "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert 'aria-describedby="feedback-tekst-' in response.text
    assert "Schrijf je feedback in het tekstvak." in response.text
    plain = client.post(_url(world.placement, reflection), data={"body": "Zonder soort"})
    assert plain.status_code == 422
    assert "Kies de soort feedback" in plain.text and "Zonder soort" in plain.text
    bad_tag = client.post(
        _url(world.placement, reflection), data={"kind": "vraag", "body": "x", "attitudes": "abc"}
    )
    assert bad_tag.status_code == 422


def test_feedback_is_still_possible_after_the_portfolio_closed(
    login_as, world, reflection, design, set_now, db
):
    set_now(AFTER_CLOSING)
    response = login_as(world.supervisor).post(
        _url(world.placement, reflection), data={"kind": "groeipunt", "body": "Na afsluiting."}
    )
    assert response.status_code == 303
    mentor = login_as(world.mentor).post(
        _url(world.placement, design), data={"body": "Mentor na afsluiting."}
    )
    assert mentor.status_code == 303
    assert len(db.exec(select(Feedback)).all()) == 2


def test_supervisor_of_another_pool_is_refused(login_as, world, reflection):
    client = login_as(world.outsider)
    assert client.get(_url(world.placement, reflection)).status_code == 403
    assert client.get(_url(world.placement, reflection, "/paneel")).status_code == 403
    assert client.get(f"/stages/{world.placement.id}/feedback").status_code == 403
    response = client.post(
        _url(world.placement, reflection), data={"kind": "vraag", "body": "Mag ik?"}
    )
    assert response.status_code == 403


def test_item_of_another_placement_is_a_404(login_as, world, make_item):
    other_item = make_item(world.other_placement, ItemKind.AANPAK, content={})
    client = login_as(world.supervisor)  # sees both placements (same pool)
    assert client.get(_url(world.placement, other_item)).status_code == 404
    assert (
        client.post(
            _url(world.placement, other_item), data={"kind": "vraag", "body": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/stages/{world.placement.id}/items/99999/feedback").status_code == 404


# ---------------------------------------------------------------- routes: students


def test_student_asks_for_feedback_and_a_supervisor_answers_it(login_as, world, reflection, db):
    student = login_as(world.student)
    asked = student.post(
        _url(world.placement, reflection, "vragen"),
        data={"question": "Is dit diep genoeg?"},
        headers={"HX-Request": "true"},
    )
    assert asked.status_code == 200
    assert "Is dit diep genoeg?" in asked.text and "Nog niet beantwoord" in asked.text
    request = db.exec(select(FeedbackRequest)).one()
    supervisor = login_as(world.supervisor)
    listing = supervisor.get(f"/stages/{world.placement.id}/feedback")
    assert "Open vragen om feedback (1)" in listing.text and "Is dit diep genoeg?" in listing.text
    answered = supervisor.post(
        _url(world.placement, reflection),
        data={"kind": "vraag", "body": "Wat zag je bij de kinderen?", "request_id": request.id},
    )
    assert answered.status_code == 303
    db.expire_all()
    assert db.get(FeedbackRequest, request.id).resolved_at is not None
    page = student.get(_url(world.placement, reflection))
    assert "Nog niet beantwoord" not in page.text
    assert "Antwoord op de vraag: “Is dit diep genoeg?”" in page.text


def test_student_asking_without_a_question_gets_a_422(login_as, world, reflection):
    response = login_as(world.student).post(
        _url(world.placement, reflection, "vragen"), data={"question": ""}
    )
    assert response.status_code == 422
    assert "Schrijf je vraag" in response.text


def test_student_replies_to_feedback_on_own_item(login_as, world, reflection, db):
    feedback = _give(
        db, world.placement, reflection, world.supervisor, kind="vraag", body="Waarom zo?"
    )
    client = login_as(world.student)
    response = client.post(
        _url(world.placement, reflection, f"/{feedback.id}/antwoorden"),
        data={"body": "Omdat de tijd op was."},
    )
    assert response.status_code == 303
    page = client.get(_url(world.placement, reflection))
    assert "Omdat de tijd op was." in page.text and "(student)" in page.text
    empty = client.post(
        _url(world.placement, reflection, f"/{feedback.id}/antwoorden"),
        data={"body": ""},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422 and "Schrijf eerst je antwoord." in empty.text


def test_student_cannot_give_feedback_nor_touch_another_students_items(
    login_as, world, reflection, make_item, db
):
    client = login_as(world.student)
    assert (
        client.post(_url(world.placement, reflection), data={"kind": "vraag", "body": "Zelf"})
    ).status_code == 403
    other = make_item(world.other_placement, ItemKind.AANPAK, content={})
    feedback = _give(db, world.other_placement, other, world.colleague, kind="vraag", body="?")
    assert client.get(_url(world.other_placement, other)).status_code == 403
    assert (
        client.post(_url(world.other_placement, other, "vragen"), data={"question": "Mag ik?"})
    ).status_code == 403
    assert (
        client.post(
            _url(world.other_placement, other, f"/{feedback.id}/antwoorden"), data={"body": "x"}
        )
    ).status_code == 403
    assert db.exec(select(FeedbackReply)).all() == []


def test_closed_portfolio_refuses_student_asks_and_replies(
    login_as, world, reflection, set_now, db
):
    feedback = _give(db, world.placement, reflection, world.supervisor, kind="vraag", body="?")
    set_now(AFTER_CLOSING)
    client = login_as(world.student)
    ask = client.post(_url(world.placement, reflection, "vragen"), data={"question": "Nog iets?"})
    assert ask.status_code == 403 and "afgesloten" in ask.text
    answer = client.post(
        _url(world.placement, reflection, f"/{feedback.id}/antwoorden"), data={"body": "Te laat"}
    )
    assert answer.status_code == 403
    page = client.get(_url(world.placement, reflection))
    assert page.status_code == 200 and "Vraag feedback" not in page.text


# ---------------------------------------------------------------- routes: mentors


def test_mentor_adds_a_note_on_a_visible_item(login_as, world, design):
    client = login_as(world.mentor)
    response = client.post(_url(world.placement, design), data={"body": "Sterk doel."})
    assert response.status_code == 303
    page = client.get(_url(world.placement, design))
    assert "Notitie van de mentor" in page.text and "(mentor)" in page.text
    assert 'name="attitudes"' not in page.text and 'name="kind"' not in page.text


def test_mentor_never_sees_or_writes_on_reflections(login_as, world, reflection):
    client = login_as(world.mentor)
    assert client.get(_url(world.placement, reflection)).status_code == 403
    assert client.get(_url(world.placement, reflection, "/paneel")).status_code == 403
    assert client.post(_url(world.placement, reflection), data={"body": "x"}).status_code == 403
    listing = client.get(f"/stages/{world.placement.id}/feedback")
    assert listing.status_code == 200 and "Stap 5: reflectie" not in listing.text


def test_mentor_of_another_student_is_refused(login_as, world, design):
    client = login_as(world.other_mentor)
    assert client.get(_url(world.placement, design)).status_code == 403
    assert client.post(_url(world.placement, design), data={"body": "x"}).status_code == 403


# ---------------------------------------------------------------- the slot for the item pages


def test_slot_lazy_loads_the_panel_with_a_plain_link_fallback(app, world, reflection, login_as):
    with app.test_request_context():
        html = render_template(
            "supervision/partials/_item_feedback_slot.html",
            placement=world.placement,
            item=reflection,
        )
    panel = _url(world.placement, reflection, "/paneel")
    assert f'hx-get="{panel}"' in html and 'hx-trigger="load"' in html
    assert f'<a href="{_url(world.placement, reflection)}">' in html
    client = login_as(world.student)
    lazy = client.get(panel, headers={"HX-Request": "true"})
    assert lazy.status_code == 200 and "<html" not in lazy.text
    assert f'id="feedback-{reflection.id}"' in lazy.text
    assert client.get(panel).status_code == 302  # without htmx: the full page


# ---------------------------------------------------------------- demo


def test_demo_seed_adds_feedback_a_reply_and_an_open_request(app, db, login_as, make_item):
    from portfolio.demo import seed_base
    from portfolio.demo import supervision as demo_supervision

    with app.app_context():
        demo = seed_base(db)
        demo_supervision.seed(db, demo)  # no items yet: nothing to talk about
        assert db.exec(select(Feedback)).all() == []
        placement = demo.placements["student"]
        reflection = make_item(placement, ItemKind.REFLECTIE, content=REFLECTION)
        make_item(placement, ItemKind.DENKWERK, content={"doel": "Tellen"})
        demo_supervision.seed(db, demo)
        db.commit()
    page = login_as(demo.users["student"]).get(_url(placement, reflection)).text
    assert "Kritische ingesteldheid" in page and "Volgende keer tel ik tot vijf." in page
    overview = login_as(demo.users["begeleider"]).get("/studenten?filter=vragen").text
    assert "Sara Student" in overview and "Tom Tweede" not in overview


def test_panel_runs_a_fixed_number_of_queries(login_as, world, make_item, db, count_queries):
    counts = []
    for n in (1, 5):
        item = make_item(world.placement, ItemKind.AANPAK, content={})
        for i in range(n):
            feedback = fb.give_feedback(
                db,
                placement=world.placement,
                item=item,
                author=(world.supervisor, world.colleague)[i % 2],
                kind="sterkte",
                body=f"Feedback {i}",
                attitude_ids=[a.id for a in _attitudes(db)[:2]],
                moment=MOMENT,
            )
            fb.reply_to(db, feedback=feedback, author=world.student, body="Ok", moment=MOMENT)
        db.commit()
        client = login_as(world.supervisor)
        url = _url(world.placement, item, "/paneel")
        client.get(url, headers={"HX-Request": "true"})
        with count_queries() as counted:
            panel = client.get(url, headers={"HX-Request": "true"})
        assert panel.text.count('class="feedback feedback-sterkte"') == n
        counts.append(counted.n)
    assert counts[0] == counts[1], counts

"""Evaluation pages per role: who may evaluate, propose, decide, warn and read."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.models import (
    Attitude,
    Evaluation,
    Feedback,
    FeedbackAttitude,
    Item,
    ItemKind,
    Placement,
    PlacementStatus,
    Role,
    Synthesis,
    Verdict,
    Warning,
)


def active(db):
    return list(
        db.exec(select(Attitude).where(Attitude.archived_at.is_(None)).order_by(Attitude.position))
    )


def url(world, tail=""):
    return f"/stages/{world.placement.id}/{tail}"


def all_sufficient(db):
    return {f"oordeel-{a.id}": Verdict.SUFFICIENT for a in active(db)}


# ------------------------------------------------------------------ reading


@pytest.mark.parametrize("who", ["supervisor", "colleague", "coordinator", "student", "mentor"])
def test_overview_is_readable_by_the_placements_people(world, login_as, who):
    response = login_as(getattr(world, who)).get(url(world, "evaluatie"))
    assert response.status_code == 200
    assert "Tussentijdse evaluatie" in response.text and "Beslissingsvermogen" in response.text
    # Mentors never see warnings or the synthesis.
    assert ("Waarschuwingen:" in response.text) == (who != "mentor")


@pytest.mark.parametrize("who", ["outsider", "other_mentor", "other_student"])
def test_overview_is_refused_to_outsiders(world, login_as, who):
    assert login_as(getattr(world, who)).get(url(world, "evaluatie")).status_code == 403


def test_overview_runs_a_fixed_number_of_queries(db, world, login_as, count_queries):
    client = login_as(world.supervisor)

    def measure():
        with count_queries() as counted:
            assert client.get(url(world, "evaluatie")).status_code == 200
        return counted.n

    add_events(db, world, 1)
    few = measure()
    add_events(db, world, 4)
    db.add(
        Synthesis(
            placement_id=world.placement.id,
            is_pass=False,
            score=8,
            proposed_by_id=world.colleague.id,
        )
    )
    db.commit()
    assert measure() == few  # the synthesis adds no query: its author comes with the rest


def test_unknown_stage_is_404(world, login_as):
    assert login_as(world.supervisor).get(url(world, "evaluatie/halfweg")).status_code == 404


# ------------------------------------------------------------------ verdicts


def test_supervisor_records_verdicts_and_the_page_shows_current_and_history(
    db, world, login_as, set_now
):
    client = login_as(world.supervisor)
    first = active(db)[0]
    assert client.get(url(world, "evaluatie/tussentijds")).status_code == 200
    response = client.post(
        url(world, "evaluatie/tussentijds"),
        data={
            f"oordeel-{first.id}": "nog-onduidelijk",
            f"reden-{first.id}": "Nog te weinig gezien.",
        },
    )
    assert response.status_code == 303
    set_now(datetime(2025, 10, 9, 10, 0, tzinfo=UTC))
    client.post(url(world, "evaluatie/tussentijds"), data={f"oordeel-{first.id}": "onvoldoende"})
    rows = db.exec(select(Evaluation).order_by(Evaluation.id)).all()
    assert [(r.verdict, r.author_role, r.author_id) for r in rows] == [
        ("nog-onduidelijk", Role.SUPERVISOR, world.supervisor.id),
        ("onvoldoende", Role.SUPERVISOR, world.supervisor.id),
    ]
    page = client.get(url(world, "evaluatie")).text
    assert "Geschiedenis (2)" in page and "Nog te weinig gezien." in page
    assert "Vaste Begeleider" in page
    current_cell = page.split(first.name, 1)[1].split("</tr>", 1)[0]
    assert current_cell.count('class="verdict verdict-onvoldoende"') == 1


def test_unclear_without_reason_is_422_and_stores_nothing(db, world, login_as):
    first, second = active(db)[:2]
    response = login_as(world.colleague).post(
        url(world, "evaluatie/eind"),
        data={f"oordeel-{first.id}": "voldoende", f"oordeel-{second.id}": "nog-onduidelijk"},
    )
    assert response.status_code == 422
    assert "nog onduidelijk is" in response.text and f'id="fout-reden-{second.id}"' in response.text
    assert db.exec(select(Evaluation)).all() == []


@pytest.mark.parametrize("who", ["student", "outsider", "coordinator"])
def test_evaluating_is_refused_to_others(db, world, login_as, who):
    response = login_as(getattr(world, who)).post(
        url(world, "evaluatie/eind"), data=all_sufficient(db)
    )
    assert response.status_code == 403
    assert db.exec(select(Evaluation)).all() == []


def test_mentor_records_their_view_next_to_the_supervisors(db, world, login_as):
    first = active(db)[0]
    login_as(world.supervisor).post(url(world, "evaluatie/eind"), data=all_sufficient(db))
    mentor = login_as(world.mentor)
    response = mentor.post(
        url(world, "evaluatie/eind"), data={f"oordeel-{first.id}": "onvoldoende"}
    )
    assert response.status_code == 303
    mine = db.exec(select(Evaluation).where(Evaluation.author_role == Role.MENTOR)).one()
    assert mine.author_id == world.mentor.id and mine.verdict == Verdict.INSUFFICIENT
    page = login_as(world.supervisor).get(url(world, "evaluatie")).text
    assert "Telt" in page and "mentor oordeelt anders" in page
    # The mentor may not add strengths/growth points, propose, or see warnings.
    assert (
        mentor.post(
            url(world, "evaluatie/eind/opmerkingen"), data={"soort": "sterkte", "tekst": "x"}
        ).status_code
        == 403
    )
    assert (
        mentor.post(
            url(world, "synthese"), data={"voorstel": "geslaagd", "cijfer": "14", "motivatie": "x"}
        ).status_code
        == 403
    )
    assert mentor.get(url(world, "synthese")).status_code == 403
    assert mentor.get(url(world, "waarschuwingen")).status_code == 403
    assert (
        mentor.post(
            url(world, "waarschuwingen"), data={"feiten": "x", "onwenselijk": "y"}
        ).status_code
        == 403
    )


def test_mentor_of_another_student_is_refused(db, world, login_as):
    response = login_as(world.other_mentor).post(
        url(world, "evaluatie/eind"), data={f"oordeel-{active(db)[0].id}": "voldoende"}
    )
    assert response.status_code == 403


def test_archived_and_renamed_attitudes_still_render_their_evaluations(db, world, login_as):
    first, second = active(db)[:2]
    login_as(world.supervisor).post(
        url(world, "evaluatie/tussentijds"),
        data={f"oordeel-{first.id}": "voldoende", f"oordeel-{second.id}": "onvoldoende"},
    )
    first.archived_at = datetime(2025, 10, 8, 12, 0, tzinfo=UTC)
    second.name = "Veerkracht"
    db.add_all([first, second])
    db.commit()
    page = login_as(world.student).get(url(world, "evaluatie")).text
    assert f"{first.name} <small>(gearchiveerd)</small>" in page and "Veerkracht" in page
    timeline = login_as(world.supervisor).get(url(world, "attitudes/tijdlijn"))
    assert timeline.status_code == 200 and first.name in timeline.text


def test_remarks_need_expected_behaviour_for_a_growth_point(db, world, login_as):
    client = login_as(world.supervisor)
    response = client.post(
        url(world, "evaluatie/tussentijds/opmerkingen"),
        data={"soort": "groeikans", "tekst": "Plannen"},
    )
    assert response.status_code == 422 and 'id="fout-verwacht_gedrag"' in response.text
    response = client.post(
        url(world, "evaluatie/tussentijds/opmerkingen"),
        data={
            "soort": "groeikans",
            "tekst": "Plannen",
            "verwacht_gedrag": "Planning vooraf doorsturen.",
            "attitude": str(active(db)[4].id),
        },
    )
    assert response.status_code == 303
    page = login_as(world.student).get(url(world, "evaluatie")).text
    assert "Planning vooraf doorsturen." in page and "Organisatievermogen" in page
    assert (
        login_as(world.student)
        .post(
            url(world, "evaluatie/tussentijds/opmerkingen"), data={"soort": "sterkte", "tekst": "x"}
        )
        .status_code
        == 403
    )


# ------------------------------------------------------------------ synthesis


def test_pass_is_refused_with_an_insufficient_attitude(db, world, login_as):
    client = login_as(world.supervisor)
    data = all_sufficient(db)
    flex = next(a for a in active(db) if a.name == "Flexibiliteit")
    data[f"oordeel-{flex.id}"] = "onvoldoende"
    client.post(url(world, "evaluatie/eind"), data=data)
    response = client.post(
        url(world, "synthese"), data={"voorstel": "geslaagd", "cijfer": "14", "motivatie": "Goed."}
    )
    assert response.status_code == 422 and "onvoldoende voor Flexibiliteit" in response.text
    assert db.exec(select(Synthesis)).all() == []
    bad = client.post(
        url(world, "synthese"),
        data={"voorstel": "niet-geslaagd", "cijfer": "8,5", "motivatie": "x"},
    )
    assert bad.status_code == 422 and "geheel cijfer" in bad.text


def test_pool_colleague_proposes_and_only_the_coordinator_decides(db, world, login_as):
    login_as(world.supervisor).post(url(world, "evaluatie/eind"), data=all_sufficient(db))
    colleague = login_as(world.colleague)
    proposal = {"voorstel": "geslaagd", "cijfer": "15", "motivatie": "Sterk gegroeid."}
    assert colleague.post(url(world, "synthese"), data=proposal).status_code == 303
    decision = {"beslissing": "bevestigd", "notitie": ""}
    for who in ("supervisor", "student", "mentor"):
        assert (
            login_as(getattr(world, who))
            .post(url(world, "synthese/examencommissie"), data=decision)
            .status_code
            == 403
        )
    assert login_as(world.outsider).post(url(world, "synthese"), data=proposal).status_code == 403
    # The student sees the synthesis only after the board decided.
    assert "15/20" not in login_as(world.student).get(url(world, "evaluatie")).text
    coordinator = login_as(world.coordinator)
    assert "Beslissing van de examencommissie" in coordinator.get(url(world, "synthese")).text
    assert (
        coordinator.post(url(world, "synthese/examencommissie"), data=decision).status_code == 303
    )
    synthesis = db.exec(select(Synthesis)).one()
    assert synthesis.board_confirmed is True and synthesis.decided_by_id == world.coordinator.id
    assert "15/20" in login_as(world.student).get(url(world, "evaluatie")).text
    assert "de evaluatie ligt vast" in colleague.get(url(world, "evaluatie")).text
    refused = colleague.post(url(world, "synthese"), data={**proposal, "cijfer": "17"})
    assert refused.status_code == 422 and "ligt vast" in refused.text
    assert (
        coordinator.post(url(world, "synthese/examencommissie"), data=decision).status_code == 422
    )


# ------------------------------------------------------------------ warnings

WARNING = {
    "feiten": "Geen voorbereiding.",
    "onwenselijk": "De kinderen wachten.",
    "ondersteuning": "",
    "afspraken": "Vooraf doorsturen.",
}


def test_third_warning_proposes_the_stop_which_the_coordinator_confirms(db, world, login_as):
    client = login_as(world.supervisor)
    assert client.post(url(world, "waarschuwingen"), data=WARNING).status_code == 303
    # A pool colleague is refused and pointed to a note instead.
    colleague = login_as(world.colleague)
    refused = colleague.post(url(world, "waarschuwingen"), data=WARNING)
    assert refused.status_code == 403 and "notitie" in refused.text
    assert "voeg dan een notitie toe" in colleague.get(url(world, "waarschuwingen")).text
    assert client.post(url(world, "waarschuwingen"), data=WARNING).status_code == 303
    page = client.get(url(world, "waarschuwingen")).text
    assert "Waarschuwing 3 geven" in page and "bevestigingsvraag" in page
    confirm = client.post(url(world, "waarschuwingen"), data=WARNING)
    assert confirm.status_code == 422
    assert "Deze derde waarschuwing stelt voor om de stage stop te zetten" in confirm.text
    assert 'name="bevestig_stopzetting"' in confirm.text and "Geen voorbereiding." in confirm.text
    assert len(db.exec(select(Warning)).all()) == 2
    proposed = client.post(
        url(world, "waarschuwingen"),
        data={**WARNING, "bevestig_stopzetting": "ja"},
        follow_redirects=True,
    )
    assert "de stopzetting is voorgesteld aan de stagecoördinator" in proposed.text
    placement = db.get(Placement, world.placement.id)
    db.refresh(placement)
    assert placement.status == PlacementStatus.ACTIVE
    assert "De stage is stopgezet" not in login_as(world.student).get(url(world, "evaluatie")).text
    stop = url(world, "waarschuwingen/stopzetting")
    assert client.post(stop).status_code == 403
    coordinator = login_as(world.coordinator)
    waiting = coordinator.get("/beheer/stopzettingen").text
    assert (
        world.student.name in waiting and f"/stages/{world.placement.id}/waarschuwingen" in waiting
    )
    assert "Stopzetting bevestigen" in coordinator.get(url(world, "waarschuwingen")).text
    assert coordinator.post(stop).status_code == 303
    db.refresh(placement)
    assert placement.status == PlacementStatus.STOPPED and placement.stopped_at is not None
    assert "Er wachten geen voorstellen" in coordinator.get("/beheer/stopzettingen").text
    fourth = client.post(
        url(world, "waarschuwingen"), data={**WARNING, "bevestig_stopzetting": "ja"}
    )
    assert fourth.status_code == 422 and "vierde" in fourth.text
    student_page = login_as(world.student).get(url(world, "waarschuwingen")).text
    assert (
        "Waarschuwing 3" in student_page
        and '<form method="post" action="/stages' not in student_page
    )
    assert "De stage is stopgezet" in login_as(world.student).get(url(world, "evaluatie")).text


def test_warning_form_is_only_for_the_fixed_supervisor(world, login_as):
    form = f'action="/stages/{world.placement.id}/waarschuwingen"'
    assert form in login_as(world.supervisor).get(url(world, "waarschuwingen")).text
    for who in ("colleague", "student", "coordinator"):
        page = login_as(getattr(world, who)).get(url(world, "waarschuwingen"))
        assert page.status_code == 200 and form not in page.text
    assert login_as(world.supervisor).get("/beheer/stopzettingen").status_code == 403


def test_warning_input_and_roles(db, world, login_as):
    missing = login_as(world.supervisor).post(
        url(world, "waarschuwingen"), data={**WARNING, "feiten": ""}
    )
    assert missing.status_code == 422 and 'id="fout-feiten"' in missing.text
    for who in ("student", "outsider", "coordinator", "other_mentor"):
        assert (
            login_as(getattr(world, who))
            .post(url(world, "waarschuwingen"), data=WARNING)
            .status_code
            == 403
        )
    assert db.exec(select(Warning)).all() == []


# ------------------------------------------------------------------ timeline


def add_events(db, world, n):
    """Add n events of every kind for every attitude."""
    base = datetime(2025, 10, 6, 8, 0, tzinfo=UTC)
    for attitude in active(db):
        for i in range(n):
            at = base + timedelta(days=i * 3)
            db.add(
                Item(
                    placement_id=world.placement.id,
                    kind=ItemKind.ZELFBEELD,
                    attitude_id=attitude.id,
                    content={"tekst": f"Zelfbeeld {attitude.name} {i}"},
                    created_by_id=world.student.id,
                    created_at=base - timedelta(days=7 - i),
                )
            )
            for author in (world.supervisor, world.mentor):
                feedback = Feedback(
                    placement_id=world.placement.id,
                    author_id=author.id,
                    kind="vraag",
                    body=f"Vraag {i} van {author.name}",
                    created_at=at + timedelta(hours=1),
                )
                db.add(feedback)
                db.flush()
                db.add(FeedbackAttitude(feedback_id=feedback.id, attitude_id=attitude.id))
            for author, role in ((world.supervisor, Role.SUPERVISOR), (world.mentor, Role.MENTOR)):
                db.add(
                    Evaluation(
                        placement_id=world.placement.id,
                        stage="tussentijds",
                        attitude_id=attitude.id,
                        verdict="voldoende",
                        author_id=author.id,
                        author_role=role,
                        created_at=at + timedelta(hours=2),
                    )
                )
    db.commit()


def timeline_queries(db, world, login_as, count_queries, n):
    add_events(db, world, n)
    client = login_as(world.supervisor)
    with count_queries() as counted:
        response = client.get(url(world, "attitudes/tijdlijn"))
    assert response.status_code == 200
    return counted.n, response.text


def test_timeline_runs_a_fixed_number_of_queries(db, world, login_as, count_queries):
    few, text = timeline_queries(db, world, login_as, count_queries, 1)
    more, text = timeline_queries(db, world, login_as, count_queries, 4)  # now 5 per kind
    assert few == more
    assert text.count("<title>") == 1 + 8 * 5 * 5  # the figure's own title, then one per marker


def test_timeline_renders_as_text_in_time_order(db, world, login_as):
    add_events(db, world, 2)
    response = login_as(world.student).get(url(world, "attitudes/tijdlijn"))
    assert response.status_code == 200
    section = response.text.split('id="lijst-titel"', 1)[1]
    first = section.split("<h3>", 2)[1]
    assert first.startswith("Beslissingsvermogen")
    items = re.findall(r"<li><time datetime=\"([^\"]+)\">", first)
    assert len(items) == 10 and items == sorted(items)
    assert "Zelfbeeld Beslissingsvermogen 0" in first and "Notitie mentor" in first
    assert "Evaluatie stagebegeleider" in first and "Tussentijdse evaluatie: voldoende" in first
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg"' in response.text and "style=" not in response.text
    )


def test_timeline_is_not_for_mentors(world, login_as):
    assert login_as(world.mentor).get(url(world, "attitudes/tijdlijn")).status_code == 403
    assert login_as(world.outsider).get(url(world, "attitudes/tijdlijn")).status_code == 403


# ------------------------------------------------------------------ in a real browser


@pytest.mark.browser
def test_browser_supervisor_evaluates_and_reads_the_timeline(
    db, world, page, browser_login, live_server
):
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    browser_login(page, world.supervisor)
    page.goto(f"{live_server}/stages/{world.placement.id}/evaluatie/tussentijds")
    first = active(db)[0]
    group = page.get_by_role("group", name=first.name)
    group.get_by_label("nog onduidelijk", exact=True).check()
    page.get_by_role("button", name="Bewaren").click()
    assert page.get_by_text(f"Geef aan wat maakt dat {first.name} nog onduidelijk is.").is_visible()
    page.locator(f"#reden-{first.id}").fill("Nog geen kringmoment gezien.")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/stages/{world.placement.id}/evaluatie")
    assert page.get_by_text("Tussentijdse evaluatie bewaard.").is_visible()
    page.get_by_role("link", name="Tijdlijn per attitude").click()
    assert page.locator("svg[role=img] polygon").count() == 1
    listed = page.locator(".timeline-text li", has_text="nog onduidelijk (Nog geen kringmoment")
    assert listed.count() == 1 and listed.is_visible()
    # The 422 and a missing favicon log "Failed to load resource"; a CSP breach would say "Refused".
    assert not [e for e in errors if "Refused" in e or "Content Security Policy" in e]


def test_two_first_proposals_at_once_give_a_409(db, world, login_as, engine, monkeypatch):
    from tests.test_evaluation_domain import _race

    _race(monkeypatch, engine, world)
    proposal = {"voorstel": "niet-geslaagd", "cijfer": "8", "motivatie": "Te weinig gegroeid."}
    response = login_as(world.supervisor).post(url(world, "synthese"), data=proposal)
    assert response.status_code == 409
    assert "Een collega deed net tegelijk een voorstel" in response.text
    db.expire_all()
    [synthesis] = db.exec(select(Synthesis)).all()
    assert synthesis.score == 15 and synthesis.proposed_by_id == world.colleague.id
    # The page shows the colleague's proposal; changing it now works as a normal change.
    assert "15/20" in login_as(world.supervisor).get(url(world, "synthese")).text
    changed = login_as(world.supervisor).post(url(world, "synthese"), data=proposal)
    assert changed.status_code == 303
    db.expire_all()
    assert db.exec(select(Synthesis)).one().score == 8

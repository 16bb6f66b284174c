"""The placement contract and risk analysis over HTTP: the coordinator's switch, the student
fills in and offers, only the chosen parties sign, the refusals, CSRF and the code check."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from portfolio.clock import BRUSSELS
from portfolio.models import AuditEvent, Notice, Setting, SignedVersion

SETTINGS = "/beheer/documenten"


def _base(world):
    return f"/stages/{world.placement.id}/portfolio"


def switch_on(client, slug="stageovereenkomst", roles=("student", "mentor"), enabled=True):
    data = {"document": slug, f"{slug}-roles": list(roles)}
    if enabled:
        data[f"{slug}-enabled"] = "y"
    return client.post(SETTINGS, data=data)


def fill_in(
    client, world, slug="stageovereenkomst", text="Stageplaats De Zon, maandag tot woensdag"
):
    base = _base(world)
    assert client.get(f"{base}/{slug}").status_code == 200  # a blank form: creates nothing
    response = client.post(f"{base}/bewaren", data={"kind": slug, "version": "0", "tekst": text})
    assert response.status_code == 303


def test_the_coordinator_switches_a_document_on_and_sets_who_signs(db, world, login_as):
    coordinator = login_as(world.coordinator)
    assert SETTINGS in coordinator.get("/beheer").text
    page = coordinator.get(SETTINGS).text
    assert "Wie ondertekent?" in page and "Stageovereenkomst" in page and "Risicoanalyse" in page
    assert 'name="csrf_token"' in page
    assert switch_on(coordinator).status_code == 303
    assert db.get(Setting, "document.stageovereenkomst").value == "aan:student,mentor"
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "document.settings")).one()
    refused = switch_on(coordinator, "risicoanalyse", roles=())
    assert refused.status_code == 422 and "Kies minstens één partij" in refused.text
    assert db.get(Setting, "document.risicoanalyse") is None
    for person in (world.student, world.supervisor, world.mentor):
        assert login_as(person).get(SETTINGS).status_code == 403
        assert switch_on(login_as(person)).status_code == 403


def test_a_document_appears_only_when_switched_on(db, world, login_as):
    base = _base(world)
    student = login_as(world.student)
    assert student.get(f"{base}/stageovereenkomst").status_code == 404
    assert student.post(f"{base}/stageovereenkomst/aanbieden").status_code == 404
    assert "stageovereenkomst" not in student.get(base).text
    switch_on(login_as(world.coordinator))
    overview = student.get(base).text
    assert f"{base}/stageovereenkomst" in overview and f"{base}/risicoanalyse" not in overview
    page = student.get(f"{base}/stageovereenkomst").text
    assert "<h1>Stageovereenkomst" in page and 'accept="' in page  # the PDF upload widget
    assert "Wie ondertekent? De student en de mentor." in page
    assert student.post(f"{base}/onbekend/ondertekenen").status_code == 404


def test_the_student_offers_and_only_the_chosen_parties_sign(db, world, login_as):
    switch_on(login_as(world.coordinator))
    base = _base(world)
    student = login_as(world.student)
    fill_in(student, world)
    page = student.get(f"{base}/stageovereenkomst").text
    assert "Ter ondertekening aanbieden" in page
    assert student.post(f"{base}/stageovereenkomst/aanbieden").status_code == 303
    asked = db.exec(select(Notice).where(Notice.subject.contains("vraagt je handtekening"))).all()
    assert [n.recipient_id for n in asked] == [world.mentor.id]
    assert "onder de stageovereenkomst" in asked[0].subject
    assert asked[0].url.endswith(f"{base}/stageovereenkomst")

    # The supervisor is no party here; others are refused as for the stagepakket.
    assert (
        login_as(world.supervisor).post(f"{base}/stageovereenkomst/ondertekenen").status_code == 403
    )
    for outsider in (world.colleague, world.other_student, world.other_mentor):
        client = login_as(outsider)
        assert client.post(f"{base}/stageovereenkomst/ondertekenen").status_code == 403
        # A pool colleague reads the portfolio; other students and mentors do not.
        expected = 200 if outsider is world.colleague else 403
        assert client.get(f"{base}/stageovereenkomst").status_code == expected
    for person in (world.supervisor, world.mentor):
        assert login_as(person).post(f"{base}/stageovereenkomst/aanbieden").status_code == 403

    mentor = login_as(world.mentor)
    assert "Stageovereenkomst bekijken en ondertekenen" in mentor.get("/mentor").text
    assert "Onderteken als mentor" in mentor.get(f"{base}/stageovereenkomst").text
    assert mentor.post(f"{base}/stageovereenkomst/ondertekenen").status_code == 303
    assert student.post(f"{base}/stageovereenkomst/ondertekenen").status_code == 303
    page = student.get(f"{base}/stageovereenkomst").text
    assert "Ondertekend door alle partijen" in page and "Stageovereenkomst wijzigen" in page
    assert "data-autosave" not in page
    # The stagepakket is not touched by it.
    assert "Ondertekend door" not in student.get(f"{base}/stagepakket").text

    # Reopening asks first, then voids and tells the mentor.
    confirm = student.get(f"{base}/stageovereenkomst/wijzigen")
    assert confirm.status_code == 200 and "Je stageovereenkomst is ondertekend" in confirm.text
    assert student.post(f"{base}/stageovereenkomst/wijzigen").status_code == 303
    voided = db.exec(select(Notice).where(Notice.subject.contains("vervallen"))).all()
    assert [n.recipient_id for n in voided] == [world.mentor.id]


def test_print_pdf_and_the_verification_code_of_a_signed_risk_analysis(db, world, login_as, client):
    switch_on(login_as(world.coordinator), "risicoanalyse", roles=("student", "begeleider"))
    base = _base(world)
    student = login_as(world.student)
    fill_in(student, world, "risicoanalyse", "Geen gevaarlijke stoffen; vaccinatie ok")
    student.post(f"{base}/risicoanalyse/ondertekenen")
    login_as(world.supervisor).post(f"{base}/risicoanalyse/ondertekenen")
    version = db.exec(select(SignedVersion)).one()
    versions = student.get(f"{base}/risicoanalyse/handtekeningen").text
    assert version.code in versions and "Ondertekende versies van de risicoanalyse" in versions
    printed = student.get(f"{base}/risicoanalyse/versies/{version.id}").text
    assert "Geen gevaarlijke stoffen" in printed and version.code in printed
    pdf = student.get(f"{base}/risicoanalyse/versies/{version.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert f"risicoanalyse-{version.code}" in pdf.headers["Content-Disposition"]
    assert (
        login_as(world.other_student).get(f"{base}/risicoanalyse/versies/{version.id}").status_code
        == 403
    )
    # A version of another document is not found under this one's URL.
    assert student.get(f"{base}/stagepakket/versies/{version.id}").status_code == 404

    page = client.get("/controle", query_string={"code": version.code}).text
    assert "Risicoanalyse van student S. E." in page and "niet gewijzigd" in page
    assert "Stagebegeleider: ondertekend" in page and "gevaarlijke" not in page


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_posts_without_a_csrf_token_are_refused(csrf_app, db, world, login_as):
    base = _base(world)
    assert switch_on(login_as(world.coordinator)).status_code == 400
    assert db.get(Setting, "document.stageovereenkomst") is None
    student = login_as(world.student)
    for action in ("aanbieden", "ondertekenen", "wijzigen"):
        assert student.post(f"{base}/stageovereenkomst/{action}").status_code == 400


def test_a_closed_portfolio_refuses_the_student_but_not_the_other_signers(
    db, world, login_as, set_now
):
    switch_on(login_as(world.coordinator))
    student = login_as(world.student)
    fill_in(student, world)
    set_now(datetime(2025, 11, 8, 0, 0, 1, tzinfo=BRUSSELS))  # after the placement's close
    base = _base(world)
    for url in ("/stageovereenkomst/aanbieden", "/stageovereenkomst/ondertekenen"):
        response = student.post(base + url)
        assert response.status_code == 403 and "afgesloten" in response.text
    assert db.exec(select(SignedVersion)).first() is None
    # The closing deadline binds the student; the mentor may still sign what was written.
    mentor = login_as(world.mentor)
    assert mentor.post(f"{base}/stageovereenkomst/ondertekenen").status_code == 303

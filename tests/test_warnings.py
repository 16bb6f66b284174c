"""Warnings: by the fixed supervisor, numbered per placement; the third proposes the stop and the
coordinator confirms it."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from portfolio.access import require_student_write
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import DomainError, FieldError, Forbidden, PortfolioClosed
from portfolio.domain.warnings import (
    StopConfirmationRequired,
    confirm_stop,
    pending_stop,
    record_warning,
    stop_proposals,
)
from portfolio.models import AuditEvent, Placement, PlacementStatus, User, Warning

MOMENT = datetime(2025, 10, 20, 9, 0, tzinfo=UTC)


def warn(db, world, placement=None, actor=None, **fields):
    values = dict(
        facts="Drie keer te laat, geen voorbereiding.",
        undesirable="De kinderen wachten; de mentor kan niet plannen.",
        support="Gesprek over planning.",
        agreements="Voorbereiding de avond voordien doorsturen.",
    )
    values.update(fields)
    placement = placement or world.placement
    if actor is None:
        actor = db.get(User, placement.supervisor_id)
    return record_warning(db, placement, actor=actor, moment=MOMENT, **values)


def test_the_third_warning_proposes_the_stop_and_the_coordinator_confirms_it(db, world):
    assert warn(db, world).number == 1
    assert warn(db, world).number == 2
    with pytest.raises(StopConfirmationRequired, match="stelt voor om de stage stop te zetten"):
        warn(db, world)
    assert len(db.exec(select(Warning)).all()) == 2  # nothing stored without confirmation
    third = warn(db, world, confirm_stop=True)
    db.commit()
    placement = db.get(Placement, world.placement.id)
    assert third.number == 3
    # Proposed, not stopped: the placement runs and the portfolio stays open.
    assert placement.status == PlacementStatus.ACTIVE and placement.stopped_at is None
    assert not is_closed(placement, MOMENT)
    assert pending_stop(db, placement).id == third.id
    assert [(p.id, w.id) for p, w in stop_proposals(db)] == [(placement.id, third.id)]
    proposed = db.exec(select(AuditEvent).where(AuditEvent.action == "placement.stop_proposed"))
    assert proposed.one().detail["facts"] == third.facts
    # Nobody but the coordinator stops it for the programme.
    for who in (world.supervisor, world.colleague, world.mentor, world.student):
        with pytest.raises(Forbidden):
            confirm_stop(db, placement, actor=who, moment=MOMENT)
    assert placement.status == PlacementStatus.ACTIVE
    confirm_stop(db, placement, actor=world.coordinator, moment=MOMENT)
    db.commit()
    assert placement.status == PlacementStatus.STOPPED and placement.stopped_at == MOMENT
    assert is_closed(placement, MOMENT)
    assert pending_stop(db, placement) is None and stop_proposals(db) == []
    stopped = db.exec(select(AuditEvent).where(AuditEvent.action == "placement.stopped")).one()
    assert stopped.actor_id == world.coordinator.id
    assert [w["number"] for w in stopped.detail["warnings"]] == [1, 2, 3]
    assert stopped.detail["facts"] == third.facts
    with pytest.raises(DomainError, match="vierde"):
        warn(db, world, confirm_stop=True)
    with pytest.raises(DomainError, match="al stopgezet"):
        confirm_stop(db, placement, actor=world.coordinator, moment=MOMENT)


def test_a_stop_without_a_third_warning_is_refused(db, world):
    warn(db, world)
    with pytest.raises(DomainError, match="geen voorstel tot stopzetting"):
        confirm_stop(db, world.placement, actor=world.coordinator, moment=MOMENT)
    assert db.get(Placement, world.placement.id).status == PlacementStatus.ACTIVE


def test_only_the_fixed_supervisor_warns(db, world):
    for who in (world.colleague, world.mentor, world.coordinator, world.outsider):
        with pytest.raises(Forbidden, match="vaste stagebegeleider"):
            warn(db, world, actor=who)
    assert db.exec(select(Warning)).all() == []


def test_numbers_are_per_placement(db, world):
    warn(db, world)
    warn(db, world)
    assert warn(db, world, placement=world.other_placement).number == 1


def test_facts_and_what_is_undesirable_are_required(db, world):
    with pytest.raises(FieldError) as refused:
        warn(db, world, facts=" ")
    assert refused.value.field == "feiten"
    with pytest.raises(FieldError) as refused:
        warn(db, world, undesirable="")
    assert refused.value.field == "onwenselijk"


def test_a_stopped_placements_student_can_read_but_not_write(app, db, world, login_as):
    from flask_login import login_user

    with app.test_request_context():
        login_user(world.student)
        require_student_write(world.placement)  # open before the third warning
    warn(db, world)
    warn(db, world)
    warn(db, world, confirm_stop=True)
    confirm_stop(db, world.placement, actor=world.coordinator, moment=MOMENT)
    db.commit()
    # Reading still works.
    page = login_as(world.student).get(f"/stages/{world.placement.id}/waarschuwingen")
    assert page.status_code == 200 and "Waarschuwing 3" in page.text
    # Writing is refused by the one check every student write calls.
    with app.test_request_context():
        login_user(world.student)
        with pytest.raises(PortfolioClosed):
            require_student_write(db.get(Placement, world.placement.id))


def test_two_supervisors_warning_at_once_get_a_conflict_not_a_crash(db, world, monkeypatch):
    from portfolio.domain import warnings as warnings_module
    from portfolio.domain.errors import VersionConflict

    warn(db, world)
    db.commit()
    # The second supervisor's page still counted no warnings when they saved.
    monkeypatch.setattr(warnings_module, "warning_count", lambda session, placement: 0)
    with pytest.raises(VersionConflict, match="waarschuwing 1"):
        warn(db, world)
    db.commit()  # the request's other work survives the clash
    assert [w.number for w in db.exec(select(Warning))] == [1]


def test_the_coordinators_list_of_proposals_runs_a_fixed_number_of_queries(
    db, world, login_as, count_queries
):
    client = login_as(world.coordinator)

    def measure():
        with count_queries() as counted:
            page = client.get("/beheer/stopzettingen")
        assert page.status_code == 200
        return counted.n, page.text

    for _ in range(3):
        warn(db, world, confirm_stop=True)
    db.commit()
    one, text = measure()
    assert world.student.name in text
    for _ in range(3):
        warn(db, world, placement=world.other_placement, confirm_stop=True)
    db.commit()
    two, text = measure()
    assert world.other_student.name in text and one == two

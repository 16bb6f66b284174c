"""Evaluation rules without HTTP: append-only verdicts, remarks, the pass rule, the board."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from portfolio.domain.errors import DomainError, FieldError
from portfolio.domain.evaluation import add_remark, attitudes_for, record_evaluation
from portfolio.domain.evaluation_lock import EvaluationLocked, reopen_evaluation
from portfolio.domain.evaluation_summary import summarize
from portfolio.domain.evaluation_synthesis import decide_synthesis, propose_synthesis
from portfolio.models import (
    Attitude,
    AuditEvent,
    Evaluation,
    EvaluationStage,
    Role,
    Verdict,
)

MOMENT = datetime(2025, 11, 6, 10, 0, tzinfo=UTC)
FINAL = EvaluationStage.FINAL
MIDTERM = EvaluationStage.MIDTERM


def active(db):
    return list(
        db.exec(select(Attitude).where(Attitude.archived_at.is_(None)).order_by(Attitude.position))
    )


def evaluate(
    db, world, attitude, verdict, *, stage=FINAL, reason="", role=Role.SUPERVISOR, at=MOMENT
):
    actor = world.mentor if role == Role.MENTOR else world.supervisor
    return record_evaluation(
        db,
        world.placement,
        attitude=attitude,
        stage=stage,
        verdict=verdict,
        reason=reason,
        actor=actor,
        role=role,
        moment=at,
    )


def evaluate_all(db, world, verdict=Verdict.SUFFICIENT, *, stage=FINAL, at=MOMENT):
    for attitude in active(db):
        evaluate(db, world, attitude, verdict, stage=stage, at=at)


def propose(db, world, *, is_pass=True, score=14, motivation="Mooi gegroeid."):
    return propose_synthesis(
        db,
        world.placement,
        is_pass=is_pass,
        score=score,
        motivation=motivation,
        actor=world.supervisor,
        moment=MOMENT,
    )


def test_every_attitude_sufficient_allows_a_pass(db, world):
    evaluate_all(db, world)
    synthesis = propose(db, world)
    db.commit()
    assert synthesis.is_pass and synthesis.score == 14
    actions = db.exec(select(AuditEvent.action)).all()
    assert "synthesis.proposed" in actions


def test_one_final_insufficient_refuses_a_pass_and_names_the_attitude(db, world):
    evaluate_all(db, world)
    flex = next(a for a in active(db) if a.name == "Flexibiliteit")
    evaluate(db, world, flex, Verdict.INSUFFICIENT, at=MOMENT + timedelta(hours=1))
    with pytest.raises(DomainError, match="onvoldoende voor Flexibiliteit"):
        propose(db, world)
    # Not passing stays possible, with a score below 10.
    assert propose(db, world, is_pass=False, score=8).is_pass is False


def test_midterm_insufficient_but_final_sufficient_allows_a_pass(db, world):
    evaluate_all(db, world, Verdict.INSUFFICIENT, stage=MIDTERM)
    evaluate_all(db, world, at=MOMENT + timedelta(days=20))
    assert propose(db, world).is_pass


def test_a_changed_final_verdict_counts_not_the_old_one(db, world):
    evaluate_all(db, world, Verdict.INSUFFICIENT)
    evaluate_all(db, world, at=MOMENT + timedelta(hours=1))
    assert propose(db, world).is_pass


def test_missing_or_unclear_final_verdict_refuses_a_pass(db, world):
    attitudes = active(db)
    for attitude in attitudes[1:]:
        evaluate(db, world, attitude, Verdict.SUFFICIENT)
    with pytest.raises(FieldError, match=f"nog geen eindoordeel voor {attitudes[0].name}"):
        propose(db, world)
    evaluate(db, world, attitudes[0], Verdict.UNCLEAR, reason="Te weinig gezien.")
    with pytest.raises(FieldError, match=f"nog onduidelijk voor {attitudes[0].name}"):
        propose(db, world)


def test_the_mentors_verdict_does_not_decide(db, world):
    evaluate_all(db, world)
    first = active(db)[0]
    evaluate(db, world, first, Verdict.INSUFFICIENT, role=Role.MENTOR)
    assert propose(db, world).is_pass
    row = summarize(db, world.placement).stages[FINAL][0]
    assert row.differs and row.supervisor.verdict == Verdict.SUFFICIENT
    assert row.mentor.verdict == Verdict.INSUFFICIENT


@pytest.mark.parametrize(
    ("is_pass", "score", "field"),
    [
        (True, 21, "cijfer"),
        (True, -1, "cijfer"),
        (False, 25, "cijfer"),
        (True, 9, "cijfer"),
        (False, 10, "cijfer"),
        (True, True, "cijfer"),
    ],
)
def test_score_out_of_range_or_inconsistent_is_refused(db, world, is_pass, score, field):
    evaluate_all(db, world)
    with pytest.raises(FieldError) as refused:
        propose(db, world, is_pass=is_pass, score=score)
    assert refused.value.field == field


def test_motivation_is_required(db, world):
    with pytest.raises(FieldError, match="Motiveer"):
        propose(db, world, is_pass=False, score=5, motivation="  ")


def test_board_decision_makes_the_synthesis_final(db, world):
    evaluate_all(db, world)
    propose(db, world, score=12)
    propose(db, world, score=15)  # before the board decides the proposal may change
    with pytest.raises(FieldError, match="niet bevestigt"):
        decide_synthesis(
            db, world.placement, confirmed=False, note="", actor=world.coordinator, moment=MOMENT
        )
    synthesis = decide_synthesis(
        db, world.placement, confirmed=True, note="", actor=world.coordinator, moment=MOMENT
    )
    assert synthesis.board_confirmed and synthesis.score == 15
    with pytest.raises(DomainError, match="ligt vast"):
        propose(db, world, score=16)
    with pytest.raises(DomainError, match="besliste al"):
        decide_synthesis(
            db, world.placement, confirmed=False, note="x", actor=world.coordinator, moment=MOMENT
        )
    db.commit()
    details = db.exec(
        select(AuditEvent.detail).where(AuditEvent.action == "synthesis.proposed")
    ).all()
    assert [d["score"] for d in details] == [12, 15]
    assert details[1]["previous"] == {"is_pass": True, "score": 12}


def test_board_needs_a_proposal(db, world):
    with pytest.raises(DomainError, match="nog geen voorstel"):
        decide_synthesis(
            db, world.placement, confirmed=True, note="", actor=world.coordinator, moment=MOMENT
        )


def test_evaluations_are_append_only_with_history(db, world):
    attitude = active(db)[0]
    first = evaluate(db, world, attitude, Verdict.UNCLEAR, stage=MIDTERM, reason="Nog te vroeg.")
    same = evaluate(db, world, attitude, Verdict.UNCLEAR, stage=MIDTERM, reason="Nog te vroeg.")
    assert same.id == first.id  # nothing changed, nothing added
    later = MOMENT + timedelta(days=1)
    second = evaluate(db, world, attitude, Verdict.SUFFICIENT, stage=MIDTERM, at=later)
    db.commit()
    rows = db.exec(select(Evaluation).order_by(Evaluation.id)).all()
    assert [(r.id, r.verdict) for r in rows] == [
        (first.id, Verdict.UNCLEAR),
        (second.id, Verdict.SUFFICIENT),
    ]
    row = summarize(db, world.placement).stages[MIDTERM][0]
    assert row.supervisor.id == second.id
    assert [e.id for e in row.history] == [second.id, first.id]


def test_unclear_needs_a_reason(db, world):
    attitude = active(db)[0]
    with pytest.raises(FieldError, match="onduidelijk") as refused:
        evaluate(db, world, attitude, Verdict.UNCLEAR, reason=" ")
    assert refused.value.field == f"reden-{attitude.id}"
    with pytest.raises(FieldError):
        evaluate(db, world, attitude, "goed")


def test_archived_or_renamed_attitude_keeps_its_evaluations(db, world):
    attitude = active(db)[0]
    never_used = active(db)[1]
    evaluate(db, world, attitude, Verdict.SUFFICIENT)
    attitude.archived_at = MOMENT
    never_used.archived_at = MOMENT
    db.add_all([attitude, never_used])
    db.commit()
    listed = attitudes_for(db, world.placement)
    assert attitude in listed and never_used not in listed
    assert listed[-1].id == attitude.id  # archived ones come after the active list
    with pytest.raises(DomainError, match="gearchiveerd"):
        evaluate(db, world, attitude, Verdict.INSUFFICIENT)
    # An archived attitude no longer has to be reached for a pass.
    for other in active(db):
        evaluate(db, world, other, Verdict.SUFFICIENT)
    assert propose(db, world).is_pass


def test_growth_point_needs_expected_behaviour(db, world):
    kwargs = dict(stage=MIDTERM, attitude=None, actor=world.supervisor, moment=MOMENT)
    with pytest.raises(FieldError, match="gedrag") as refused:
        add_remark(
            db, world.placement, kind="groeikans", text="Plannen", expected_behaviour="", **kwargs
        )
    assert refused.value.field == "verwacht_gedrag"
    remark = add_remark(
        db,
        world.placement,
        kind="groeikans",
        text="Plannen",
        expected_behaviour="Een dagplanning vooraf doorsturen.",
        **kwargs,
    )
    strength = add_remark(
        db, world.placement, kind="sterkte", text="Warm contact", expected_behaviour="x", **kwargs
    )
    assert remark.expected_behaviour and strength.expected_behaviour == ""
    with pytest.raises(FieldError):
        add_remark(db, world.placement, kind="sterkte", text="", expected_behaviour="", **kwargs)
    with pytest.raises(FieldError):
        add_remark(db, world.placement, kind="iets", text="x", expected_behaviour="", **kwargs)


def test_board_cannot_confirm_a_pass_the_final_verdicts_no_longer_carry(db, world):
    evaluate_all(db, world)
    propose(db, world)
    evaluate(db, world, active(db)[2], Verdict.INSUFFICIENT, at=MOMENT + timedelta(hours=1))
    with pytest.raises(DomainError, match=f"onvoldoende voor {active(db)[2].name}"):
        decide_synthesis(
            db, world.placement, confirmed=True, note="", actor=world.coordinator, moment=MOMENT
        )
    # Not confirming stays possible.
    decided = decide_synthesis(
        db, world.placement, confirmed=False, note="Tekort.", actor=world.coordinator, moment=MOMENT
    )
    assert decided.board_confirmed is False


def test_every_evaluation_is_locked_for_everyone_once_the_board_decided(db, world):
    evaluate_all(db, world)
    propose(db, world)
    decide_synthesis(
        db, world.placement, confirmed=True, note="", actor=world.coordinator, moment=MOMENT
    )
    first = active(db)[0]
    later = MOMENT + timedelta(days=1)
    with pytest.raises(EvaluationLocked, match="ligt vast"):
        evaluate(db, world, first, Verdict.INSUFFICIENT, at=later)
    # The mid-term, and the mentor's final verdict too: the decision locks all of them.
    with pytest.raises(EvaluationLocked):
        evaluate(db, world, first, Verdict.SUFFICIENT, stage=MIDTERM, at=later)
    with pytest.raises(EvaluationLocked):
        evaluate(db, world, first, Verdict.INSUFFICIENT, role=Role.MENTOR, at=later)
    with pytest.raises(EvaluationLocked):
        add_remark(
            db,
            world.placement,
            stage=FINAL,
            kind="sterkte",
            text="Nog iets.",
            expected_behaviour="",
            attitude=None,
            actor=world.supervisor,
            moment=later,
        )
    assert db.exec(select(Evaluation).where(Evaluation.created_at == later)).first() is None


def test_only_the_coordinator_reopens_with_a_reason_and_it_is_logged(db, world):
    evaluate_all(db, world)
    with pytest.raises(DomainError, match="besliste nog niet"):
        reopen_evaluation(db, world.placement, reason="x", actor=world.coordinator, moment=MOMENT)
    propose(db, world)
    decide_synthesis(
        db, world.placement, confirmed=True, note="Goed.", actor=world.coordinator, moment=MOMENT
    )
    with pytest.raises(DomainError, match="stagecoördinator"):
        reopen_evaluation(db, world.placement, reason="Fout", actor=world.supervisor, moment=MOMENT)
    with pytest.raises(FieldError, match="waarom"):
        reopen_evaluation(db, world.placement, reason="  ", actor=world.coordinator, moment=MOMENT)
    reopen_evaluation(
        db,
        world.placement,
        reason="Verkeerde attitude beoordeeld.",
        actor=world.coordinator,
        moment=MOMENT + timedelta(days=2),
    )
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "evaluation.reopened")).one()
    assert event.detail["reason"] == "Verkeerde attitude beoordeeld."
    assert event.detail["previous_decision"]["confirmed"] is True
    assert event.actor_id == world.coordinator.id
    # Open again: the mentor and the supervisor can change their verdicts, then the board
    # decides again, which locks everything once more.
    first = active(db)[0]
    later = MOMENT + timedelta(days=3)
    assert evaluate(db, world, first, Verdict.UNCLEAR, reason="Twijfel", role=Role.MENTOR, at=later)
    propose(db, world, score=13)
    decide_synthesis(
        db, world.placement, confirmed=True, note="", actor=world.coordinator, moment=later
    )
    with pytest.raises(EvaluationLocked):
        evaluate(db, world, first, Verdict.SUFFICIENT, role=Role.MENTOR, at=later)


def _race(monkeypatch, engine, world, *, score=15):
    """Let a colleague's first proposal be committed (through a second session) right after
    propose_synthesis looked and found none: the race of two first proposals."""
    from sqlmodel import Session

    from portfolio.domain import evaluation_synthesis
    from portfolio.models import Synthesis

    found_none = evaluation_synthesis.synthesis_of

    def racing(session, placement):
        monkeypatch.setattr(evaluation_synthesis, "synthesis_of", found_none)
        with Session(engine) as other:
            other.add(
                Synthesis(
                    placement_id=placement.id,
                    is_pass=True,
                    score=score,
                    motivation="Voorstel van de collega.",
                    proposed_by_id=world.colleague.id,
                    proposed_at=MOMENT,
                )
            )
            other.commit()
        return None

    monkeypatch.setattr(evaluation_synthesis, "synthesis_of", racing)


def test_two_first_proposals_at_once_give_a_conflict_not_a_crash(db, world, engine, monkeypatch):
    from portfolio.domain.errors import VersionConflict
    from portfolio.models import Synthesis

    db.commit()
    _race(monkeypatch, engine, world)
    with pytest.raises(VersionConflict, match="Een collega deed net tegelijk een voorstel"):
        propose(db, world, is_pass=False, score=8, motivation="Te weinig gegroeid.")
    # The savepoint kept the session usable: it still reads and commits.
    [synthesis] = db.exec(select(Synthesis)).all()
    assert synthesis.score == 15 and synthesis.proposed_by_id == world.colleague.id
    assert "synthesis.proposed" not in db.exec(select(AuditEvent.action)).all()
    db.commit()

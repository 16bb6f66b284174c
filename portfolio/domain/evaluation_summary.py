"""Evaluation by attitudes, read: the page's summary per stage and why a student cannot pass yet."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from portfolio.domain.evaluation import attitudes_for, current_verdicts, evaluations_of
from portfolio.domain.evaluation_lock import synthesis_of
from portfolio.domain.people import users_by_id
from portfolio.models import (
    Attitude,
    Evaluation,
    EvaluationRemark,
    EvaluationStage,
    Placement,
    Role,
    Synthesis,
    User,
    Verdict,
)


@dataclass
class AttitudeVerdicts:
    """One attitude in one stage: the supervisor's verdict (decisive), the mentor's, history."""

    attitude: Attitude
    supervisor: Evaluation | None = None
    mentor: Evaluation | None = None
    history: list[Evaluation] = field(default_factory=list)  # newest first

    @property
    def differs(self) -> bool:
        """Return whether mentor and supervisor gave different verdicts (both stay visible)."""
        return bool(
            self.supervisor and self.mentor and self.supervisor.verdict != self.mentor.verdict
        )


@dataclass
class EvaluationSummary:
    attitudes: list[Attitude]
    stages: dict[str, list[AttitudeVerdicts]]
    remarks: dict[str, list[EvaluationRemark]]
    authors: dict[int, User]
    synthesis: Synthesis | None


def summarize(session: Session, placement: Placement) -> EvaluationSummary:
    """Collect verdicts, history, remarks and synthesis in a fixed number of queries."""
    attitudes = attitudes_for(session, placement)
    evaluations = evaluations_of(session, placement)
    remarks = list(
        session.exec(
            select(EvaluationRemark)
            .where(EvaluationRemark.placement_id == placement.id)
            .order_by(EvaluationRemark.created_at, EvaluationRemark.id)
        )
    )
    synthesis = synthesis_of(session, placement)
    author_ids = {e.author_id for e in evaluations} | {r.author_id for r in remarks}
    if synthesis is not None:
        author_ids |= {synthesis.proposed_by_id, synthesis.decided_by_id} - {None}
    authors = users_by_id(session, author_ids)
    stages: dict[str, list[AttitudeVerdicts]] = {}
    for stage in EvaluationStage:
        rows = {a.id: AttitudeVerdicts(attitude=a) for a in attitudes}
        for evaluation in evaluations:
            row = rows.get(evaluation.attitude_id)
            if evaluation.stage != stage or row is None:
                continue
            row.history.insert(0, evaluation)
            if evaluation.author_role == Role.MENTOR:
                row.mentor = evaluation
            else:
                row.supervisor = evaluation
        stages[stage] = list(rows.values())
    by_stage = {stage: [r for r in remarks if r.stage == stage] for stage in EvaluationStage}
    return EvaluationSummary(attitudes, stages, by_stage, authors, synthesis)


def pass_blockers(session: Session, placement: Placement) -> list[str]:
    """Return why the student cannot pass yet (Dutch phrases naming the attitudes), or []."""
    attitudes = attitudes_for(session, placement)
    current = current_verdicts(evaluations_of(session, placement))
    insufficient, unclear, missing = [], [], []
    for attitude in attitudes:
        final = current.get((EvaluationStage.FINAL, Role.SUPERVISOR, attitude.id))
        if final is not None and final.verdict == Verdict.INSUFFICIENT:
            insufficient.append(attitude.name)
        elif attitude.archived_at is not None:
            continue  # an archived attitude no longer has to be reached, only not failed
        elif final is None:
            missing.append(attitude.name)
        elif final.verdict == Verdict.UNCLEAR:
            unclear.append(attitude.name)
    blockers = []
    if insufficient:
        blockers.append("onvoldoende voor " + ", ".join(insufficient))
    if unclear:
        blockers.append("nog onduidelijk voor " + ", ".join(unclear))
    if missing:
        blockers.append("nog geen eindoordeel voor " + ", ".join(missing))
    return blockers

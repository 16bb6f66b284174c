"""Evaluation by attitudes: the labels, and recording append-only verdicts and remarks.

The page's summary and the pass blockers are in evaluation_summary.py, the synthesis proposal
and the exam board's decision in evaluation_synthesis.py, the lock in evaluation_lock.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError
from portfolio.domain.evaluation_lock import check_open
from portfolio.models import (
    Attitude,
    Evaluation,
    EvaluationRemark,
    EvaluationStage,
    Placement,
    Role,
    User,
    Verdict,
)

STAGE_LABELS = {
    EvaluationStage.MIDTERM: "Tussentijdse evaluatie",
    EvaluationStage.FINAL: "Eindevaluatie",
}
VERDICT_LABELS = {
    Verdict.SUFFICIENT: "voldoende",
    Verdict.INSUFFICIENT: "onvoldoende",
    Verdict.UNCLEAR: "nog onduidelijk",
}
AUTHOR_ROLES = (Role.SUPERVISOR, Role.MENTOR)
STRENGTH = "sterkte"
GROWTH = "groeikans"
REMARK_LABELS = {STRENGTH: "Sterkte", GROWTH: "Groeikans"}


def parse_stage(value: str) -> EvaluationStage | None:
    """Return the evaluation stage for a URL part, or None if it is not one."""
    try:
        return EvaluationStage(value)
    except ValueError:
        return None


def attitudes_for(session: Session, placement: Placement) -> list[Attitude]:
    """Return the active attitudes, then archived ones this placement was already evaluated on."""
    evaluated = select(Evaluation.attitude_id).where(Evaluation.placement_id == placement.id)
    remarked = select(EvaluationRemark.attitude_id).where(
        EvaluationRemark.placement_id == placement.id, EvaluationRemark.attitude_id.is_not(None)
    )
    statement = (
        select(Attitude)
        .where(
            or_(
                Attitude.archived_at.is_(None),
                Attitude.id.in_(evaluated),
                Attitude.id.in_(remarked),
            )
        )
        .order_by(Attitude.archived_at.is_not(None), Attitude.position, Attitude.id)
    )
    return list(session.exec(statement))


def evaluations_of(session: Session, placement: Placement) -> list[Evaluation]:
    """Return every evaluation row of the placement, oldest first."""
    return list(
        session.exec(
            select(Evaluation)
            .where(Evaluation.placement_id == placement.id)
            .order_by(Evaluation.created_at, Evaluation.id)
        )
    )


def current_verdicts(evaluations: list[Evaluation]) -> dict[tuple[str, str, int], Evaluation]:
    """Map (stage, author role, attitude id) to the newest evaluation; rows are oldest first."""
    current: dict[tuple[str, str, int], Evaluation] = {}
    for evaluation in evaluations:
        current[(evaluation.stage, evaluation.author_role, evaluation.attitude_id)] = evaluation
    return current


def record_evaluation(
    session: Session,
    placement: Placement,
    *,
    attitude: Attitude,
    stage: str,
    verdict: str,
    reason: str,
    actor: User,
    role: str,
    moment: datetime,
) -> Evaluation:
    """Add a verdict on one attitude; an unchanged verdict adds nothing, a changed one a new row.

    `nog onduidelijk` needs the reason that makes it unclear. Nothing is ever overwritten.
    """
    stage = _checked_stage(stage)
    if role not in AUTHOR_ROLES:
        raise DomainError("Alleen de stagebegeleider of de mentor kan een attitude evalueren.")
    if verdict not in VERDICT_LABELS:
        raise FieldError(
            "Kies voldoende, onvoldoende of nog onduidelijk.", field=f"oordeel-{attitude.id}"
        )
    reason = (reason or "").strip()
    if verdict == Verdict.UNCLEAR and not reason:
        raise FieldError(
            f"Geef aan wat maakt dat {attitude.name} nog onduidelijk is.",
            field=f"reden-{attitude.id}",
        )
    if len(reason) > 4000:
        raise FieldError(
            "De toelichting is te lang (max. 4000 tekens).", field=f"reden-{attitude.id}"
        )
    current = session.exec(
        select(Evaluation)
        .where(
            Evaluation.placement_id == placement.id,
            Evaluation.stage == stage,
            Evaluation.attitude_id == attitude.id,
            Evaluation.author_role == role,
        )
        .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
    ).first()
    if current is not None and current.verdict == verdict and current.unclear_reason == reason:
        return current
    check_open(session, placement)  # every stage, every role: the board's decision locks all
    if attitude.archived_at is not None:
        raise DomainError(
            f"De attitude {attitude.name} is gearchiveerd: je kan ze niet meer evalueren."
        )
    evaluation = Evaluation(
        placement_id=placement.id,
        stage=stage,
        attitude_id=attitude.id,
        verdict=verdict,
        unclear_reason=reason,
        author_id=actor.id,
        author_role=role,
        created_at=moment,
    )
    session.add(evaluation)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="evaluation.recorded",
        placement_id=placement.id,
        evaluation_id=evaluation.id,
        stage=stage,
        attitude=attitude.name,
        verdict=verdict,
        role=role,
        previous=current.verdict if current else None,
    )
    return evaluation


def add_remark(
    session: Session,
    placement: Placement,
    *,
    stage: str,
    kind: str,
    text: str,
    expected_behaviour: str,
    attitude: Attitude | None,
    actor: User,
    moment: datetime,
) -> EvaluationRemark:
    """Add a strength or a growth point; a groeikans needs the behaviour expected."""
    stage = _checked_stage(stage)
    if kind not in REMARK_LABELS:
        raise FieldError("Kies sterkte of groeikans.", field="soort")
    text = (text or "").strip()
    expected_behaviour = (expected_behaviour or "").strip()
    if not text:
        raise FieldError("Beschrijf de sterkte of groeikans.", field="tekst")
    if kind == GROWTH and not expected_behaviour:
        raise FieldError(
            "Noteer bij een groeikans welk gedrag je verwacht.", field="verwacht_gedrag"
        )
    if len(text) > 4000 or len(expected_behaviour) > 4000:
        raise FieldError("De tekst is te lang (max. 4000 tekens).", field="tekst")
    if attitude is not None and attitude.archived_at is not None:
        raise FieldError("Deze attitude is gearchiveerd.", field="attitude")
    check_open(session, placement)
    remark = EvaluationRemark(
        placement_id=placement.id,
        stage=stage,
        kind=kind,
        attitude_id=attitude.id if attitude else None,
        text=text,
        expected_behaviour=expected_behaviour if kind == GROWTH else "",
        author_id=actor.id,
        created_at=moment,
    )
    session.add(remark)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="evaluation.remark_added",
        placement_id=placement.id,
        remark_id=remark.id,
        stage=stage,
        kind=kind,
    )
    return remark


def _checked_stage(stage: str) -> EvaluationStage:
    parsed = parse_stage(stage)
    if parsed is None:
        raise DomainError("Kies de tussentijdse evaluatie of de eindevaluatie.")
    return parsed

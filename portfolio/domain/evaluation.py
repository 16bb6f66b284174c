"""Evaluation by attitudes: append-only verdicts, remarks, the synthesis and the exam board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError, VersionConflict
from portfolio.domain.evaluation_lock import check_open, synthesis_of
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
SCORE_MAX = 20
PASS_MARK = 10  # rule: Flemish higher education passes from 10/20


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


# ------------------------------------------------------------------ the page's summary


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


def users_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))}


# ------------------------------------------------------------------ synthesis


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


def propose_synthesis(
    session: Session,
    placement: Placement,
    *,
    is_pass: bool,
    score: int,
    motivation: str,
    actor: User,
    moment: datetime,
) -> Synthesis:
    """Propose geslaagd / niet geslaagd and a score out of 20 to the exam board.

    The handbook: "Indien je in het bezit bent van minimum de attitudes, slaag je voor de stage.
    Is er een tekort op één of meerdere attitudes, kan je niet slagen." So *geslaagd* is refused
    while any current final supervisor verdict is onvoldoende, and while any active attitude has
    no final verdict yet or is still nog onduidelijk. **rule**: geslaagd goes with a score of at
    least 10/20, niet geslaagd with at most 9/20. A proposal can be changed (each change is
    logged) until the exam board decided; after that it is final.
    """
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= SCORE_MAX:
        raise FieldError(f"Geef een geheel cijfer van 0 tot {SCORE_MAX}.", field="cijfer")
    motivation = (motivation or "").strip()
    if not motivation:
        raise FieldError("Motiveer het voorstel voor de examencommissie.", field="motivatie")
    if len(motivation) > 10000:
        raise FieldError("De motivatie is te lang (max. 10000 tekens).", field="motivatie")
    check_open(session, placement)
    existing = synthesis_of(session, placement)
    if is_pass:
        blockers = pass_blockers(session, placement)
        if blockers:
            raise FieldError(
                "Geslaagd kan niet: je slaagt enkel met minimum voldoende op elke attitude in de "
                "eindevaluatie (" + "; ".join(blockers) + ").",
                field="voorstel",
            )
        if score < PASS_MARK:
            raise FieldError(
                f"Bij geslaagd hoort een cijfer van minstens {PASS_MARK}/20.", field="cijfer"
            )
    elif score >= PASS_MARK:
        raise FieldError(
            f"Bij niet geslaagd hoort een cijfer lager dan {PASS_MARK}/20.", field="cijfer"
        )
    previous = None
    if existing is None:
        existing = Synthesis(
            placement_id=placement.id,
            is_pass=is_pass,
            score=score,
            motivation=motivation,
            proposed_by_id=actor.id,
            proposed_at=moment,
        )
        # Two first proposals at once: the loser hits the unique placement_id. The savepoint
        # keeps the request's transaction usable; the person gets a 409 and reloads.
        try:
            with session.begin_nested():
                session.add(existing)
                session.flush()
        except IntegrityError:
            raise VersionConflict(
                "Een collega deed net tegelijk een voorstel voor deze synthese. "
                "Herlaad de pagina, bekijk het voorstel en pas het zo nodig aan."
            ) from None
    else:
        previous = {"is_pass": existing.is_pass, "score": existing.score}
        existing.is_pass = is_pass
        existing.score = score
        existing.motivation = motivation
        existing.proposed_by_id = actor.id
        existing.proposed_at = moment
        session.add(existing)
        session.flush()
    audit.record(
        session,
        actor=actor,
        action="synthesis.proposed",
        placement_id=placement.id,
        is_pass=is_pass,
        score=score,
        motivation=motivation,
        previous=previous,
    )
    return existing


def decide_synthesis(
    session: Session,
    placement: Placement,
    *,
    confirmed: bool,
    note: str,
    actor: User,
    moment: datetime,
) -> Synthesis:
    """Record the exam board's decision on the proposal; once decided it is final."""
    synthesis = synthesis_of(session, placement)
    if synthesis is None:
        raise DomainError("Er is nog geen voorstel van de stagebegeleider.")
    if synthesis.decided_at is not None:
        raise DomainError("De examencommissie besliste al over deze synthese.")
    if confirmed and synthesis.is_pass:
        blockers = pass_blockers(session, placement)
        if blockers:
            # The final verdicts changed after the proposal: geslaagd no longer holds.
            raise DomainError(
                "Bevestigen kan niet: de eindevaluatie veranderde sinds het voorstel ("
                + "; ".join(blockers)
                + "). Vraag de stagebegeleider een nieuw voorstel."
            )
    note = (note or "").strip()
    if not confirmed and not note:
        raise FieldError(
            "Noteer waarom de examencommissie het voorstel niet bevestigt.", field="notitie"
        )
    if len(note) > 4000:
        raise FieldError("De notitie is te lang (max. 4000 tekens).", field="notitie")
    synthesis.board_confirmed = confirmed
    synthesis.board_note = note
    synthesis.decided_by_id = actor.id
    synthesis.decided_at = moment
    session.add(synthesis)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="synthesis.decided",
        placement_id=placement.id,
        confirmed=confirmed,
        note=note,
        is_pass=synthesis.is_pass,
        score=synthesis.score,
    )
    return synthesis

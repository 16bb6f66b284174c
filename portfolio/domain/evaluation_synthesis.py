"""The synthesis: the supervisor's proposal (geslaagd or not, a score) and the exam board's decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError, VersionConflict
from portfolio.domain.evaluation_lock import check_open, synthesis_of
from portfolio.domain.evaluation_summary import pass_blockers
from portfolio.models import Placement, Synthesis, User

SCORE_MAX = 20
PASS_MARK = 10  # rule: Flemish higher education passes from 10/20


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

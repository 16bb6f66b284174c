"""Demo: a mid-term evaluation (supervisor and mentor), remarks and one warning."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portfolio.clock import now
from portfolio.domain.evaluation import add_remark, record_evaluation
from portfolio.domain.warnings import record_warning
from portfolio.models import Attitude, EvaluationStage, Role, Verdict

UNCLEAR = {"Organisatievermogen": "Nog te weinig eigen activiteiten gezien om dit te beoordelen."}
MENTOR_VIEW = {
    "Beslissingsvermogen": Verdict.INSUFFICIENT,
    "Relationele gerichtheid": Verdict.SUFFICIENT,
}


def seed(session: Session, demo) -> None:
    placement = demo.placements["student"]
    supervisor, mentor = demo.users["begeleider"], demo.users["mentor"]
    moment = now() - timedelta(days=6)
    attitudes = session.exec(
        select(Attitude).where(Attitude.archived_at.is_(None)).order_by(Attitude.position)
    ).all()
    for attitude in attitudes:
        reason = UNCLEAR.get(attitude.name, "")
        record_evaluation(
            session,
            placement,
            attitude=attitude,
            stage=EvaluationStage.MIDTERM,
            verdict=Verdict.UNCLEAR if reason else Verdict.SUFFICIENT,
            reason=reason,
            actor=supervisor,
            role=Role.SUPERVISOR,
            moment=moment,
        )
        if attitude.name in MENTOR_VIEW:
            record_evaluation(
                session,
                placement,
                attitude=attitude,
                stage=EvaluationStage.MIDTERM,
                verdict=MENTOR_VIEW[attitude.name],
                reason="Kiest in de kring nog vaak af te wachten.",
                actor=mentor,
                role=Role.MENTOR,
                moment=moment + timedelta(hours=2),
            )
    by_name = {a.name: a for a in attitudes}
    remarks = [
        (
            "sterkte",
            "Relationele gerichtheid",
            "Legt snel een warme band met de kleuters en betrekt stille kinderen.",
            "",
        ),
        (
            "groeikans",
            "Organisatievermogen",
            "De dagplanning is pas op de stagedag zelf klaar.",
            "Stuur de planning en de ontwerpen de avond voordien naar je mentor.",
        ),
    ]
    for kind, name, text, expected in remarks:
        add_remark(
            session,
            placement,
            stage=EvaluationStage.MIDTERM,
            kind=kind,
            text=text,
            expected_behaviour=expected,
            attitude=by_name.get(name),
            actor=supervisor,
            moment=moment,
        )
    record_warning(
        session,
        placement,
        facts="Twee R-dagen zonder uitgewerkt ontwerp in het portfolio.",
        undesirable="De mentor kan niet bijsturen en de kinderen krijgen een onvoorbereid aanbod.",
        support="Gesprek over planning; voorbeeld van een weekplanning gedeeld.",
        agreements="Ontwerpen staan de avond voor de stagedag in het portfolio.",
        actor=supervisor,
        moment=moment + timedelta(days=1),
    )
    session.flush()

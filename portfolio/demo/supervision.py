"""Demo: exemplary feedback on the demo student's items, a question for feedback, a reply."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from portfolio.clock import now
from portfolio.domain import feedback as feedback_ops
from portfolio.domain.attitudes import active_attitudes
from portfolio.models import FeedbackKind, Item, ItemKind

# Prefer the items a supervisor would pick in the spotlight: reflections and designs.
PREFERRED = (ItemKind.REFLECTIE, ItemKind.DENKWERK, ItemKind.BEGINSITUATIE, ItemKind.STAGEPAKKET)


def seed(session: Session, demo) -> None:
    """Add feedback, a reply and an open request when the items seed made items to talk about."""
    placement = demo.placements.get("student")
    if placement is None:
        return
    items = session.exec(
        select(Item)
        .where(Item.placement_id == placement.id, Item.deleted_at.is_(None))
        .order_by(Item.day, Item.id)
    ).all()
    if not items:
        return
    ranked = sorted(
        items, key=lambda i: PREFERRED.index(i.kind) if i.kind in PREFERRED else len(PREFERRED)
    )
    first, second = ranked[0], ranked[1] if len(ranked) > 1 else ranked[0]
    attitudes = {a.name: a.id for a in active_attitudes(session)}
    moment = now()
    student, supervisor, colleague = (
        demo.users["student"],
        demo.users["begeleider"],
        demo.users["collega"],
    )

    answered = feedback_ops.ask_feedback(
        session,
        placement=placement,
        item=first,
        student=student,
        question="Is mijn analyse van wat er gebeurde diep genoeg?",
        moment=moment - timedelta(days=3),
    )
    feedback = feedback_ops.give_feedback(
        session,
        placement=placement,
        item=first,
        author=supervisor,
        kind=FeedbackKind.SUGGESTION,
        body="Mooi beschreven. Probeer bij **waaraan lag dit?** ook te kijken naar wat *jij* "
        "deed: welke vraag stelde je, hoeveel wachttijd gaf je?",
        attitude_ids=[
            attitudes[n] for n in ("Kritische ingesteldheid", "Leergierigheid") if n in attitudes
        ],
        request_id=answered.id,
        moment=moment - timedelta(days=2),
    )
    feedback_ops.reply_to(
        session,
        feedback=feedback,
        author=student,
        body="Dank je! Ik merk dat ik snel zelf het antwoord geef. Volgende keer tel ik tot vijf.",
        moment=moment - timedelta(days=1),
    )
    feedback_ops.give_feedback(
        session,
        placement=placement,
        item=second,
        author=colleague,
        kind=FeedbackKind.STRENGTH,
        body="Je doel is concreet en haalbaar voor deze groep.",
        attitude_ids=[attitudes[n] for n in ("Organisatievermogen",) if n in attitudes],
        moment=moment - timedelta(days=1),
    )
    feedback_ops.ask_feedback(
        session,
        placement=placement,
        item=second,
        student=student,
        question="Hoe kan ik hier beter differentiëren?",
        moment=moment - timedelta(hours=5),
    )

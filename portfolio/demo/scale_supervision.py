"""Rows of supervision for portfolio.demo.scale: signatures, feedback, evaluations, warnings."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from portfolio.clock import start_of_day
from portfolio.domain.calendar import MAX_OPR_DAYS
from portfolio.domain.signing import SIGNING_ROLES, content_hash
from portfolio.models import (
    Evaluation,
    EvaluationStage,
    Feedback,
    FeedbackRequest,
    Item,
    Role,
    Signature,
    Verdict,
    Warning,
)

PACKAGE = {
    "taken": "Onthaalkring en verfatelier op de R-dagen.",
    "leervragen": "Hoe betrek ik stille kleuters?",
    "afspraken": "Ontwerpen twee dagen vooraf doorsturen.",
}


def supervision_rows(rows, rng, n, placement_id, package, people, days, today, attitude_ids):
    """Add signatures, a feedback request, feedback, evaluations and now and then a warning."""
    signers = people
    supervisor = people[Role.SUPERVISOR]
    signed = n % 10 < 7  # seven in ten packages are signed by all three
    for role in SIGNING_ROLES if signed else SIGNING_ROLES[:2]:
        rows[Signature].append(
            {
                "item_id": package["id"],
                "signer_id": signers[role]["id"],
                "role": role,
                "content_hash": _package_hash(),
                "signed_at": start_of_day(days[MAX_OPR_DAYS - 1]),
            }
        )
    if n % 3 == 0:
        rows[FeedbackRequest].append(
            {
                "placement_id": placement_id,
                "item_id": package["id"],
                "question": "Is mijn stagepakket haalbaar?",
                "asked_at": start_of_day(days[2]),
                "resolved_at": None,
            }
        )
    past = [d for d in days if d < today]
    for k in range(min(3, len(past))):
        rows[Feedback].append(
            {
                "placement_id": placement_id,
                "item_id": package["id"],
                "request_id": None,
                "author_id": supervisor["id"],
                "kind": rng.choice(("sterkte", "groeipunt", "vraag", "suggestie")),
                "body": "Mooi hoe je de kleuters laat verwoorden wat ze zien.",
                "created_at": start_of_day(past[-1 - k]) + timedelta(hours=18),
            }
        )
    if days[len(days) // 2] < today:  # mid-term evaluations once half the days ran
        for attitude_id in attitude_ids:
            rows[Evaluation].append(
                {
                    "placement_id": placement_id,
                    "stage": EvaluationStage.MIDTERM,
                    "attitude_id": attitude_id,
                    "verdict": rng.choice(
                        (Verdict.SUFFICIENT, Verdict.SUFFICIENT, Verdict.UNCLEAR)
                    ),
                    "unclear_reason": "",
                    "author_id": supervisor["id"],
                    "author_role": Role.SUPERVISOR,
                    "created_at": start_of_day(days[len(days) // 2]),
                }
            )
    if n % 50 == 0 and past:
        rows[Warning].append(
            {
                "placement_id": placement_id,
                "number": 1,
                "facts": "Twee ontwerpen niet op tijd klaar.",
                "undesirable": "Ontwerpen komen te laat.",
                "support": "",
                "agreements": "Ontwerpen twee dagen vooraf doorsturen.",
                "author_id": supervisor["id"],
                "created_at": start_of_day(past[-1]),
            }
        )


@cache
def _package_hash() -> str:
    return content_hash(Item(title="", content=PACKAGE))

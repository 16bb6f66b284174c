"""Supervision: attitudes, feedback, guidance moments, evaluations, synthesis, warnings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portfolio.models.base import moment_field


class Attitude(SQLModel, table=True):
    """An attitude the programme evaluates; archived rather than deleted, so history holds."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    position: int = Field(default=0)
    archived_at: datetime | None = moment_field(nullable=True)


class FeedbackKind(StrEnum):
    SUGGESTION = "suggestie"
    QUESTION = "vraag"
    STRENGTH = "sterkte"
    GROWTH = "groeipunt"


class FeedbackRequest(SQLModel, table=True):
    """A student's question asking for feedback on one item."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    question: str = Field(max_length=4000)
    asked_at: datetime = moment_field(default_now=True)
    resolved_at: datetime | None = moment_field(nullable=True, index=True)


class Feedback(SQLModel, table=True):
    """Exemplary feedback (or a mentor's note) anchored to one item, tagged with attitudes."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    request_id: int | None = Field(default=None, foreign_key="feedbackrequest.id")
    author_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=20)
    body: str = Field(max_length=20000)
    created_at: datetime = moment_field(default_now=True, index=True)


class FeedbackAttitude(SQLModel, table=True):
    feedback_id: int = Field(foreign_key="feedback.id", primary_key=True)
    attitude_id: int = Field(foreign_key="attitude.id", primary_key=True, index=True)


class FeedbackReply(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    feedback_id: int = Field(foreign_key="feedback.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(max_length=20000)
    created_at: datetime = moment_field(default_now=True)


class GuidanceType(StrEnum):
    STAGETOELICHTING = "stagetoelichting"
    SCHIJNWERPER = "schijnwerper"
    KLEUTERLABO = "kleuterlabo"
    SESSIE_OP_VRAAG = "sessie-op-vraag"
    EEN_OP_EEN = "1-op-1"
    STAGEBEZOEK = "stagebezoek"
    TUSSENTIJDS = "tussentijds"
    AFRONDEND = "afrondend"
    REFLECTIESESSIE = "reflectiesessie"


class GuidanceStatus(StrEnum):
    REQUESTED = "aangevraagd"
    PLANNED = "gepland"
    DONE = "afgelopen"
    CANCELLED = "geannuleerd"


class GuidanceMoment(SQLModel, table=True):
    """A guidance moment: a group session (placement_id null) or one student's (1-op-1, visit)."""

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(max_length=30, index=True)
    title: str = Field(max_length=200)
    starts_at: datetime = moment_field(index=True)
    duration_minutes: int = Field(default=60)
    is_mandatory: bool = Field(default=False)
    placement_id: int | None = Field(default=None, foreign_key="placement.id", index=True)
    pool_id: int | None = Field(default=None, foreign_key="pool.id", index=True)
    status: str = Field(default=GuidanceStatus.PLANNED, max_length=20)
    questions: str = Field(default="", max_length=10000)  # the student's questions for a 1-op-1
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = moment_field(default_now=True)


class AttendanceStatus(StrEnum):
    PRESENT = "aanwezig"
    LEGITIMATE = "gewettigd-afwezig"
    ILLEGITIMATE = "ongewettigd-afwezig"


class Attendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("moment_id", "placement_id"),)

    id: int | None = Field(default=None, primary_key=True)
    moment_id: int = Field(foreign_key="guidancemoment.id", index=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    status: str = Field(max_length=30)
    note: str = Field(default="", max_length=4000)  # the student's own note for an absence
    recorded_by_id: int = Field(foreign_key="user.id")
    recorded_at: datetime = moment_field(default_now=True)


class GuidanceNote(SQLModel, table=True):
    """An entry in the begeleidings- en evaluatieformulier after a guidance moment."""

    id: int | None = Field(default=None, primary_key=True)
    moment_id: int = Field(foreign_key="guidancemoment.id", index=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    lessons: str = Field(default="", max_length=20000)
    insight: str = Field(default="", max_length=20000)
    next_steps: str = Field(default="", max_length=20000)
    created_at: datetime = moment_field(default_now=True)


class SessionTopic(SQLModel, table=True):
    """A student's proposal of a topic for a sessie op vraag."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    topic: str = Field(max_length=2000)
    created_at: datetime = moment_field(default_now=True)


class EvaluationStage(StrEnum):
    MIDTERM = "tussentijds"
    FINAL = "eind"


class Verdict(StrEnum):
    SUFFICIENT = "voldoende"
    INSUFFICIENT = "onvoldoende"
    UNCLEAR = "nog-onduidelijk"


class Evaluation(SQLModel, table=True):
    """One verdict on one attitude; append-only, the newest per author role counts."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    stage: str = Field(max_length=20)
    attitude_id: int = Field(foreign_key="attitude.id", index=True)
    verdict: str = Field(max_length=20)
    unclear_reason: str = Field(default="", max_length=4000)
    author_id: int = Field(foreign_key="user.id")
    author_role: str = Field(max_length=20)  # begeleider or mentor: both views stay on record
    created_at: datetime = moment_field(default_now=True)


class EvaluationRemark(SQLModel, table=True):
    """A strength or growth point (groeikans, with the behaviour expected)."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    stage: str = Field(max_length=20)
    kind: str = Field(max_length=20)  # sterkte or groeikans
    attitude_id: int | None = Field(default=None, foreign_key="attitude.id")
    text: str = Field(max_length=4000)
    expected_behaviour: str = Field(default="", max_length=4000)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = moment_field(default_now=True)


class Synthesis(SQLModel, table=True):
    """The supervisor's proposal to the exam board, and the board's decision."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", unique=True)
    is_pass: bool
    score: int
    motivation: str = Field(default="", max_length=10000)
    proposed_by_id: int = Field(foreign_key="user.id")
    proposed_at: datetime = moment_field(default_now=True)
    board_confirmed: bool | None = Field(default=None)
    board_note: str = Field(default="", max_length=4000)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = moment_field(nullable=True)


class Warning(SQLModel, table=True):  # noqa: A001 - the handbook's word; shadows nothing we use
    """A supervisor's warning; the third stops the placement."""

    __table_args__ = (UniqueConstraint("placement_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    number: int
    facts: str = Field(max_length=10000)
    undesirable: str = Field(max_length=10000)
    support: str = Field(default="", max_length=10000)
    agreements: str = Field(default="", max_length=10000)
    author_id: int = Field(foreign_key="user.id")
    created_at: datetime = moment_field(default_now=True)

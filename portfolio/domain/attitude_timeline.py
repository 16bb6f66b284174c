"""One student's attitudes over time: self-assessment, feedback, mentor views, evaluations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from portfolio.clock import start_of_day
from portfolio.domain.evaluation import STAGE_LABELS, VERDICT_LABELS
from portfolio.models import (
    Attitude,
    Evaluation,
    Feedback,
    FeedbackAttitude,
    FeedbackKind,
    Item,
    ItemKind,
    Placement,
    Role,
    StageDay,
    User,
)

SUMMARY_MAX = 160

# kind -> (Dutch label, SVG shape); the shape tells kinds apart without colour.
KINDS = {
    "zelfbeeld": ("Zelfbeeld", "circle"),
    "feedback": ("Feedback", "square"),
    "mentornotitie": ("Notitie mentor", "diamond"),
    "mentorevaluatie": ("Evaluatie mentor", "diamond"),
    "evaluatie": ("Evaluatie stagebegeleider", "triangle"),
}
FEEDBACK_LABELS = {
    FeedbackKind.SUGGESTION: "suggestie",
    FeedbackKind.QUESTION: "vraag",
    FeedbackKind.STRENGTH: "sterkte",
    FeedbackKind.GROWTH: "groeipunt",
}


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str
    author: str
    summary: str
    verdict: str | None = None

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def shape(self) -> str:
        return KINDS[self.kind][1]


@dataclass
class TimelineRow:
    attitude: Attitude
    events: list[TimelineEvent] = field(default_factory=list)


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def attitude_timeline(session: Session, placement: Placement) -> list[TimelineRow]:
    """Return one row per attitude with its events in time order, in five queries."""
    events: dict[int, list[TimelineEvent]] = {}
    selves = session.exec(
        select(Item, User)
        .join(User, User.id == Item.created_by_id, isouter=True)
        .where(
            Item.placement_id == placement.id,
            Item.kind == ItemKind.ZELFBEELD,
            Item.attitude_id.is_not(None),
            Item.deleted_at.is_(None),
        )
    )
    for item, author in selves:
        events.setdefault(item.attitude_id, []).append(
            TimelineEvent(
                at=item.created_at,
                kind="zelfbeeld",
                author=author.name if author else "",
                summary=_short(str((item.content or {}).get("tekst", ""))),
            )
        )
    feedback = session.exec(
        select(Feedback, FeedbackAttitude.attitude_id, User)
        .join(FeedbackAttitude, FeedbackAttitude.feedback_id == Feedback.id)
        .join(User, User.id == Feedback.author_id)
        .where(Feedback.placement_id == placement.id)
    )
    for item, attitude_id, author in feedback:
        kind = "mentornotitie" if author.role == Role.MENTOR else "feedback"
        label = FEEDBACK_LABELS.get(item.kind, item.kind)
        events.setdefault(attitude_id, []).append(
            TimelineEvent(
                at=item.created_at,
                kind=kind,
                author=author.name,
                summary=_short(f"{label.capitalize()}: {item.body}"),
            )
        )
    evaluations = session.exec(
        select(Evaluation, User)
        .join(User, User.id == Evaluation.author_id)
        .where(Evaluation.placement_id == placement.id)
    )
    for evaluation, author in evaluations:
        kind = "mentorevaluatie" if evaluation.author_role == Role.MENTOR else "evaluatie"
        summary = f"{STAGE_LABELS.get(evaluation.stage, evaluation.stage)}: " + VERDICT_LABELS.get(
            evaluation.verdict, evaluation.verdict
        )
        if evaluation.unclear_reason:
            summary += f" ({evaluation.unclear_reason})"
        events.setdefault(evaluation.attitude_id, []).append(
            TimelineEvent(
                at=evaluation.created_at,
                kind=kind,
                author=author.name,
                summary=_short(summary),
                verdict=evaluation.verdict,
            )
        )
    attitudes = session.exec(
        select(Attitude)
        .where(or_(Attitude.archived_at.is_(None), Attitude.id.in_(list(events) or [-1])))
        .order_by(Attitude.archived_at.is_not(None), Attitude.position, Attitude.id)
    )
    return [
        TimelineRow(a, sorted(events.get(a.id, []), key=lambda e: (e.at, e.kind)))
        for a in attitudes
    ]


# ------------------------------------------------------------------ the picture

LABEL_WIDTH = 190
AXIS_START = LABEL_WIDTH + 10
AXIS_END = 780
WIDTH = 800
ROW_HEIGHT = 36
TOP = 24
# Lanes inside a row, so markers of different kinds on the same day do not hide each other.
LANE_OFFSET = {
    "zelfbeeld": -10,
    "feedback": -3,
    "mentornotitie": 4,
    "mentorevaluatie": 4,
    "evaluatie": 11,
}
VERDICT_FILL = {"voldoende": "#1b5e20", "onvoldoende": "#b00020", "nog-onduidelijk": "#8a4b00"}
KIND_FILL = {"zelfbeeld": "#555555", "feedback": "#0b5cad", "mentornotitie": "#6a1b9a"}


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    fill: str
    event: TimelineEvent

    @property
    def points(self) -> str:
        """Return polygon points for diamond and triangle shapes."""
        x, y = self.x, self.y
        if self.event.shape == "diamond":
            return f"{x},{y - 5} {x + 5},{y} {x},{y + 5} {x - 5},{y}"
        return f"{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}"


@dataclass(frozen=True)
class Tick:
    x: float
    day: date | None = None  # labelled ticks carry their date


@dataclass
class TimelinePicture:
    width: int
    height: int
    rows: list[tuple[float, str]]  # (y, attitude name)
    markers: list[Marker]
    ticks: list[Tick]
    axis_y: float
    axis_start: int = AXIS_START
    axis_end: int = AXIS_END


def stage_day_dates(session: Session, placement: Placement) -> list[date]:
    return list(
        session.exec(
            select(StageDay.day).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
        )
    )


def picture(
    rows: list[TimelineRow], first_day: date, last_day: date, days: list[date]
) -> TimelinePicture:
    """Lay the rows out on an axis from the first to the last stage day (events outside clamp)."""
    start = start_of_day(first_day)
    end = start_of_day(last_day + timedelta(days=1))
    span = (end - start).total_seconds() or 1.0

    def x_of(moment: datetime) -> float:
        share = min(max((moment - start).total_seconds() / span, 0.0), 1.0)
        return round(AXIS_START + share * (AXIS_END - AXIS_START), 1)

    markers, labels = [], []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        name = row.attitude.name + (" (gearchiveerd)" if row.attitude.archived_at else "")
        labels.append((y, name))
        for event in row.events:
            fill = VERDICT_FILL.get(event.verdict or "", KIND_FILL.get(event.kind, "#333333"))
            markers.append(Marker(x_of(event.at), y + LANE_OFFSET[event.kind], fill, event))
    axis_y = TOP + len(rows) * ROW_HEIGHT + 4
    ticks = [Tick(x_of(start_of_day(day) + timedelta(hours=12))) for day in days]
    ticks += [Tick(AXIS_START, first_day), Tick(AXIS_END, last_day)]
    return TimelinePicture(WIDTH, int(axis_y + 40), labels, markers, ticks, axis_y)

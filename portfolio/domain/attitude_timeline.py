"""One student's attitudes over time: self-assessment, feedback, mentor views, evaluations.

The picture has one lane per attitude with every marker on its lane, month labels on the axis
and the supervisor's mid-term and final evaluation marked across the lanes. Texts are Markdown:
summaries are their plain words (tooltips and the list never show `**`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

from portfolio.clock import start_of_day
from portfolio.domain.evaluation import STAGE_LABELS, VERDICT_LABELS
from portfolio.markdown import plain_text
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
    stage: str | None = None  # evaluations only: tussentijds or eind

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
    text = plain_text(text)
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
                stage=evaluation.stage,
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
MARKER_GAP = 8  # markers closer than this on one lane move right, so none hides another
MONTH_LABEL_MIN = 36  # a month shown for fewer pixels than this gets a tick but no label
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
    month: date | None = None  # a month's tick carries its first visible day, for the label


@dataclass(frozen=True)
class Milestone:
    """The supervisor's mid-term or final evaluation, marked across every lane."""

    x: float
    label: str
    at: datetime


@dataclass
class TimelinePicture:
    width: int
    height: int
    rows: list[tuple[float, str]]  # (y, attitude name)
    markers: list[Marker]
    ticks: list[Tick]
    months: list[Tick]
    milestones: list[Milestone]
    axis_y: float
    axis_start: int = AXIS_START
    axis_end: int = AXIS_END


def stage_day_dates(session: Session, placement: Placement) -> list[date]:
    return list(
        session.exec(
            select(StageDay.day).where(StageDay.placement_id == placement.id).order_by(StageDay.day)
        )
    )


def _month_starts(first_day: date, last_day: date) -> list[date]:
    """Return the first visible day of every month from first_day to last_day."""
    starts, day = [first_day], first_day.replace(day=1)
    while True:
        day = (day + timedelta(days=32)).replace(day=1)
        if day > last_day:
            return starts
        starts.append(day)


def milestones_of(rows: list[TimelineRow]) -> dict[str, datetime]:
    """Return when the supervisor first evaluated each stage (mid-term, final)."""
    found: dict[str, datetime] = {}
    for row in rows:
        for event in row.events:
            if event.kind == "evaluatie" and event.stage:
                found[event.stage] = min(found.get(event.stage, event.at), event.at)
    return found


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
        previous_x = None
        for event in row.events:
            fill = VERDICT_FILL.get(event.verdict or "", KIND_FILL.get(event.kind, "#333333"))
            x = x_of(event.at)
            if previous_x is not None and x - previous_x < MARKER_GAP:
                x = round(previous_x + MARKER_GAP, 1)
            previous_x = x
            markers.append(Marker(x, y, fill, event))
    axis_y = TOP + len(rows) * ROW_HEIGHT + 4
    ticks = [Tick(x_of(start_of_day(day) + timedelta(hours=12))) for day in days]
    starts = _month_starts(first_day, last_day)
    edges = [x_of(start_of_day(day)) for day in starts] + [AXIS_END]
    months = [
        Tick(left, day if right - left >= MONTH_LABEL_MIN else None)
        for day, left, right in zip(starts, edges, edges[1:], strict=False)
    ]
    milestones = [
        Milestone(x_of(at), STAGE_LABELS.get(stage, stage), at)
        for stage, at in sorted(milestones_of(rows).items(), key=lambda pair: pair[1])
    ]
    return TimelinePicture(
        WIDTH, int(axis_y + 40), labels, markers, ticks, months, milestones, axis_y
    )

"""Exemplary feedback: anchored to one item, of one kind, tagged with attitudes.

Students ask for feedback on an item (a request with a question); a supervisor's feedback that
names the request resolves it. Mentors write notes on the items they may see. Everyone in the
conversation can reply. Who may do what is checked in portfolio.access; these functions check
the content.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from portfolio.domain.errors import DomainError, FieldError
from portfolio.models import (
    Attitude,
    Feedback,
    FeedbackAttitude,
    FeedbackKind,
    FeedbackReply,
    FeedbackRequest,
    Item,
    Notice,
    Placement,
    Role,
    User,
)
from portfolio.notices import notify_from_template

MENTOR_NOTE = "mentor"  # the kind of a mentor's note: mentors do not pick a kind
KIND_LABELS = {
    FeedbackKind.SUGGESTION: "Suggestie",
    FeedbackKind.QUESTION: "Vraag",
    FeedbackKind.STRENGTH: "Sterkte",
    FeedbackKind.GROWTH: "Groeipunt",
    MENTOR_NOTE: "Notitie van de mentor",
}
BODY_MAX = 20000
QUESTION_MAX = 4000


@dataclass
class ReplyView:
    reply: FeedbackReply
    author: User
    role_label: str


@dataclass
class FeedbackView:
    feedback: Feedback
    author: User
    role_label: str
    kind_label: str
    attitudes: list[Attitude] = field(default_factory=list)
    replies: list[ReplyView] = field(default_factory=list)
    request: FeedbackRequest | None = None


def role_label(user: User, placement: Placement) -> str:
    """Say in which role someone wrote on this placement (fixed supervisor, pool, ...)."""
    if user.role == Role.SUPERVISOR:
        return "vaste stagebegeleider" if placement.supervisor_id == user.id else "pool"
    return {
        Role.COORDINATOR: "stagecoördinator",
        Role.MENTOR: "mentor",
        Role.STUDENT: "student",
    }.get(Role(user.role), user.role)


def _clean_text(value: str | None, *, field_name: str, empty: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise FieldError(empty, field=field_name)
    if len(text) > limit:
        raise FieldError(f"De tekst is te lang (hoogstens {limit} tekens).", field=field_name)
    return text


def _check_item(placement: Placement, item: Item) -> None:
    if item.placement_id != placement.id or item.deleted_at is not None:
        raise DomainError("Dit onderdeel hoort niet bij dit portfolio.", status=404)


def _active_tags(session: Session, attitude_ids: list[int]) -> list[Attitude]:
    wanted = set(attitude_ids)
    if not wanted:
        return []
    found = session.exec(
        select(Attitude).where(Attitude.id.in_(wanted), Attitude.archived_at.is_(None))
    ).all()
    if len(found) != len(wanted):
        raise FieldError("Kies alleen attitudes uit de huidige lijst.", field="attitudes")
    return sorted(found, key=lambda a: (a.position, a.id))


def give_feedback(
    session: Session,
    *,
    placement: Placement,
    item: Item,
    author: User,
    kind: str | None,
    body: str | None,
    attitude_ids: list[int] = (),
    request_id: int | None = None,
    moment: datetime,
) -> Feedback:
    """Write feedback on one item; a named open request of that item is resolved by it."""
    _check_item(placement, item)
    if author.role == Role.MENTOR:
        if attitude_ids or request_id:
            raise FieldError("Een mentor schrijft een notitie, zonder attitudes.", field="body")
        kind = MENTOR_NOTE
    elif kind not in set(FeedbackKind):
        raise FieldError(
            "Kies de soort feedback: suggestie, vraag, sterkte of groeipunt.", field="kind"
        )
    text = _clean_text(
        body, field_name="body", empty="Schrijf je feedback in het tekstvak.", limit=BODY_MAX
    )
    tags = _active_tags(session, list(attitude_ids))
    request = None
    if request_id is not None:
        request = session.get(FeedbackRequest, request_id)
        if request is None or request.item_id != item.id or request.resolved_at is not None:
            raise FieldError(
                "Deze vraag om feedback is al beantwoord of bestaat niet.", field="request"
            )
    feedback = Feedback(
        placement_id=placement.id,
        item_id=item.id,
        request_id=request_id,
        author_id=author.id,
        kind=kind,
        body=text,
        created_at=moment,
    )
    session.add(feedback)
    session.flush()
    for attitude in tags:
        session.add(FeedbackAttitude(feedback_id=feedback.id, attitude_id=attitude.id))
    if request is not None:
        request.resolved_at = moment
        session.add(request)
    session.flush()
    return feedback


def ask_feedback(
    session: Session,
    *,
    placement: Placement,
    item: Item,
    student: User,
    question: str | None,
    moment: datetime,
) -> FeedbackRequest:
    """Record the student's question asking for feedback on one of their items."""
    _check_item(placement, item)
    if placement.student_id != student.id:
        raise DomainError("Je kan alleen feedback vragen over je eigen portfolio.", status=403)
    text = _clean_text(
        question,
        field_name="question",
        empty="Schrijf je vraag: waarover wil je feedback?",
        limit=QUESTION_MAX,
    )
    request = FeedbackRequest(
        placement_id=placement.id, item_id=item.id, question=text, asked_at=moment
    )
    session.add(request)
    session.flush()
    return request


def reply_to(
    session: Session, *, feedback: Feedback, author: User, body: str | None, moment: datetime
) -> FeedbackReply:
    """Add a reply under a feedback."""
    text = _clean_text(body, field_name="reply", empty="Schrijf eerst je antwoord.", limit=BODY_MAX)
    reply = FeedbackReply(
        feedback_id=feedback.id, author_id=author.id, body=text, created_at=moment
    )
    session.add(reply)
    session.flush()
    return reply


def open_requests(session: Session, item: Item) -> list[FeedbackRequest]:
    """Return the item's unanswered requests, oldest first."""
    return list(
        session.exec(
            select(FeedbackRequest)
            .where(FeedbackRequest.item_id == item.id, FeedbackRequest.resolved_at.is_(None))
            .order_by(FeedbackRequest.asked_at, FeedbackRequest.id)
        )
    )


def item_thread(session: Session, placement: Placement, item: Item) -> list[FeedbackView]:
    """Return the item's feedback, oldest first, with tags, replies and authors (5 queries)."""
    feedbacks = session.exec(
        select(Feedback)
        .where(Feedback.item_id == item.id)
        .order_by(Feedback.created_at, Feedback.id)
    ).all()
    return _views(session, placement, list(feedbacks))


def item_threads(
    session: Session, placement: Placement, item_ids: list[int]
) -> dict[int, list[FeedbackView]]:
    """Return the feedback threads of many items at once (an export), in the same 5 queries."""
    if not item_ids:
        return {}
    feedbacks = session.exec(
        select(Feedback)
        .where(Feedback.item_id.in_(item_ids))
        .order_by(Feedback.created_at, Feedback.id)
    ).all()
    threads: dict[int, list[FeedbackView]] = defaultdict(list)
    for view in _views(session, placement, list(feedbacks)):
        threads[view.feedback.item_id].append(view)
    return threads


def _views(session: Session, placement: Placement, feedbacks: list[Feedback]) -> list[FeedbackView]:
    if not feedbacks:
        return []
    ids = [f.id for f in feedbacks]
    tags: dict[int, list[Attitude]] = defaultdict(list)
    for feedback_id, attitude in session.exec(
        select(FeedbackAttitude.feedback_id, Attitude)
        .join(Attitude, Attitude.id == FeedbackAttitude.attitude_id)
        .where(FeedbackAttitude.feedback_id.in_(ids))
        .order_by(Attitude.position, Attitude.id)
    ):
        tags[feedback_id].append(attitude)
    replies = session.exec(
        select(FeedbackReply)
        .where(FeedbackReply.feedback_id.in_(ids))
        .order_by(FeedbackReply.created_at, FeedbackReply.id)
    ).all()
    request_ids = {f.request_id for f in feedbacks if f.request_id is not None}
    requests = {
        r.id: r
        for r in (
            session.exec(select(FeedbackRequest).where(FeedbackRequest.id.in_(request_ids)))
            if request_ids
            else []
        )
    }
    author_ids = {f.author_id for f in feedbacks} | {r.author_id for r in replies}
    authors = {u.id: u for u in session.exec(select(User).where(User.id.in_(author_ids)))}
    replies_by: dict[int, list[ReplyView]] = defaultdict(list)
    for reply in replies:
        author = authors[reply.author_id]
        replies_by[reply.feedback_id].append(
            ReplyView(reply, author, role_label(author, placement))
        )
    return [
        FeedbackView(
            feedback=f,
            author=authors[f.author_id],
            role_label=role_label(authors[f.author_id], placement),
            kind_label=KIND_LABELS.get(f.kind, f.kind),
            attitudes=tags[f.id],
            replies=replies_by[f.id],
            request=requests.get(f.request_id),
        )
        for f in feedbacks
    ]


# ---------------------------------------------------------------- notices (and their mails)


def notify_request(
    session: Session, request: FeedbackRequest, *, placement: Placement, label: str, url: str
) -> Notice | None:
    """Tell the fixed supervisor that the student asked for feedback on an item."""
    if placement.supervisor_id is None:
        return None
    return notify_from_template(
        session,
        recipient=session.get(User, placement.supervisor_id),
        kind="feedbackvraag",
        template="feedback_request",
        url=url,
        student=session.get(User, placement.student_id),
        label=label,
    )


def notify_feedback(
    session: Session, feedback: Feedback, *, placement: Placement, label: str, url: str
) -> Notice | None:
    """Tell the student that someone gave feedback on one of their items."""
    return notify_from_template(
        session,
        recipient=session.get(User, placement.student_id),
        kind="feedback",
        template="feedback_given",
        url=url,
        author=session.get(User, feedback.author_id),
        is_note=feedback.kind == MENTOR_NOTE,
        label=label,
    )


def notify_reply(
    session: Session, reply: FeedbackReply, *, feedback: Feedback, label: str, url: str
) -> Notice | None:
    """Tell the feedback's author that someone replied (not when they replied themselves)."""
    if reply.author_id == feedback.author_id:
        return None
    return notify_from_template(
        session,
        recipient=session.get(User, feedback.author_id),
        kind="feedback",
        template="feedback_reply",
        url=url,
        replier=session.get(User, reply.author_id),
        label=label,
    )

"""Guidance pages: the list of moments, one placement's guidance, one moment."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from portfolio.access import (
    can_answer_one_on_one,
    can_manage_moment,
    is_owner,
    load_placement,
    visible_moments_clause,
    visible_placements_clause,
)
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import guidance, guidance_attendance, guidance_hours, guidance_list
from portfolio.domain.deadline import is_closed
from portfolio.models import (
    Attendance,
    AttendanceStatus,
    GuidanceMoment,
    GuidanceNote,
    GuidanceStatus,
    Placement,
    Pool,
    Role,
    SessionTopic,
    User,
)
from portfolio.pagination import PER_PAGE, ListArgs, paginate
from portfolio.routes.guidance import bp
from portfolio.routes.guidance.loaders import load_moment, own_placements
from portfolio.routes.guidance.parsing import Parsed

REQUESTS_SHOWN = PER_PAGE  # open requests are a short queue; never render all of a backlog


@bp.route("/begeleiding")
def index():
    if current_user.role == Role.STUDENT:
        return redirect(url_for("guidance.mine"))
    session, moment_now = get_session(), now()
    args = ListArgs(request.args)
    chosen = guidance_list.read_filter(args)
    visible = visible_moments_clause(current_user)
    page = paginate(
        session,
        guidance_list.moments_query(visible, chosen, moment_now),
        args=args,
        sorting=guidance_list.SORTING,
    )
    requests = session.exec(
        guidance_list.moments_query(visible, guidance_list.MomentFilter(), moment_now)
        .where(GuidanceMoment.status == GuidanceStatus.REQUESTED)
        .order_by(GuidanceMoment.starts_at, GuidanceMoment.id)
        .limit(REQUESTS_SHOWN)
    ).all()
    hours = guidance_hours.hours_for(session, {row[1].id: row[1] for row in requests}.values())
    topics = session.exec(
        select(SessionTopic, User)
        .join(Placement, Placement.id == SessionTopic.placement_id)
        .join(User, User.id == Placement.student_id)
        .where(visible_placements_clause(current_user))
        .order_by(SessionTopic.created_at.desc())
        .limit(50)
    ).all()
    flagged = session.exec(
        select(Placement, User, func.count(Attendance.id))
        .join(Attendance, Attendance.placement_id == Placement.id)
        .join(User, User.id == Placement.student_id)
        .where(
            visible_placements_clause(current_user),
            Attendance.status == AttendanceStatus.ILLEGITIMATE,
        )
        .group_by(Placement.id, User.id)
        .having(func.count(Attendance.id) > guidance_attendance.ILLEGITIMATE_ABSENCES_ALLOWED)
    ).all()
    return render_template(
        "guidance/index.html",
        page=page,
        chosen=chosen,
        periods=guidance_list.PERIODS,
        statuses=guidance_list.STATUSES,
        is_coming=lambda gm: guidance_list.is_coming(gm, moment_now),
        requests=requests,
        hours=hours,
        topics=topics,
        flagged=flagged,
        can_answer=lambda placement: can_answer_one_on_one(current_user, placement),
        flag_text=guidance_attendance.SECOND_ABSENCE_FLAG,
    )


@bp.route("/begeleiding/mijn")
def mine():
    if current_user.role != Role.STUDENT:
        return redirect(url_for("guidance.index"))
    placements = own_placements()
    if not placements:
        return render_template("guidance/no_placement.html")
    return render_placement(placements[0])


@bp.route("/stages/<int:placement_id>/begeleiding")
def placement(placement_id: int):
    return render_placement(load_placement(placement_id))


def render_placement(placement: Placement, *, parsed: Parsed | None = None, status: int = 200):
    """Render one placement's guidance page: moments, forms, attendance, hours, topics."""
    session = get_session()
    moment_now = now()
    clause = GuidanceMoment.placement_id == placement.id
    if placement.pool_id is not None:
        clause = clause | (GuidanceMoment.pool_id == placement.pool_id)
    moments = session.exec(
        select(GuidanceMoment).where(clause).order_by(GuidanceMoment.starts_at.desc())
    ).all()
    attendance = {
        a.moment_id: a
        for a in session.exec(select(Attendance).where(Attendance.placement_id == placement.id))
    }
    by_id = {gm.id: gm for gm in moments}
    # Per moment: how many entries, and whether the student's own entry came in late.
    entries: dict[int, dict] = {}
    for note in session.exec(
        select(GuidanceNote)
        .where(GuidanceNote.placement_id == placement.id)
        .order_by(GuidanceNote.created_at)
    ):
        gm = by_id.get(note.moment_id)
        if gm is None:  # the placement changed pool since; that session is no longer listed
            continue
        state = entries.setdefault(gm.id, {"count": 0, "student": None})
        state["count"] += 1
        if note.author_id == placement.student_id and state["student"] is None:
            state["student"] = "late" if guidance.is_late_entry(note, gm, placement) else "ok"
    topics = session.exec(
        select(SessionTopic)
        .where(SessionTopic.placement_id == placement.id)
        .order_by(SessionTopic.created_at.desc())
    ).all()
    illegitimate = sum(a.status == AttendanceStatus.ILLEGITIMATE for a in attendance.values())
    return render_template(
        "guidance/placement.html",
        placement=placement,
        student=session.get(User, placement.student_id),
        moments=moments,
        attendance=attendance,
        entries=entries,
        topics=topics,
        hours=guidance_hours.one_on_one_hours(session, placement),
        absence_flag=guidance_attendance.absence_flag(illegitimate),
        earliest=guidance.earliest_request_day(moment_now),
        is_owner=is_owner(current_user, placement),
        closed=is_closed(placement, moment_now),
        now=moment_now,
        parsed=parsed or Parsed(values={"duur": "60"}),
    ), status


@bp.route("/begeleiding/momenten/<int:moment_id>")
def moment(moment_id: int):
    gm = load_moment(moment_id)
    session = get_session()
    if current_user.role == Role.STUDENT:
        target = next(p for p in own_placements() if guidance.belongs_to(gm, p))
        return redirect(url_for("guidance.form", moment_id=gm.id, placement_id=target.id))
    clause = (
        Placement.id == gm.placement_id
        if gm.placement_id is not None
        else Placement.pool_id == gm.pool_id
    )
    rows = session.exec(
        select(Placement, User, guidance_attendance.illegitimate_absences_of(Placement.id))
        .join(User, User.id == Placement.student_id)
        .where(clause)
        .order_by(User.name)
    ).all()
    participants = [(placement, student) for placement, student, _ in rows]
    absences = {placement.id: count for placement, _, count in rows}
    attendance = {
        a.placement_id: a
        for a in session.exec(select(Attendance).where(Attendance.moment_id == gm.id))
    }
    note_counts = dict(
        session.exec(
            select(GuidanceNote.placement_id, func.count(GuidanceNote.id))
            .where(GuidanceNote.moment_id == gm.id)
            .group_by(GuidanceNote.placement_id)
        ).all()
    )
    the_placement = participants[0][0] if gm.placement_id is not None and participants else None
    return render_template(
        "guidance/moment.html",
        gm=gm,
        pool=session.get(Pool, gm.pool_id) if gm.pool_id else None,
        participants=participants,
        attendance=attendance,
        note_counts=note_counts,
        absences=absences,
        absence_flag=guidance_attendance.absence_flag,
        can_answer=the_placement is not None and can_answer_one_on_one(current_user, the_placement),
        can_manage=can_manage_moment(current_user, gm, the_placement),
        hours=(guidance_hours.one_on_one_hours(session, the_placement) if the_placement else None),
    )

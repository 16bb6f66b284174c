"""The begeleidings- en evaluatieformulier after a moment, attendance and the absence note."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from portfolio.access import (
    can_read_guidance_note,
    can_write_guidance_note,
    is_owner,
    require_guidance_note_author,
    require_student_write,
    require_supervision,
)
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import guidance, guidance_attendance
from portfolio.domain.errors import DomainError
from portfolio.errors import is_htmx
from portfolio.models import GuidanceMoment, GuidanceNote, Placement, Role, User
from portfolio.routes.guidance import bp
from portfolio.routes.guidance.loaders import load_pair
from portfolio.routes.guidance.parsing import Parsed

FORM_URL = "/begeleiding/momenten/<int:moment_id>/stages/<int:placement_id>"


@bp.route(FORM_URL)
def form(moment_id: int, placement_id: int):
    gm, placement = load_pair(moment_id, placement_id)
    return _render_form(gm, placement)


def _render_form(
    gm: GuidanceMoment, placement: Placement, *, parsed: Parsed | None = None, status: int = 200
):
    session = get_session()
    notes = session.exec(
        select(GuidanceNote, User)
        .join(User, User.id == GuidanceNote.author_id)
        .where(GuidanceNote.moment_id == gm.id, GuidanceNote.placement_id == placement.id)
        .order_by(GuidanceNote.created_at, GuidanceNote.id)
    ).all()
    is_mentor = current_user.role == Role.MENTOR
    # A mentor reads the visit's entries but not the student's own (reflections are personal).
    readable = [
        (note, author, guidance.is_late_entry(note, gm, placement))
        for note, author in notes
        if can_read_guidance_note(current_user, placement, note.author_id)
    ]
    return render_template(
        "guidance/form.html",
        gm=gm,
        placement=placement,
        student=session.get(User, placement.student_id),
        notes=readable,
        hidden_notes=len(notes) - len(readable),
        attendance=(
            None if is_mentor else guidance_attendance.find_attendance(session, gm, placement)
        ),
        late_text=guidance.LATE_ENTRY_TEXT,
        is_owner=is_owner(current_user, placement),
        is_mentor=is_mentor,
        can_write=can_write_guidance_note(current_user, gm, placement),
        has_started=gm.starts_at <= now(),
        parsed=parsed or Parsed(),
    ), status


def _back_to_form(gm: GuidanceMoment, placement: Placement, message: str):
    flash(message, "success")
    return redirect(url_for("guidance.form", moment_id=gm.id, placement_id=placement.id), 303)


@bp.route(FORM_URL + "/notities", methods=["POST"])
def add_note(moment_id: int, placement_id: int):
    gm, placement = load_pair(moment_id, placement_id)
    require_guidance_note_author(gm, placement)
    parsed = Parsed()
    texts = {name: parsed.text(name, limit=20000) for name in ("lessen", "inzicht", "stappen")}
    if not parsed.errors and not any(texts.values()):
        parsed.errors["lessen"] = (
            "Vul minstens één deel in: lessen, nieuw inzicht of volgende stappen."
        )
    parsed.run(
        guidance.add_note,
        get_session(),
        gm,
        placement,
        lessons=texts["lessen"],
        insight=texts["inzicht"],
        next_steps=texts["stappen"],
        actor=current_user,
        at=now(),
    )
    if parsed.errors:
        return _render_form(gm, placement, parsed=parsed, status=422)
    return _back_to_form(
        gm, placement, "Je aanvulling op het begeleidings- en evaluatieformulier is bewaard."
    )


@bp.route(FORM_URL + "/aanwezigheid", methods=["POST"])
def record_attendance(moment_id: int, placement_id: int):
    gm, placement = load_pair(moment_id, placement_id)
    require_supervision(placement)
    status = request.form.get("status", "")
    if status not in guidance_attendance.ATTENDANCE_LABELS:
        raise DomainError("Kies aanwezig, gewettigd afwezig of ongewettigd afwezig.")
    session = get_session()
    att = guidance_attendance.record_attendance(
        session, gm, placement, status=status, actor=current_user
    )
    flag = guidance_attendance.placement_absence_flag(session, placement)
    if is_htmx():
        note_count = session.exec(
            select(func.count(GuidanceNote.id)).where(
                GuidanceNote.moment_id == gm.id, GuidanceNote.placement_id == placement.id
            )
        ).one()
        return render_template(
            "guidance/partials/_attendance_row.html",
            gm=gm,
            placement=placement,
            student=session.get(User, placement.student_id),
            att=att,
            flag=flag,
            note_count=note_count,
            saved=True,
        )
    flash(flag or "De aanwezigheid is bewaard.", "error" if flag else "success")
    return redirect(url_for("guidance.moment", moment_id=gm.id), 303)


@bp.route(FORM_URL + "/briefje", methods=["POST"])
def absence_note(moment_id: int, placement_id: int):
    gm, placement = load_pair(moment_id, placement_id)
    require_student_write(placement)
    parsed = Parsed()
    note = parsed.text("briefje", required="Schrijf waarom je er niet was.", limit=4000)
    parsed.run(
        guidance_attendance.add_absence_note,
        get_session(),
        gm,
        placement,
        note=note,
        actor=current_user,
    )
    if parsed.errors:
        return _render_form(gm, placement, parsed=parsed, status=422)
    return _back_to_form(gm, placement, "Je briefje is bewaard.")

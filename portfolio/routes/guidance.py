"""Routes: guidance moments (begeleidingsmomenten) for students, supervisors and coordinator.

Mentors get 403 on the whole area for now (see access.require_guidance_area).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from portfolio.access import (
    can_answer_one_on_one,
    can_manage_moment,
    can_supervise,
    can_supervise_pool,
    can_view_moment,
    is_owner,
    load_placement,
    pool_ids_of,
    require_guidance_area,
    require_student_write,
    require_supervision,
    visible_moments_clause,
    visible_placements_clause,
)
from portfolio.clock import BRUSSELS, now
from portfolio.db import get_session
from portfolio.domain import guidance
from portfolio.domain.deadline import is_closed
from portfolio.domain.errors import DomainError, Forbidden
from portfolio.extensions import login_manager
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

bp = Blueprint("guidance", __name__)

LIST_LIMIT = 200


@bp.before_request
def _gate():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_guidance_area()
    return None


@bp.context_processor
def _labels():
    return {
        "type_labels": guidance.TYPE_LABELS,
        "status_labels": guidance.STATUS_LABELS,
        "attendance_labels": guidance.ATTENDANCE_LABELS,
        "fmt_minutes": guidance.format_minutes,
        "Status": GuidanceStatus,
    }


# ---------------------------------------------------------------- input parsing


@dataclass
class Parsed:
    """Form values kept for re-rendering, and Dutch errors per field."""

    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def text(self, name: str, *, required: str | None = None, limit: int = 10000) -> str:
        value = request.form.get(name, "").strip()
        self.values[name] = value
        if required and not value:
            self.errors[name] = required
        elif len(value) > limit:
            self.errors[name] = f"Houd dit korter dan {limit} tekens."
        return value

    def starts_at(self) -> datetime | None:
        """Read a date and time entered in Brussels time and return it as UTC."""
        day_text, time_text = self.text("dag"), self.text("uur")
        try:
            day = date.fromisoformat(day_text)
            if not 2000 <= day.year <= 2100:  # also keeps the UTC conversion in range
                raise ValueError(day_text)
        except ValueError:
            self.errors["dag"] = "Kies een datum." if not day_text else "Dit is geen geldige datum."
            day = None
        try:
            clock = time.fromisoformat(time_text)
        except ValueError:
            self.errors["uur"] = "Kies een uur (uu:mm)."
            clock = None
        if day is None or clock is None:
            return None
        return datetime.combine(day, clock, tzinfo=BRUSSELS).astimezone(UTC)

    def minutes(self, name: str = "duur") -> int:
        value = self.text(name)
        if not value.isdigit() or not (
            guidance.MIN_DURATION <= int(value) <= guidance.MAX_DURATION
        ):
            self.errors[name] = (
                f"Geef een duur in minuten, tussen {guidance.MIN_DURATION} en "
                f"{guidance.MAX_DURATION}."
            )
            return 0
        return int(value)

    def hours(self, name: str = "uren", *, allow_empty: bool = False) -> float | None:
        value = self.text(name).replace(",", ".")
        if allow_empty and not value:
            return None
        try:
            hours = float(value)
        except ValueError:
            hours = -1.0
        if not 0 <= hours <= 100:
            self.errors[name] = "Geef een aantal uren tussen 0 en 100 (bv. 4 of 2,5)."
            return None
        return hours


def _rule_error(parsed: Parsed, error: DomainError) -> None:
    """Show a rule's refusal in the form (422); permission refusals stay 403 pages."""
    if error.status != 422:
        raise error
    parsed.errors["_form"] = error.message


# ---------------------------------------------------------------- lists


@bp.route("/begeleiding")
def index():
    if current_user.role == Role.STUDENT:
        return redirect(url_for("guidance.mine"))
    session = get_session()
    moments = session.exec(
        select(GuidanceMoment, Placement, User, Pool)
        .outerjoin(Placement, Placement.id == GuidanceMoment.placement_id)
        .outerjoin(User, User.id == Placement.student_id)
        .outerjoin(Pool, Pool.id == GuidanceMoment.pool_id)
        .where(visible_moments_clause(current_user))
        .order_by(GuidanceMoment.starts_at.desc())
        .limit(LIST_LIMIT)
    ).all()
    requests = [row for row in moments if row[0].status == GuidanceStatus.REQUESTED]
    hours = guidance.hours_for(session, {row[1].id: row[1] for row in requests}.values())
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
        .having(func.count(Attendance.id) > guidance.ILLEGITIMATE_ABSENCES_ALLOWED)
    ).all()
    moment_now = now()
    return render_template(
        "guidance/index.html",
        upcoming=[
            r for r in reversed(moments) if r[0].starts_at >= moment_now - timedelta(hours=12)
        ],
        past=[r for r in moments if r[0].starts_at < moment_now - timedelta(hours=12)],
        requests=requests,
        hours=hours,
        topics=topics,
        flagged=flagged,
        can_answer=lambda placement: can_answer_one_on_one(current_user, placement),
        flag_text=guidance.SECOND_ABSENCE_FLAG,
    )


@bp.route("/begeleiding/mijn")
def mine():
    if current_user.role != Role.STUDENT:
        return redirect(url_for("guidance.index"))
    placement = (
        get_session()
        .exec(
            select(Placement)
            .where(Placement.student_id == current_user.id)
            .order_by(Placement.first_day.desc())
        )
        .first()
    )
    if placement is None:
        return render_template("guidance/no_placement.html")
    return _render_placement(placement)


@bp.route("/stages/<int:placement_id>/begeleiding")
def placement(placement_id: int):
    return _render_placement(load_placement(placement_id))


def _render_placement(placement: Placement, *, parsed: Parsed | None = None, status: int = 200):
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
        hours=guidance.one_on_one_hours(session, placement),
        absence_flag=guidance.absence_flag(illegitimate),
        earliest=guidance.earliest_request_day(moment_now),
        is_owner=is_owner(current_user, placement),
        closed=is_closed(placement, moment_now),
        now=moment_now,
        parsed=parsed or Parsed(values={"duur": "60"}),
    ), status


# ---------------------------------------------------------------- planning


def _plan_choices() -> tuple[list[Pool], list[tuple[Placement, User]]]:
    session = get_session()
    pools_query = select(Pool).order_by(Pool.name)
    if current_user.role != Role.COORDINATOR:
        pools_query = pools_query.where(Pool.id.in_(pool_ids_of(current_user) or {-1}))
    placements = session.exec(
        select(Placement, User)
        .join(User, User.id == Placement.student_id)
        .where(visible_placements_clause(current_user))
        .order_by(User.name, Placement.first_day.desc())
    ).all()
    return list(session.exec(pools_query).all()), list(placements)


def _target(parsed: Parsed) -> tuple[Placement | None, int | None]:
    """Read 'pool-<id>' or 'stage-<id>' and check the planner may plan for it."""
    kind, _, raw_id = parsed.text("voor").partition("-")
    if kind not in ("pool", "stage") or not raw_id.isdigit():
        parsed.errors["voor"] = "Kies een pool of een student."
        return None, None
    if kind == "pool":
        if get_session().get(Pool, int(raw_id)) is None:
            abort(404)
        if not can_supervise_pool(current_user, int(raw_id)):
            raise Forbidden("Je plant alleen voor je eigen pool.")
        return None, int(raw_id)
    placement = get_session().get(Placement, int(raw_id))
    if placement is None:
        abort(404)
    if not can_supervise(current_user, placement):
        raise Forbidden("Je plant alleen voor studenten die jij (of je pool) begeleidt.")
    return placement, None


@bp.route("/begeleiding/nieuw", methods=["GET", "POST"])
def plan():
    if current_user.role not in (Role.SUPERVISOR, Role.COORDINATOR):
        raise Forbidden("Alleen begeleiders en de coördinator plannen begeleidingsmomenten.")
    parsed = Parsed(values={"duur": "60", "voor": request.args.get("voor", "")})
    if request.method == "POST":
        parsed.values = {}
        kind = parsed.text("soort")
        if kind not in guidance.TYPE_LABELS:
            parsed.errors["soort"] = "Kies een soort begeleidingsmoment uit de lijst."
        title = parsed.text("titel", limit=200)
        starts_at = parsed.starts_at()
        minutes = parsed.minutes()
        mandatory = {"": None, "ja": True, "nee": False}.get(parsed.text("verplicht"))
        placement, pool_id = _target(parsed)
        if not parsed.errors:
            try:
                moment = guidance.plan_moment(
                    get_session(),
                    type=kind,
                    title=title,
                    starts_at=starts_at,
                    duration_minutes=minutes,
                    actor=current_user,
                    placement=placement,
                    pool_id=pool_id,
                    is_mandatory=mandatory,
                )
                flash("Het begeleidingsmoment is gepland.", "success")
                return redirect(url_for("guidance.moment", moment_id=moment.id), 303)
            except DomainError as error:
                _rule_error(parsed, error)
    pools, placements = _plan_choices()
    return render_template(
        "guidance/plan.html",
        parsed=parsed,
        pools=pools,
        placements=placements,
        types=guidance.TYPE_LABELS,
        individual=guidance.INDIVIDUAL_TYPES,
    ), (422 if parsed.errors else 200)


# ---------------------------------------------------------------- student actions


@bp.route("/stages/<int:placement_id>/begeleiding/aanvragen", methods=["POST"])
def request_talk(placement_id: int):
    placement = load_placement(placement_id)
    require_student_write(placement)
    parsed = Parsed()
    starts_at = parsed.starts_at()
    minutes = parsed.minutes()
    questions = parsed.text(
        "vragen", required="Schrijf je vragen voor het gesprek erbij.", limit=10000
    )
    if not parsed.errors:
        try:
            guidance.request_one_on_one(
                get_session(),
                placement,
                starts_at=starts_at,
                duration_minutes=minutes,
                questions=questions,
                actor=current_user,
                moment=now(),
            )
            flash("Je aanvraag is verstuurd naar je vaste stagebegeleider.", "success")
            return redirect(url_for("guidance.placement", placement_id=placement.id), 303)
        except DomainError as error:
            _rule_error(parsed, error)
    return _render_placement(placement, parsed=parsed, status=422)


@bp.route("/stages/<int:placement_id>/begeleiding/onderwerpen", methods=["POST"])
def propose_topic(placement_id: int):
    placement = load_placement(placement_id)
    require_student_write(placement)
    parsed = Parsed()
    topic = parsed.text("onderwerp", required="Beschrijf het onderwerp.", limit=2000)
    if not parsed.errors:
        guidance.propose_topic(get_session(), placement, topic=topic, actor=current_user)
        flash("Je voorstel voor een sessie op vraag is doorgegeven aan de begeleiders.", "success")
        return redirect(url_for("guidance.placement", placement_id=placement.id), 303)
    return _render_placement(placement, parsed=parsed, status=422)


# ---------------------------------------------------------------- hours (coordinator)


def _require_coordinator() -> None:
    if current_user.role != Role.COORDINATOR:
        raise Forbidden(
            "Alleen de stagecoördinator kan het aantal uren 1-op-1 begeleiding instellen."
        )


@bp.route("/begeleiding/instellingen", methods=["GET", "POST"])
def settings():
    _require_coordinator()
    session = get_session()
    parsed = Parsed(values={"uren": f"{guidance.programme_hours(session):g}"})
    if request.method == "POST":
        hours = parsed.hours()
        if not parsed.errors:
            guidance.set_programme_hours(session, hours, actor=current_user)
            flash("Het maximum aantal uren 1-op-1 begeleiding is bewaard.", "success")
            return redirect(url_for("guidance.settings"), 303)
    return render_template("guidance/settings.html", parsed=parsed), (422 if parsed.errors else 200)


@bp.route("/stages/<int:placement_id>/begeleiding/uren", methods=["POST"])
def placement_hours(placement_id: int):
    placement = load_placement(placement_id)
    _require_coordinator()
    parsed = Parsed()
    hours = parsed.hours(allow_empty=True)
    if parsed.errors:
        return _render_placement(placement, parsed=parsed, status=422)
    guidance.set_placement_hours(get_session(), placement, hours, actor=current_user)
    flash("Het aantal uren voor deze student is bewaard.", "success")
    return redirect(url_for("guidance.placement", placement_id=placement.id), 303)


# ---------------------------------------------------------------- one moment


def _load_moment(moment_id: int) -> GuidanceMoment:
    moment = get_session().get(GuidanceMoment, moment_id)
    if moment is None:
        abort(404)
    if not can_view_moment(current_user, moment):
        raise Forbidden("Dit begeleidingsmoment hoort niet bij jouw studenten of je pool.")
    return moment


def _load_pair(moment_id: int, placement_id: int) -> tuple[GuidanceMoment, Placement]:
    """Load a moment and one of its placements; 404 when they do not belong together."""
    placement = load_placement(placement_id)
    moment = get_session().get(GuidanceMoment, moment_id)
    if moment is None or not guidance.belongs_to(moment, placement):
        abort(404)
    return moment, placement


@bp.route("/begeleiding/momenten/<int:moment_id>")
def moment(moment_id: int):
    gm = _load_moment(moment_id)
    session = get_session()
    if current_user.role == Role.STUDENT:
        own = session.exec(
            select(Placement)
            .where(Placement.student_id == current_user.id)
            .order_by(Placement.first_day.desc())
        ).all()
        target = next(p for p in own if guidance.belongs_to(gm, p))
        return redirect(url_for("guidance.form", moment_id=gm.id, placement_id=target.id))
    clause = (
        Placement.id == gm.placement_id
        if gm.placement_id is not None
        else Placement.pool_id == gm.pool_id
    )
    participants = session.exec(
        select(Placement, User)
        .join(User, User.id == Placement.student_id)
        .where(clause)
        .order_by(User.name)
    ).all()
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
    absences = guidance.illegitimate_absence_counts(session, [p.id for p, _ in participants])
    the_placement = participants[0][0] if gm.placement_id is not None and participants else None
    return render_template(
        "guidance/moment.html",
        gm=gm,
        pool=session.get(Pool, gm.pool_id) if gm.pool_id else None,
        participants=participants,
        attendance=attendance,
        note_counts=note_counts,
        absences=absences,
        absence_flag=guidance.absence_flag,
        can_answer=the_placement is not None and can_answer_one_on_one(current_user, the_placement),
        can_manage=can_manage_moment(current_user, gm, the_placement),
        hours=guidance.one_on_one_hours(session, the_placement) if the_placement else None,
    )


@bp.route("/begeleiding/momenten/<int:moment_id>/status", methods=["POST"])
def change_status(moment_id: int):
    gm = _load_moment(moment_id)
    placement = get_session().get(Placement, gm.placement_id) if gm.placement_id else None
    new_status = request.form.get("status", "")
    if gm.status == GuidanceStatus.REQUESTED:
        allowed = placement is not None and can_answer_one_on_one(current_user, placement)
        if not allowed:
            raise Forbidden("Alleen de vaste stagebegeleider bevestigt of annuleert een aanvraag.")
    elif not can_manage_moment(current_user, gm, placement):
        raise Forbidden("Alleen wie dit moment kan plannen, kan het afronden of annuleren.")
    if new_status not in guidance.STATUS_LABELS:
        raise DomainError("Kies een geldige status.")
    guidance.change_status(get_session(), gm, new_status, actor=current_user)
    flash(f"Status: {guidance.STATUS_LABELS[new_status].lower()}.", "success")
    return redirect(url_for("guidance.moment", moment_id=gm.id), 303)


@bp.route("/begeleiding/momenten/<int:moment_id>/stages/<int:placement_id>")
def form(moment_id: int, placement_id: int):
    gm, placement = _load_pair(moment_id, placement_id)
    return _render_form(gm, placement)


def _render_form(gm, placement, *, parsed: Parsed | None = None, status: int = 200):
    session = get_session()
    notes = session.exec(
        select(GuidanceNote, User)
        .join(User, User.id == GuidanceNote.author_id)
        .where(GuidanceNote.moment_id == gm.id, GuidanceNote.placement_id == placement.id)
        .order_by(GuidanceNote.created_at, GuidanceNote.id)
    ).all()
    attendance = session.exec(
        select(Attendance).where(
            Attendance.moment_id == gm.id, Attendance.placement_id == placement.id
        )
    ).first()
    moment_now = now()
    return render_template(
        "guidance/form.html",
        gm=gm,
        placement=placement,
        student=session.get(User, placement.student_id),
        notes=[
            (note, author, guidance.is_late_entry(note, gm, placement)) for note, author in notes
        ],
        attendance=attendance,
        late_text=guidance.LATE_ENTRY_TEXT,
        is_owner=is_owner(current_user, placement),
        can_write=(
            can_supervise(current_user, placement)
            or (is_owner(current_user, placement) and not is_closed(placement, moment_now))
        ),
        has_started=gm.starts_at <= moment_now,
        parsed=parsed or Parsed(),
    ), status


@bp.route(
    "/begeleiding/momenten/<int:moment_id>/stages/<int:placement_id>/notities", methods=["POST"]
)
def add_note(moment_id: int, placement_id: int):
    gm, placement = _load_pair(moment_id, placement_id)
    if current_user.role == Role.STUDENT:
        require_student_write(placement)
    else:
        require_supervision(placement)
    parsed = Parsed()
    texts = {name: parsed.text(name, limit=20000) for name in ("lessen", "inzicht", "stappen")}
    if not parsed.errors and not any(texts.values()):
        parsed.errors["lessen"] = (
            "Vul minstens één deel in: lessen, nieuw inzicht of volgende stappen."
        )
    if not parsed.errors:
        try:
            guidance.add_note(
                get_session(),
                gm,
                placement,
                lessons=texts["lessen"],
                insight=texts["inzicht"],
                next_steps=texts["stappen"],
                actor=current_user,
                at=now(),
            )
            flash("Je aanvulling op het begeleidings- en evaluatieformulier is bewaard.", "success")
            return redirect(
                url_for("guidance.form", moment_id=gm.id, placement_id=placement.id), 303
            )
        except DomainError as error:
            _rule_error(parsed, error)
    return _render_form(gm, placement, parsed=parsed, status=422)


@bp.route(
    "/begeleiding/momenten/<int:moment_id>/stages/<int:placement_id>/aanwezigheid",
    methods=["POST"],
)
def record_attendance(moment_id: int, placement_id: int):
    gm, placement = _load_pair(moment_id, placement_id)
    require_supervision(placement)
    status = request.form.get("status", "")
    if status not in guidance.ATTENDANCE_LABELS:
        raise DomainError("Kies aanwezig, gewettigd afwezig of ongewettigd afwezig.")
    session = get_session()
    att = guidance.record_attendance(session, gm, placement, status=status, actor=current_user)
    flag = guidance.placement_absence_flag(session, placement)
    if request.headers.get("HX-Request"):
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


@bp.route(
    "/begeleiding/momenten/<int:moment_id>/stages/<int:placement_id>/briefje", methods=["POST"]
)
def absence_note(moment_id: int, placement_id: int):
    gm, placement = _load_pair(moment_id, placement_id)
    require_student_write(placement)
    parsed = Parsed()
    note = parsed.text("briefje", required="Schrijf waarom je er niet was.", limit=4000)
    if not parsed.errors:
        try:
            guidance.add_absence_note(get_session(), gm, placement, note=note, actor=current_user)
            flash("Je briefje is bewaard.", "success")
            return redirect(
                url_for("guidance.form", moment_id=gm.id, placement_id=placement.id), 303
            )
        except DomainError as error:
            _rule_error(parsed, error)
    return _render_form(gm, placement, parsed=parsed, status=422)

"""Routes of the coordinator's area: placements: new, assignment, the calendar of one placement, extensions."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlmodel import select

from portfolio import coordinator_forms as forms
from portfolio.db import get_session
from portfolio.domain import assignment, listings, people
from portfolio.domain import placements as ops
from portfolio.domain.days_off import DayOffNeedsConfirmation
from portfolio.domain.deadline import closes_at
from portfolio.errors import is_htmx
from portfolio.mentor_access import send_mentor_link
from portfolio.models import (
    Placement,
    Pool,
    Role,
    StageDay,
    User,
)
from portfolio.notices import events as notice_events
from portfolio.routes.coordinator import (
    bp,
    form_page,
    get_or_404,
    submit_form,
    valid_or_refuse,
)
from portfolio.routes.form_input import brussels_moment


def _assignment_choices(form) -> None:
    session, none = get_session(), [("", "— geen —")]
    supervisors = listings.users_with_role(session, Role.SUPERVISOR)
    form.supervisor_id.choices = forms.options(none + [(u.id, u.name) for u in supervisors])
    pools_ = session.exec(select(Pool).order_by(Pool.name))
    form.pool_id.choices = forms.options(none + [(p.id, p.name) for p in pools_])


@bp.route("/stages/nieuw", methods=["GET", "POST"])
def new_placement():
    """A new placement; the student is typed as number or e-mail address (`?student=` fills it
    in, as the people list's links do), with htmx suggestions from student_search."""
    prefill = request.args.get("student", "").strip()[:254] if request.method == "GET" else None
    form = forms.PlacementForm(student=prefill)
    _assignment_choices(form)
    data = assignment.PlacementInput()
    form.populate_obj(data)

    def place():
        data.student_id = people.student_id_for(get_session(), form.student.data)
        return assignment.place_student(get_session(), data, actor=current_user)

    placement = submit_form(form, place)
    if placement:
        _send_link_to_new_mentor(placement, previous_mentor_id=None)
        return redirect(url_for(".placement", placement_id=placement.id), 303)
    chosen = people.find_student(get_session(), prefill) if prefill else None
    return form_page("coordinator/placement_form.html", form, chosen=chosen)


@bp.get("/stages/nieuw/studenten")
def student_search():
    """The students matching the Student field of a new placement, for htmx: at most 10.

    Without htmx the people list runs the same search (and links each student to a new placement).
    """
    typed, vary = request.args.get("student", "").strip(), {"Vary": "HX-Request"}
    if not is_htmx():
        return redirect(url_for(".people_list", rol=Role.STUDENT, q=typed[:100]), 303), vary
    students, more = listings.student_choices(get_session(), typed)
    html = render_template(
        "coordinator/partials/_student_choices.html",
        students=students,
        more=more,
        typed=typed,
        min_search=listings.MIN_SEARCH,
    )
    return html, 200, vary


def _send_link_to_new_mentor(placement: Placement, *, previous_mentor_id: int | None) -> None:
    """A placement that gets a mentor sends that mentor their link, unasked."""
    if placement.mentor_id and placement.mentor_id != previous_mentor_id:
        mentor = get_session().get(User, placement.mentor_id)
        send_mentor_link(mentor, actor=current_user)
        flash(f"{mentor.name} kreeg een mail met een persoonlijke link.", "success")


@bp.route("/stages/<int:placement_id>/toewijzing", methods=["GET", "POST"])
def edit_assignment(placement_id: int):
    placement = get_or_404(Placement, placement_id)
    mentor = get_session().get(User, placement.mentor_id) if placement.mentor_id else None
    form = forms.AssignmentForm(
        obj=placement, mentor_name=mentor and mentor.name, mentor_email=mentor and mentor.email
    )
    _assignment_choices(form)
    data = assignment.Assignment()
    form.populate_obj(data)
    previous_mentor_id = placement.mentor_id
    done = submit_form(
        form,
        lambda: assignment.reassign(get_session(), placement, data, actor=current_user) or True,
    )
    if done:
        _send_link_to_new_mentor(placement, previous_mentor_id=previous_mentor_id)
        return redirect(url_for(".placement", placement_id=placement.id), 303)
    return form_page("coordinator/assignment_form.html", form, placement=placement)


def _calendar_context(placement: Placement) -> dict:
    session = get_session()
    return {
        "placement": placement,
        "days": ops.stage_days(session, placement),
        "log": listings.placement_log(session, placement.id),
    }


def _calendar_response(placement: Placement, **question):
    """After a calendar change: the partial for htmx, a redirect for a plain form.

    With a `day_off` question (a date on a weekend or holiday, see domain/days_off.py) the
    calendar is shown again with the question next to the date, for htmx and plain forms alike.
    """
    if is_htmx():
        return render_template(
            "coordinator/partials/_calendar.html", **_calendar_context(placement), **question
        )
    if question:
        return placement_page(placement.id, **question)
    return redirect(url_for(".placement", placement_id=placement.id), 303)


def _confirmed_day_off() -> bool:
    return request.form.get("toch") == "ja"


@bp.get("/stages/<int:placement_id>")
def placement(placement_id: int):
    return placement_page(placement_id)


def placement_page(placement_id: int, *, extension_form=None, status: int = 200, **question):
    """The placement page; a calendar question or a refused extension is shown in place."""
    placement, session = get_or_404(Placement, placement_id), get_session()
    extension_form = extension_form or forms.ExtensionForm()
    return render_template(
        "coordinator/placement.html",
        **question,
        people=listings.placement_people(session, placement),
        pool=session.get(Pool, placement.pool_id) if placement.pool_id else None,
        closes_at=closes_at(placement),
        extensions=listings.extensions_of(session, placement.id),
        extension_form=extension_form,
        **_calendar_context(placement),
    ), status


def _day(placement: Placement, day_id: int) -> StageDay:
    day = get_session().get(StageDay, day_id)
    if day is None or day.placement_id != placement.id:
        abort(404)
    return day


@bp.post("/stages/<int:placement_id>/dagen")
def day_add(placement_id: int):
    placement, form = get_or_404(Placement, placement_id), valid_or_refuse(forms.DayAddForm())
    try:
        ops.add_day(
            get_session(),
            placement,
            form.day.data,
            form.kind.data,
            actor=current_user,
            confirm_day_off=_confirmed_day_off(),
        )
    except DayOffNeedsConfirmation as question:
        day_off = {"target": "nieuw", "day": question.day, "kind": form.kind.data}
        return _calendar_response(placement, day_off=day_off | {"message": question.message})
    return _calendar_response(placement)


@bp.post("/stages/<int:placement_id>/dagen/<int:day_id>/verplaatsen")
def day_move(placement_id: int, day_id: int):
    placement = get_or_404(Placement, placement_id)
    day, form = _day(placement, day_id), valid_or_refuse(forms.DayMoveForm())
    try:
        ops.move_day(
            get_session(),
            placement,
            day,
            form.new_date.data,
            actor=current_user,
            confirm_day_off=_confirmed_day_off(),
        )
    except DayOffNeedsConfirmation as question:
        day_off = {"target": day.id, "day": question.day, "message": question.message}
        return _calendar_response(placement, day_off=day_off)
    return _calendar_response(placement)


@bp.post("/stages/<int:placement_id>/dagen/<int:day_id>/soort")
def day_kind(placement_id: int, day_id: int):
    placement = get_or_404(Placement, placement_id)
    day, form = _day(placement, day_id), valid_or_refuse(forms.DayKindForm())
    ops.set_day_kind(get_session(), placement, day, form.kind.data, actor=current_user)
    return _calendar_response(placement)


@bp.post("/stages/<int:placement_id>/dagen/<int:day_id>/verwijderen")
def day_remove(placement_id: int, day_id: int):
    placement = get_or_404(Placement, placement_id)
    ops.remove_day(get_session(), placement, _day(placement, day_id), actor=current_user)
    return _calendar_response(placement)


@bp.post("/stages/<int:placement_id>/verlenging")
def extend(placement_id: int):
    """Grant an extension; a refusal re-renders the form with the message and what was typed."""
    placement, form = get_or_404(Placement, placement_id), forms.ExtensionForm()

    def grant():
        extension = ops.grant_extension(
            get_session(),
            placement,
            new_closes_at=brussels_moment(form.day.data, form.time.data),
            reason=form.reason.data,
            actor=current_user,
        )
        notice_events.extension_granted(get_session(), placement, extension)
        return extension

    if submit_form(form, grant):
        return redirect(url_for(".placement", placement_id=placement.id), 303)
    return placement_page(placement.id, extension_form=form, status=422)

"""Routes of the coordinator's area: the semester weekdays and the holidays."""

from __future__ import annotations

from flask import (
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlmodel import select

from portfolio import coordinator_forms as forms
from portfolio.db import get_session
from portfolio.domain import programme
from portfolio.models import (
    Holiday,
    SemesterDefault,
)
from portfolio.routes.coordinator import bp, get_or_404, valid_or_refuse


@bp.route("/kalender", methods=["GET", "POST"])
def calendar_settings():
    session = get_session()
    semesters = {}
    for semester in (1, 2):
        default = session.get(SemesterDefault, semester)
        semesters[semester] = forms.SemesterForm(
            prefix=f"s{semester}",
            weekdays=[int(d) for d in default.weekdays.split(",")] if default else [],
            hours=default.hours_per_week if default else None,
        )
    if request.method == "POST":
        for semester, form in semesters.items():
            valid_or_refuse(form)
            programme.set_semester_default(
                session,
                semester,
                weekdays=form.weekdays.data,
                hours_per_week=form.hours.data,
                actor=current_user,
            )
        return redirect(url_for(".calendar_settings"), 303)
    holidays = session.exec(select(Holiday).order_by(Holiday.day)).all()
    return render_template(
        "coordinator/calendar_settings.html",
        semesters=semesters,
        holidays=holidays,
        holiday_form=forms.HolidayForm(formdata=None),
    )


@bp.post("/kalender/vrije-dagen")
def holiday_add():
    form = valid_or_refuse(forms.HolidayForm())
    programme.add_holiday(get_session(), day=form.day.data, name=form.name.data, actor=current_user)
    return redirect(url_for(".calendar_settings"), 303)


@bp.post("/kalender/vrije-dagen/<int:holiday_id>/verwijderen")
def holiday_remove(holiday_id: int):
    programme.remove_holiday(get_session(), get_or_404(Holiday, holiday_id), actor=current_user)
    return redirect(url_for(".calendar_settings"), 303)

"""Routes: the coordinator's area (/beheer): people, pools, placements, calendars, links."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask_login import current_user
from sqlmodel import select

from portfolio import coordinator_forms as forms
from portfolio.access import require_coordinator
from portfolio.auth import mail_password_link
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import accounts, assignment, listings, people, programme
from portfolio.domain import placements as ops
from portfolio.domain.days_off import DayOffNeedsConfirmation
from portfolio.domain.deadline import closes_at
from portfolio.domain.errors import DomainError
from portfolio.domain.mentor_links import revoke_link
from portfolio.errors import is_htmx
from portfolio.extensions import login_manager
from portfolio.mentor_access import send_mentor_link
from portfolio.models import (
    Holiday,
    MentorLink,
    Placement,
    Pool,
    Role,
    SemesterDefault,
    StageDay,
    User,
)
from portfolio.notices import events as notice_events
from portfolio.pagination import ListArgs, paginate
from portfolio.routes.form_input import brussels_moment

bp = Blueprint("coordinator", __name__, url_prefix="/beheer")


@bp.before_request
def coordinator_required():
    """The coarse gate: every /beheer page is for the coordinator only."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_coordinator()
    return None


def _submit(form, action):
    """Validate the form and run the domain action; a refusal is shown in the form, which
    keeps what was typed (next to the field for a FieldError)."""
    if not form.validate_on_submit():
        return None
    try:
        return action()
    except DomainError as error:
        field = getattr(error, "field", None)
        if field in form:
            form[field].errors = [*form[field].errors, error.message]
        else:
            form.form_errors.append(error.message)
        return None


def _page(template: str, form, **context):
    """Render a form page: 422 after a refused submit, 200 otherwise."""
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(template, form=form, **context), status


def _get(model, object_id: int):
    return get_session().get(model, object_id) or abort(404)


@bp.get("")
def index():
    """The coordinator's home: the programme's dashboard (routes/dashboard.py)."""
    # Imported here: the dashboard's blueprint imports this module for the coordinator gate.
    from portfolio.routes.dashboard import dashboard_page

    return dashboard_page()


@bp.get("/personen")
def people_list():
    """Everyone with an account, 50 a page, by role and search (name, e-mail, number)."""
    args = ListArgs(request.args)
    query = listings.people_query(args)
    page = paginate(get_session(), query, args=args, sorting=listings.PEOPLE_SORTING)
    return render_template("coordinator/people.html", page=page, roles=listings.PEOPLE_ROLES)


@bp.route("/personen/<int:user_id>/account", methods=["GET", "POST"])
def account(user_id: int):
    """Switch an account off or on, or change a staff member's role (ends their sessions)."""
    user = _get(User, user_id)
    form = forms.AccountForm(obj=user)
    changed = _submit(
        form,
        lambda: (
            people.update_account(
                get_session(),
                user,
                active=bool(form.active.data),
                role=form.role.data or user.role,
                actor=current_user,
                moment=now(),
            )
            or True
        ),
    )
    if changed:
        flash(f"Het account van {user.name} is bijgewerkt.", "success")
        return redirect(url_for(".people_list", _anchor=f"persoon-{user.id}"), 303)
    return _page("coordinator/account_form.html", form, person=user)


@bp.route("/personen/nieuw", methods=["GET", "POST"])
def new_user():
    form = forms.UserForm()
    created = _submit(
        form,
        lambda: people.create_user(
            get_session(),
            role=form.role.data,
            name=form.name.data,
            email=form.email.data,
            student_number=form.student_number.data,
            password=form.password.data,
            actor=current_user,
        ),
    )
    if created:
        return redirect(url_for(".people_list", nieuw=created.id), 303)
    return _page("coordinator/user_form.html", form)


def _send_activation(user: User, moment) -> bool:
    token = accounts.activate(get_session(), user, moment=moment, actor=current_user)
    expires_at = moment + accounts.VALIDITY[accounts.Purpose.ACTIVATION]
    return mail_password_link(
        user, token, purpose=accounts.Purpose.ACTIVATION, expires_at=expires_at
    )


@bp.post("/personen/<int:user_id>/activatiemail")
def send_activation(user_id: int):
    """Mail one user a link to choose their first password (valid 14 days)."""
    user = _get(User, user_id)
    if _send_activation(user, now()):
        flash(f"Activatiemail verstuurd naar {user.email}.", "success")
    else:
        flash(
            f"De activatiemail aan {user.email} kon niet verstuurd worden. Probeer later opnieuw.",
            "error",
        )
    return redirect(url_for(".people_list") + f"#persoon-{user.id}", 303)


@bp.post("/personen/activatiemails")
def send_activations():
    """Mail every active user without a password (students, supervisors) an activation link."""
    users, moment = accounts.users_without_password(get_session()), now()
    failed = [user.email for user in users if not _send_activation(user, moment)]
    sent = len(users) - len(failed)
    if not users:
        flash("Iedereen heeft al een wachtwoord: er is geen activatiemail verstuurd.", "info")
    else:
        flash(f"{sent} activatiemail(s) verstuurd.", "success")
    if failed:
        flash("Niet verstuurd (mailserver): " + ", ".join(failed) + ".", "error")
    return redirect(url_for(".people_list"), 303)


@bp.route("/personen/import", methods=["GET", "POST"])
def import_students():
    form, check = forms.ImportForm(), None
    if form.validate_on_submit():
        data = form.file.data.stream.read(people.CSV_MAX_BYTES + 1)
        try:
            check = people.import_students(get_session(), data, actor=current_user)
        except DomainError as error:
            check = people.CsvCheck(errors=[(None, error.message)])
        if not check.errors:
            return render_template("coordinator/import.html", form=form, check=check)
    status = 422 if request.method == "POST" else 200
    return render_template("coordinator/import.html", form=form, check=check), status


@bp.route("/pools", methods=["GET", "POST"])
def pools():
    session, form = get_session(), forms.PoolForm()
    if _submit(
        form, lambda: programme.create_pool(session, name=form.name.data, actor=current_user)
    ):
        return redirect(url_for(".pools"), 303)
    return _pools_page(form)


def _pools_page(form, *, member_errors: dict | None = None, chosen: dict | None = None):
    """The pools page; a refused member addition shows its message by that pool's form."""
    session = get_session()
    page, status = _page(
        "coordinator/pools.html",
        form,
        pools=session.exec(select(Pool).order_by(Pool.name)).all(),
        members=listings.pool_members(session),
        supervisors=listings.users_with_role(session, Role.SUPERVISOR),
        member_errors=member_errors or {},
        chosen=chosen or {},
    )
    return page, 422 if member_errors else status


@bp.post("/pools/<int:pool_id>/leden")
def pool_add_member(pool_id: int):
    pool, form = _get(Pool, pool_id), forms.PoolMemberForm()
    user = get_session().get(User, form.user_id.data or 0) if form.validate_on_submit() else None
    try:
        if user is None:
            raise DomainError("Kies een stagebegeleider uit de lijst.")
        programme.add_pool_member(get_session(), pool, user, actor=current_user)
    except DomainError as error:
        chosen = {pool.id: user.id} if user else {}
        return _pools_page(
            forms.PoolForm(formdata=None), member_errors={pool.id: error.message}, chosen=chosen
        )
    return redirect(url_for(".pools"), 303)


@bp.post("/pools/<int:pool_id>/leden/<int:user_id>/verwijderen")
def pool_remove_member(pool_id: int, user_id: int):
    pool, user = _get(Pool, pool_id), _get(User, user_id)
    programme.remove_pool_member(get_session(), pool, user, actor=current_user)
    return redirect(url_for(".pools"), 303)


def _assignment_choices(form) -> None:
    session, none = get_session(), [("", "— geen —")]
    supervisors = listings.users_with_role(session, Role.SUPERVISOR)
    form.supervisor_id.choices = forms.options(none + [(u.id, u.name) for u in supervisors])
    pools_ = session.exec(select(Pool).order_by(Pool.name))
    form.pool_id.choices = forms.options(none + [(p.id, p.name) for p in pools_])


@bp.route("/stages/nieuw", methods=["GET", "POST"])
def new_placement():
    form = forms.PlacementForm()
    _assignment_choices(form)
    students = listings.users_with_role(get_session(), Role.STUDENT)
    form.student_id.choices = forms.options(
        [("", "— kies —")] + [(u.id, f"{u.name} ({u.student_number})") for u in students]
    )
    data = assignment.PlacementInput()
    form.populate_obj(data)
    placement = _submit(
        form, lambda: assignment.place_student(get_session(), data, actor=current_user)
    )
    if placement:
        _send_link_to_new_mentor(placement, previous_mentor_id=None)
        return redirect(url_for(".placement", placement_id=placement.id), 303)
    return _page("coordinator/placement_form.html", form)


def _send_link_to_new_mentor(placement: Placement, *, previous_mentor_id: int | None) -> None:
    """A placement that gets a mentor sends that mentor their link, unasked."""
    if placement.mentor_id and placement.mentor_id != previous_mentor_id:
        mentor = get_session().get(User, placement.mentor_id)
        _link, _url, mailed = send_mentor_link(mentor, actor=current_user)
        if mailed:
            flash(f"{mentor.name} kreeg een mail met een persoonlijke link.", "success")
        else:
            flash(f"De mail met de link aan {mentor.name} kon niet vertrekken.", "error")


@bp.route("/stages/<int:placement_id>/toewijzing", methods=["GET", "POST"])
def edit_assignment(placement_id: int):
    placement = _get(Placement, placement_id)
    mentor = get_session().get(User, placement.mentor_id) if placement.mentor_id else None
    form = forms.AssignmentForm(
        obj=placement, mentor_name=mentor and mentor.name, mentor_email=mentor and mentor.email
    )
    _assignment_choices(form)
    data = assignment.Assignment()
    form.populate_obj(data)
    previous_mentor_id = placement.mentor_id
    done = _submit(
        form,
        lambda: assignment.reassign(get_session(), placement, data, actor=current_user) or True,
    )
    if done:
        _send_link_to_new_mentor(placement, previous_mentor_id=previous_mentor_id)
        return redirect(url_for(".placement", placement_id=placement.id), 303)
    return _page("coordinator/assignment_form.html", form, placement=placement)


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


def placement_page(
    placement_id: int, *, extension_form=None, status: int = 200, **question
):
    """The placement page; a calendar question or a refused extension is shown in place."""
    placement, session = _get(Placement, placement_id), get_session()
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


def _valid(form):
    """Refuse a small calendar form with the first field message (422)."""
    if not form.validate_on_submit():
        messages = [m for errors in form.errors.values() for m in errors]
        raise DomainError(messages[0] if messages else "Controleer wat je invulde.")
    return form


@bp.post("/stages/<int:placement_id>/dagen")
def day_add(placement_id: int):
    placement, form = _get(Placement, placement_id), _valid(forms.DayAddForm())
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
    placement = _get(Placement, placement_id)
    day, form = _day(placement, day_id), _valid(forms.DayMoveForm())
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
    placement = _get(Placement, placement_id)
    day, form = _day(placement, day_id), _valid(forms.DayKindForm())
    ops.set_day_kind(get_session(), placement, day, form.kind.data, actor=current_user)
    return _calendar_response(placement)


@bp.post("/stages/<int:placement_id>/dagen/<int:day_id>/verwijderen")
def day_remove(placement_id: int, day_id: int):
    placement = _get(Placement, placement_id)
    ops.remove_day(get_session(), placement, _day(placement, day_id), actor=current_user)
    return _calendar_response(placement)


@bp.post("/stages/<int:placement_id>/verlenging")
def extend(placement_id: int):
    """Grant an extension; a refusal re-renders the form with the message and what was typed."""
    placement, form = _get(Placement, placement_id), forms.ExtensionForm()

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

    if _submit(form, grant):
        return redirect(url_for(".placement", placement_id=placement.id), 303)
    return placement_page(placement.id, extension_form=form, status=422)


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
            _valid(form)
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
    form = _valid(forms.HolidayForm())
    programme.add_holiday(get_session(), day=form.day.data, name=form.name.data, actor=current_user)
    return redirect(url_for(".calendar_settings"), 303)


@bp.post("/kalender/vrije-dagen/<int:holiday_id>/verwijderen")
def holiday_remove(holiday_id: int):
    programme.remove_holiday(get_session(), _get(Holiday, holiday_id), actor=current_user)
    return redirect(url_for(".calendar_settings"), 303)


def _mentor(user_id: int) -> User:
    mentor = _get(User, user_id)
    if mentor.role != Role.MENTOR:
        abort(404)
    return mentor


def _links_page(mentor: User, **context):
    session = get_session()
    return render_template(
        "coordinator/mentor_links.html",
        mentor=mentor,
        links=listings.links_of(session, mentor),
        students=listings.students_of_mentor(session, mentor),
        moment=now(),
        **context,
    )


NEW_LINK_KEY = "nieuwe_mentorlink"


@bp.get("/mentoren/<int:user_id>")
def mentor_links(user_id: int):
    mentor = _mentor(user_id)
    # A link just issued is shown once: the key is popped on this (first) display.
    new = flask_session.pop(NEW_LINK_KEY, None)
    if new and new.get("mentor_id") == mentor.id:
        return _links_page(mentor, new_url=new["url"], mailed=new["mailed"])
    return _links_page(mentor)


@bp.post("/mentoren/<int:user_id>/links")
def issue_mentor_link(user_id: int):
    """Issue and mail a link, then redirect (POST-redirect-GET: a refresh makes no second link)."""
    mentor = _mentor(user_id)
    _link, url, mailed = send_mentor_link(mentor, actor=current_user)
    flask_session[NEW_LINK_KEY] = {"mentor_id": mentor.id, "url": url, "mailed": mailed}
    return redirect(url_for(".mentor_links", user_id=mentor.id) + "#nieuwe-link", 303)


@bp.post("/mentoren/<int:user_id>/links/<int:link_id>/intrekken")
def revoke_mentor_link(user_id: int, link_id: int):
    mentor, link = _mentor(user_id), _get(MentorLink, link_id)
    if link.mentor_id != mentor.id:
        abort(404)
    revoke_link(get_session(), link, moment=now(), actor=current_user)
    return redirect(url_for(".mentor_links", user_id=mentor.id), 303)

"""Routes of the coordinator's area: people: the list, accounts, new users, activation mails and the CSV import."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from portfolio import coordinator_forms as forms
from portfolio.auth import mail_password_link
from portfolio.clock import now
from portfolio.db import get_session
from portfolio.domain import accounts, listings, people
from portfolio.domain.errors import DomainError
from portfolio.models import (
    User,
)
from portfolio.pagination import ListArgs, paginate
from portfolio.routes.coordinator import bp, form_page, get_or_404, submit_form


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
    user = get_or_404(User, user_id)
    form = forms.AccountForm(obj=user)
    changed = submit_form(
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
    return form_page("coordinator/account_form.html", form, person=user)


@bp.route("/personen/nieuw", methods=["GET", "POST"])
def new_user():
    form = forms.UserForm()
    created = submit_form(
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
    return form_page("coordinator/user_form.html", form)


def _send_activation(user: User, moment) -> None:
    token = accounts.activate(get_session(), user, moment=moment, actor=current_user)
    expires_at = moment + accounts.VALIDITY[accounts.Purpose.ACTIVATION]
    mail_password_link(user, token, purpose=accounts.Purpose.ACTIVATION, expires_at=expires_at)


@bp.post("/personen/<int:user_id>/activatiemail")
def send_activation(user_id: int):
    """Mail one user a link to choose their first password (valid 14 days)."""
    user = get_or_404(User, user_id)
    _send_activation(user, now())
    flash(f"Activatiemail verstuurd naar {user.email}.", "success")
    return redirect(url_for(".people_list") + f"#persoon-{user.id}", 303)


@bp.post("/personen/activatiemails")
def send_activations():
    """Mail every active user without a password (students, supervisors) an activation link."""
    users, moment = accounts.users_without_password(get_session()), now()
    for user in users:
        _send_activation(user, moment)
    if not users:
        flash("Iedereen heeft al een wachtwoord: er is geen activatiemail verstuurd.", "info")
    else:
        flash(f"{len(users)} activatiemail(s) verstuurd.", "success")
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

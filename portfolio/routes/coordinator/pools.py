"""Routes of the coordinator's area: pools and their members."""

from __future__ import annotations

from flask import (
    redirect,
    url_for,
)
from flask_login import current_user
from sqlmodel import select

from portfolio import coordinator_forms as forms
from portfolio.db import get_session
from portfolio.domain import listings, programme
from portfolio.domain.errors import DomainError
from portfolio.models import (
    Pool,
    Role,
    User,
)
from portfolio.routes.coordinator import bp, form_page, get_or_404, submit_form


@bp.route("/pools", methods=["GET", "POST"])
def pools():
    session, form = get_session(), forms.PoolForm()
    if submit_form(
        form, lambda: programme.create_pool(session, name=form.name.data, actor=current_user)
    ):
        return redirect(url_for(".pools"), 303)
    return _pools_page(form)


def _pools_page(form, *, member_errors: dict | None = None, chosen: dict | None = None):
    """The pools page; a refused member addition shows its message by that pool's form."""
    session = get_session()
    page, status = form_page(
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
    pool, form = get_or_404(Pool, pool_id), forms.PoolMemberForm()
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
    pool, user = get_or_404(Pool, pool_id), get_or_404(User, user_id)
    programme.remove_pool_member(get_session(), pool, user, actor=current_user)
    return redirect(url_for(".pools"), 303)

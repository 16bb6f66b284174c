"""Demo data for a local run: stable logins, placements around today, some content per area.

Each area may add a module `portfolio/demo/<area>.py` with `seed(session, demo)`; they run in
AREAS order after the base data, so the demo shows every part of the app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import importlib.util
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, url_for
from sqlmodel import Session, select

from portfolio.auth import hash_password
from portfolio.clock import BRUSSELS, now, today_in_brussels
from portfolio.db import get_engine
from portfolio.domain.defaults import ensure_defaults
from portfolio.domain.errors import DomainError
from portfolio.domain.mentor_links import hash_token, issue_link
from portfolio.domain.placements import create_placement
from portfolio.models import Context, MentorLink, Placement, Pool, PoolMember, Role, User

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - printed for local demos, documented
AREAS = ("portfolio_items", "files", "supervision", "guidance", "evaluation", "coordinator")


@dataclass
class Demo:
    """What the base seed made, for the area seeds to build on."""

    users: dict[str, User] = field(default_factory=dict)
    placements: dict[str, Placement] = field(default_factory=dict)
    pool: Pool | None = None


def _monday_weeks_ago(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


def seed_base(session: Session) -> Demo:
    """Create the demo people and two placements: one mid-way, one just starting."""
    demo = Demo()
    people = [
        ("student", "student@demo.test", "Sara Student", Role.STUDENT, "r0000001"),
        ("student2", "student2@demo.test", "Tom Tweede", Role.STUDENT, "r0000002"),
        ("begeleider", "begeleider@demo.test", "Bea Begeleider", Role.SUPERVISOR, None),
        ("collega", "collega@demo.test", "Pieter Pool", Role.SUPERVISOR, None),
        ("coordinator", "coordinator@demo.test", "Cora Coördinator", Role.COORDINATOR, None),
    ]
    password_hash = hash_password(DEMO_PASSWORD)
    for key, email, name, role, number in people:
        demo.users[key] = User(
            email=email, name=name, role=role, password_hash=password_hash, student_number=number
        )
    demo.users["mentor"] = User(email="mentor@demo.test", name="Mona Mentor", role=Role.MENTOR)
    session.add_all(demo.users.values())
    demo.pool = Pool(name="Pool keuzestage A")
    session.add(demo.pool)
    session.flush()
    for key in ("begeleider", "collega"):
        session.add(PoolMember(pool_id=demo.pool.id, user_id=demo.users[key].id))

    today = today_in_brussels()
    coordinator = demo.users["coordinator"]
    # Semester 1 pattern (Mon-Wed), started three weeks ago, ends in two weeks.
    demo.placements["student"] = create_placement(
        session,
        actor=coordinator,
        student_id=demo.users["student"].id,
        supervisor_id=demo.users["begeleider"].id,
        pool_id=demo.pool.id,
        mentor_id=demo.users["mentor"].id,
        site_name="Kleuterschool De Regenboog",
        site_address="Schoolstraat 12, 2800 Mechelen",
        context=Context.SCHOOL,
        semester=1,
        first_day=_monday_weeks_ago(today, 3),
        last_day=_monday_weeks_ago(today, -2) + timedelta(days=2),
    )
    # Semester 2 pattern (Thu-Fri) at a non-school site, starting next week.
    demo.placements["student2"] = create_placement(
        session,
        actor=coordinator,
        student_id=demo.users["student2"].id,
        supervisor_id=demo.users["collega"].id,
        pool_id=demo.pool.id,
        mentor_id=demo.users["mentor"].id,
        site_name="Speelpleinwerking Het Bos",
        site_address="Bosweg 3, 3000 Leuven",
        context=Context.NON_SCHOOL,
        semester=2,
        first_day=_monday_weeks_ago(today, -1) + timedelta(days=3),
        last_day=_monday_weeks_ago(today, -6) + timedelta(days=4),
    )
    session.flush()
    return demo


def demo_mentor_link(session: Session, mentor: User) -> tuple[MentorLink, str]:
    """The mentor's link to print: the same on every run of this instance, so a link copied
    from an earlier run keeps working (and the mentor stays signed in) across restarts.

    Its token is derived from the app's secret key (an HMAC with a label of its own, so it
    reveals nothing of the key). A link that no longer holds (replaced in the app, revoked or
    expired) stays ended: the next generation's token is issued instead.
    """
    secret = str(current_app.config["SECRET_KEY"]).encode()
    moment = now()
    generation = 0
    while True:
        label = f"demo mentor link {generation}".encode()
        digest = hmac.new(secret, label, hashlib.sha256).digest()
        token = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        link = session.exec(
            select(MentorLink).where(MentorLink.token_hash == hash_token(token))
        ).first()
        if link is None:
            return issue_link(session, mentor, moment=moment, actor=None, token=token)
        if link.revoked_at is None and link.expires_at > moment:
            return link, token
        generation += 1


def load_demo() -> list[str]:
    """Seed the demo once and return the lines to print (logins and a mentor link)."""
    with Session(get_engine()) as session:
        ensure_defaults(session)
        mentor = session.exec(select(User).where(User.email == "mentor@demo.test")).first()
        fresh = mentor is None
        if fresh:
            demo = seed_base(session)
            for area in AREAS:
                if importlib.util.find_spec(f"portfolio.demo.{area}") is not None:
                    importlib.import_module(f"portfolio.demo.{area}").seed(session, demo)
            mentor = demo.users["mentor"]
        try:
            mentor_link, token = demo_mentor_link(session, mentor)
            valid_until = f"{mentor_link.expires_at.astimezone(BRUSSELS):%d-%m-%Y}"
        except DomainError:
            token = None  # the demo's placements closed long ago: no link can hold
        session.commit()
    lines = ["Demo data geladen." if fresh else "Demo data was er al."]
    lines += ["", "Aanmelden op http://127.0.0.1:5000 met wachtwoord " + DEMO_PASSWORD + ":"]
    for email, what in [
        ("student@demo.test", "student, stage loopt"),
        ("student2@demo.test", "student, stage start volgende week"),
        ("begeleider@demo.test", "stagebegeleider"),
        ("collega@demo.test", "stagebegeleider in dezelfde pool"),
        ("coordinator@demo.test", "stagecoördinator"),
    ]:
        lines.append(f"  {email:<24} {what}")
    if token is None:
        return [
            *lines,
            "",
            "De stages van deze demo zijn al lang afgesloten: de mentor krijgt geen link meer.",
            "  Begin opnieuw met: flask --app portfolio demo --reset",
        ]
    return [
        *lines,
        "",
        f"Mentor (mentor@demo.test) meldt aan via een persoonlijke link, geldig tot {valid_until}:",
        "  " + _link_text(token),
    ]


def _link_text(token: str) -> str:
    """The mentor link as the browser opens it (or the bare token without the mentor area)."""
    if "mentor.enter" not in current_app.view_functions:
        return f"(mentorlink: token {token})"
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        return url_for("mentor.enter", token=token, _external=True)

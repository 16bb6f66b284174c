"""A programme at the scale of Flanders for load tests: `flask seed-scale --students N`.

Bulk inserts (SQLAlchemy Core, lists of dicts, one transaction per batch of placements) with ids
assigned here, so rows can point at each other without a round trip. The derived per-day columns
(portfolio.domain.day_state) are filled directly, as the app would have stored them. Every
student has a placement of 40 stage days started 3 to 11 weeks ago, a reflection with three
answers for most past days, offers with designs, a stagepakket, feedback, mid-term evaluations
and now and then a warning; 1 supervisor per 40 students, pools of 10 supervisors.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, Engine, func, insert, select

from portfolio.auth import hash_password
from portfolio.clock import BRUSSELS, start_of_day
from portfolio.demo.scale_supervision import PACKAGE, supervision_rows
from portfolio.domain import placement_days
from portfolio.domain.calendar import MAX_OPR_DAYS
from portfolio.models import (
    Attitude,
    DayKind,
    FeedbackRequest,
    Item,
    ItemKind,
    Placement,
    Pool,
    PoolMember,
    Presence,
    Role,
    Signature,
    StageDay,
    User,
)

PASSWORD = "demo-wachtwoord"  # noqa: S105 - the documented password of every seeded login
DOMAIN = "scale.test"
STUDENTS_PER_SUPERVISOR = 40
SUPERVISORS_PER_POOL = 10
DAYS_PER_PLACEMENT = 40
BATCH = 500  # placements per transaction
FIRST_NAMES = ("Lotte", "Emma", "Noor", "Lien", "Fien", "Ella", "Jana", "Marie", "Lars", "Wout")
LAST_NAMES = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens")
THREE = {
    "wat_gebeurde": "In de kring vertelden de kleuters over hun weekend; ik leidde het gesprek.",
    "waaraan_lag": "Ik gaf elk kind de tijd door met de praatsteen te werken.",
    "meenemen": "Volgende keer start ik met een prent om de stillere kleuters te betrekken.",
}
DESIGN = {
    "beginsituatie": "Kleuters van 4 jaar, kennen de basiskleuren.",
    "doel": "Ze mengen twee kleuren en benoemen het resultaat.",
    "aanbod": "Verfatelier met drie potjes.",
    "begeleiding": "Open vragen, ik verwoord wat ik zie.",
    "organisatie": "Hoekenwerk, 4 kleuters per keer, 20 minuten.",
}


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    logins: list[str] = field(default_factory=list)


class _Ids:
    """Hands out ids per table, continuing after the rows already there."""

    def __init__(self, conn: Connection, *models) -> None:
        self.next = {m: (conn.execute(select(func.max(m.id))).scalar() or 0) + 1 for m in models}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] += 1
        return value


def seed_scale(engine: Engine, *, students: int, today: date, seed: int = 12) -> Report:
    """Add `students` students with a placement each (and their supervisors, pools, mentors)."""
    rng = random.Random(seed)
    report = Report()
    password_hash = hash_password(PASSWORD)  # hashed once: per user it would take minutes
    with engine.begin() as conn:
        if conn.execute(select(User.id).where(User.email == f"coordinator@{DOMAIN}")).first():
            raise ValueError("Deze databank bevat al een gezaaide schaalset.")
        attitudes = list(conn.execute(select(Attitude.id).where(Attitude.archived_at.is_(None))))
        ids = _Ids(conn, User, Pool, Placement, StageDay, Item)
        supervisors = _people_and_pools(conn, ids, students, password_hash, report)
    attitude_ids = [a.id for a in attitudes]
    for start in range(0, students, BATCH):
        rows: dict[type, list[dict]] = defaultdict(list)
        with engine.begin() as conn:
            for n in range(start, min(start + BATCH, students)):
                supervisor = supervisors[n // STUDENTS_PER_SUPERVISOR]
                _placement(rows, ids, rng, n, supervisor, attitude_ids, today, password_hash)
            for model in (User, Placement, StageDay, Item, Signature, FeedbackRequest):
                _insert(conn, model, rows.pop(model, []), report)
            for model, batch in rows.items():
                _insert(conn, model, batch, report)
    with engine.begin() as conn:
        _advance_sequences(conn)
        # Bulk inserts bypass the session hook that keeps placement_days.
        placement_days.refresh_all(conn)
    _analyze(engine)
    report.logins = [
        f"coördinator: coordinator@{DOMAIN}",
        f"begeleider:  begeleider0001@{DOMAIN} (studenten 1-{STUDENTS_PER_SUPERVISOR})",
        f"student:     student00001@{DOMAIN}",
        f"wachtwoord:  {PASSWORD}",
    ]
    return report


def _insert(conn: Connection, model, rows: list[dict], report: Report) -> None:
    if rows:
        conn.execute(insert(model.__table__), rows)
        report.counts[model.__tablename__] += len(rows)


def _people_and_pools(conn, ids: _Ids, students: int, password_hash: str, report) -> list[dict]:
    """Insert the coordinator, the supervisors and their pools; return the supervisors."""
    users = [_user(ids, f"coordinator@{DOMAIN}", "Coördinator Schaal", Role.COORDINATOR)]
    users[0]["password_hash"] = password_hash
    supervisors = []
    for k in range(1, -(-students // STUDENTS_PER_SUPERVISOR) + 1):
        supervisor = _user(
            ids, f"begeleider{k:04d}@{DOMAIN}", f"Begeleider {k:04d}", Role.SUPERVISOR
        )
        supervisor["password_hash"] = password_hash
        supervisors.append(supervisor)
    pools, members = [], []
    for index, supervisor in enumerate(supervisors):
        if index % SUPERVISORS_PER_POOL == 0:
            pools.append({"id": ids.take(Pool), "name": f"Schaalpool {len(pools) + 1:03d}"})
        supervisor["pool_id"] = pools[-1]["id"]
        members.append({"pool_id": pools[-1]["id"], "user_id": supervisor["id"]})
    _insert(conn, User, users + [_without_pool(s) for s in supervisors], report)
    _insert(conn, Pool, pools, report)
    _insert(conn, PoolMember, members, report)
    return supervisors


def _without_pool(supervisor: dict) -> dict:
    return {k: v for k, v in supervisor.items() if k != "pool_id"}


def _user(ids: _Ids, email: str, name: str, role: str, number: str | None = None) -> dict:
    return {
        "id": ids.take(User),
        "email": email,
        "name": name,
        "role": role,
        "password_hash": None,
        "student_number": number,
        "active": True,
        "created_at": datetime(2025, 9, 1, tzinfo=UTC),
    }


def _item(ids: _Ids, placement_id: int, kind: str, at: datetime, **fields) -> dict:
    row = {
        "id": ids.take(Item),
        "placement_id": placement_id,
        "kind": kind,
        "stage_day_id": None,
        "parent_id": None,
        "attitude_id": None,
        "day": None,
        "title": "",
        "content": {},
        "position": 0,
        "version": 1,
        "completed_at": None,
        "created_at": at,
        "created_by_id": None,
        "updated_at": at,
        "updated_by_id": None,
        "deleted_at": None,
    }
    row.update(fields)
    return row


def _placement(rows, ids, rng, n, supervisor, attitude_ids, today, password_hash) -> None:
    """Add one student with a placement, its calendar and its portfolio to `rows`."""
    number = n + 1
    student = _user(
        ids,
        f"student{number:05d}@{DOMAIN}",
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {number:05d}",
        Role.STUDENT,
        f"s{number:07d}",
    )
    student["password_hash"] = password_hash
    mentor = _user(ids, f"mentor{number:05d}@{DOMAIN}", f"Mentor {number:05d}", Role.MENTOR)
    rows[User] += [student, mentor]
    monday = today - timedelta(days=today.weekday(), weeks=3 + n % 9)
    days = [monday + timedelta(weeks=w, days=d) for w in range(14) for d in (0, 1, 2)]
    days = days[:DAYS_PER_PLACEMENT]
    placement_id = ids.take(Placement)
    rows[Placement].append(
        {
            "id": placement_id,
            "student_id": student["id"],
            "supervisor_id": supervisor["id"],
            "pool_id": supervisor["pool_id"],
            "mentor_id": mentor["id"],
            "site_name": f"Kleuterschool De Schaal {number % 700 + 1}",
            "site_address": "",
            "context": "school",
            "semester": 1,
            "first_day": days[0],
            "last_day": days[-1],
            "status": "actief",
            "closes_at_override": None,
            "stopped_at": None,
            "one_on_one_hours_max": None,
            "created_at": start_of_day(days[0]) - timedelta(days=14),
        }
    )
    started = start_of_day(days[0]) - timedelta(days=10)
    rows[Item].append(
        _item(ids, placement_id, ItemKind.BEGINSITUATIE, started, content={"doelgroep": "Peuters"})
    )
    package = _item(ids, placement_id, ItemKind.STAGEPAKKET, started, content=PACKAGE)
    rows[Item].append(package)
    _stage_days(rows, ids, rng, placement_id, days, today)
    people = {Role.STUDENT: student, Role.MENTOR: mentor, Role.SUPERVISOR: supervisor}
    supervision_rows(rows, rng, n, placement_id, package, people, days, today, attitude_ids)


def _stage_days(rows, ids, rng, placement_id, days, today) -> None:
    """Add the calendar with presence, reflections, offers and designs, and the derived state."""
    for index, day in enumerate(days):
        day_id = ids.take(StageDay)
        evening = datetime.combine(day, time(20), tzinfo=BRUSSELS).astimezone(UTC)
        stage_day = {
            "id": day_id,
            "placement_id": placement_id,
            "day": day,
            "kind": DayKind.OPR if index < MAX_OPR_DAYS else DayKind.R,
            "presence": Presence.PRESENT if day < today else Presence.UNKNOWN,
            "presence_note": "",
            "presence_by_id": None,
            "presence_at": evening if day < today else None,
            "offer_count": 0,
            "ready_design_count": 0,
            "designs_ready_at": None,
            "designs_ready_on": None,
            "reflection_written_at": None,
        }
        rows[StageDay].append(stage_day)
        if day < today and rng.random() < 0.9:  # one in ten past days still lacks a reflection
            rows[Item].append(
                _item(
                    ids,
                    placement_id,
                    ItemKind.REFLECTIE,
                    evening,
                    stage_day_id=day_id,
                    day=day,
                    content=THREE,
                    version=3,
                    completed_at=evening,
                )
            )
            stage_day["reflection_written_at"] = evening
        if index >= MAX_OPR_DAYS and index % 2 == 0:  # an own offer on every other R-day
            offer = _item(
                ids,
                placement_id,
                ItemKind.AANBOD,
                start_of_day(day) - timedelta(days=7),
                stage_day_id=day_id,
                day=day,
                title="Verfatelier",
                content={"bron": "eigen", "tijd": "9.00", "omschrijving": "Kleuren mengen"},
            )
            rows[Item].append(offer)
            stage_day["offer_count"] = 1
            ready_at = start_of_day(day) - timedelta(days=rng.choice((-1, 1, 2, 3)))
            if ready_at < datetime.combine(today, time(), tzinfo=UTC) and rng.random() < 0.85:
                rows[Item].append(
                    _item(
                        ids,
                        placement_id,
                        ItemKind.DENKWERK,
                        ready_at,
                        parent_id=offer["id"],
                        content=DESIGN,
                        completed_at=ready_at,
                    )
                )
                stage_day.update(
                    ready_design_count=1,
                    designs_ready_at=ready_at,
                    designs_ready_on=(ready_at - timedelta(microseconds=1))
                    .astimezone(BRUSSELS)
                    .date(),
                )


def _analyze(engine: Engine) -> None:
    """Give the planner statistics for the new rows (and PostgreSQL its visibility map, for
    index-only scans): without them (autovacuum off, or before it runs) PostgreSQL guesses a few
    rows per table and picks nested loops that take minutes on the dashboard."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
        )


def _advance_sequences(conn: Connection) -> None:
    """Let PostgreSQL hand out ids after the ones assigned here (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for model in (User, Pool, Placement, StageDay, Item):
        sequence = func.pg_get_serial_sequence(f'"{model.__tablename__}"', "id")
        highest = select(func.coalesce(func.max(model.id), 1)).scalar_subquery()
        conn.execute(select(func.setval(sequence, highest)))

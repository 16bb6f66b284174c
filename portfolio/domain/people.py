"""People the coordinator manages: users, mentors found by e-mail, and the student CSV import."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from portfolio.auth import hash_password
from portfolio.domain import audit, sessions
from portfolio.domain.errors import DomainError, FieldError
from portfolio.models import Role, User

EMAIL_RE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\".]+(\.[^@\s,;<>\".]+)+$")
MIN_PASSWORD = 10
CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 2000
CSV_COLUMNS = {"naam": "name", "e-mail": "email", "email": "email", "studentennummer": "number"}


def clean_email(raw: str | None, field_name: str = "email") -> str:
    """Return the e-mail address lower-cased, or refuse it with a Dutch message."""
    email = (raw or "").strip().lower()
    if not email:
        raise FieldError("Vul een e-mailadres in.", field=field_name)
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise FieldError(f"'{email[:60]}' is geen geldig e-mailadres.", field=field_name)
    return email


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(func.lower(User.email) == email.lower())).first()


def create_user(
    session: Session,
    *,
    role: str,
    name: str,
    email: str,
    actor: User | None,
    student_number: str | None = None,
    password: str | None = None,
) -> User:
    """Create a student, supervisor or mentor; the e-mail is unique, whatever its case."""
    name = (name or "").strip()
    if not name:
        raise FieldError("Vul een naam in.", field="name")
    if len(name) > 200:
        raise FieldError("Een naam is hoogstens 200 tekens lang.", field="name")
    email = clean_email(email)
    if find_user_by_email(session, email) is not None:
        raise FieldError(f"Er bestaat al een gebruiker met e-mailadres {email}.", field="email")
    number = (student_number or "").strip() or None
    if role == Role.STUDENT:
        if not number:
            raise FieldError("Vul het studentennummer in.", field="student_number")
        if len(number) > 40:
            raise FieldError("Een studentennummer is hoogstens 40 tekens.", field="student_number")
        if session.exec(select(User.id).where(User.student_number == number)).first():
            raise FieldError(f"Studentennummer {number} is al in gebruik.", field="student_number")
    else:
        number = None
    if password and len(password) < MIN_PASSWORD:
        raise FieldError(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.", field="password")
    user = User(
        role=role,
        name=name,
        email=email,
        student_number=number,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="user.created", user_id=user.id, role=role)
    return user


# Staff may move between these roles; a student needs a number and a mentor a link instead.
STAFF_ROLES = (Role.SUPERVISOR, Role.COORDINATOR)


def update_account(
    session: Session, user: User, *, active: bool, role: str, actor: User, moment: datetime
) -> bool:
    """Switch an account on or off, or move staff between roles; returns whether it changed.

    Either change ends all of the person's sessions: what they may do is decided anew at
    their next sign-in, not by a session opened under the old rights.
    """
    if user.id == actor.id:
        raise DomainError("Je eigen account wijzig je hier niet.")
    if role != user.role and not (role in STAFF_ROLES and user.role in STAFF_ROLES):
        raise FieldError("Alleen begeleiders en coördinatoren wisselen van rol.", field="role")
    if (active, role) == (user.active, user.role):
        return False
    old = {"active": user.active, "role": user.role}
    user.active, user.role = active, role
    session.add(user)
    sessions.end_all_sessions(session, user.id, moment=moment)
    audit.record(
        session,
        actor=actor,
        action="user.account",
        user_id=user.id,
        old=old,
        new={"active": active, "role": role},
    )
    return True


def find_or_create_mentor(session: Session, *, name: str, email: str, actor: User) -> User:
    """Return the mentor with this e-mail, creating the account if it does not exist yet."""
    email = clean_email(email, "mentor_email")
    existing = find_user_by_email(session, email)
    if existing is not None:
        if existing.role != Role.MENTOR:
            raise FieldError(
                "Dit e-mailadres hoort bij een gebruiker die geen mentor is.", field="mentor_email"
            )
        return existing
    if not (name or "").strip():
        raise FieldError("Vul de naam van de mentor in.", field="mentor_name")
    return create_user(session, role=Role.MENTOR, name=name, email=email, actor=actor)


NO_STUDENT = "Geen student met dit studentnummer of e-mailadres."


def find_student(session: Session, typed: str | None) -> User | None:
    """Return the student whose number or e-mail address is `typed` (trimmed, any case).

    Student numbers are unique as written, not in every case: of two that differ only in case
    the one written exactly as typed wins, else neither (the coordinator types it exactly).
    """
    written = (typed or "").strip()
    key = written.lower()
    if not key:
        return None
    found = session.exec(
        select(User)
        .where(User.role == Role.STUDENT)
        .where(or_(func.lower(User.student_number) == key, func.lower(User.email) == key))
        .limit(3)
    ).all()
    if len(found) > 1:
        found = [s for s in found if written in (s.student_number, s.email)]
    return found[0] if len(found) == 1 else None


def student_id_for(session: Session, typed: str | None, *, field_name: str = "student") -> int:
    """Return the id of the student typed as number or e-mail address, or refuse by the field."""
    student = find_student(session, typed)
    if student is None:
        raise FieldError(NO_STUDENT, field=field_name)
    return student.id


# ------------------------------------------------------------------ CSV import of students


@dataclass(frozen=True)
class StudentRow:
    line: int
    name: str
    email: str
    number: str


@dataclass
class CsvCheck:
    """The outcome of checking a file: the good rows and, per bad row, what is wrong."""

    rows: list[StudentRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


NOT_UTF8 = "Het bestand is geen UTF-8-tekst. Bewaar het als 'CSV UTF-8' en probeer opnieuw."


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(NOT_UTF8) from None
    if "\x00" in text:  # never valid in a text file, and PostgreSQL refuses it in text columns
        raise DomainError(NOT_UTF8)
    return text


def _header(first_line: str) -> tuple[str, dict[str, int]]:
    """Pick the separator from the header line and map our columns to their positions."""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    names = [h.strip().lower() for h in next(csv.reader([first_line], delimiter=delimiter))]
    positions = {}
    for index, header in enumerate(names):
        key = CSV_COLUMNS.get(header)
        if key and key not in positions:
            positions[key] = index
    missing = [
        label
        for label, key in (("naam", "name"), ("e-mail", "email"), ("studentennummer", "number"))
        if key not in positions
    ]
    if missing:
        raise DomainError(
            "De eerste rij moet de kolomnamen bevatten: naam, e-mail, studentennummer. "
            f"Ontbreekt: {', '.join(missing)}."
        )
    return delimiter, positions


def parse_student_csv(data: bytes) -> CsvCheck:
    """Read a student list (naam, e-mail, studentennummer) and check every row on its own."""
    if len(data) > CSV_MAX_BYTES:
        raise DomainError("Het bestand is groter dan 1 MB. Splits de lijst op.")
    text = _decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DomainError("Het bestand is leeg of de eerste rij (kolomnamen) ontbreekt.")
    delimiter, positions = _header(lines[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _check_rows(reader, positions)
    except csv.Error:  # e.g. a field longer than csv.field_size_limit() (an unclosed quote)
        raise DomainError(
            f"Het bestand is geen geldige CSV (rond rij {reader.line_num}): "
            "controleer de aanhalingstekens."
        ) from None


def _check_rows(reader, positions: dict[str, int]) -> CsvCheck:
    next(reader)
    check = CsvCheck()
    seen_emails: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(check.rows) + len(check.errors) >= CSV_MAX_ROWS:
            raise DomainError(
                f"Het bestand heeft meer dan {CSV_MAX_ROWS} rijen. Splits de lijst op."
            )
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in positions.items()}
        problems = []
        if not values["name"]:
            problems.append("naam ontbreekt")
        elif len(values["name"]) > 200:
            problems.append("naam is langer dan 200 tekens")
        try:
            email = clean_email(values["email"])
        except FieldError as error:
            email = ""
            problems.append("e-mailadres ontbreekt" if not values["email"] else error.message)
        if email in seen_emails:
            problems.append(f"e-mailadres staat al in rij {seen_emails[email]}")
        number = values["number"]
        if not number:
            problems.append("studentennummer ontbreekt")
        elif len(number) > 40:
            problems.append("studentennummer is langer dan 40 tekens")
        elif number in seen_numbers:
            problems.append(f"studentennummer staat al in rij {seen_numbers[number]}")
        if email:
            seen_emails.setdefault(email, line)
        if number:
            seen_numbers.setdefault(number, line)
        if problems:
            check.errors.append((line, "; ".join(problems)))
        else:
            check.rows.append(StudentRow(line, values["name"], email, number))
    if not check.rows and not check.errors:
        check.errors.append((None, "Het bestand bevat geen studenten onder de kolomnamen."))
    return check


def check_existing(session: Session, rows: Iterable[StudentRow]) -> list[tuple[int, str]]:
    """Return, per row, the clash with a user already in the database (two queries)."""
    rows = list(rows)
    emails = {r.email for r in rows}
    numbers = {r.number for r in rows}
    taken_emails = set(
        session.exec(select(func.lower(User.email)).where(func.lower(User.email).in_(emails)))
    )
    taken_numbers = set(
        session.exec(select(User.student_number).where(User.student_number.in_(numbers)))
    )
    errors = []
    for row in rows:
        problems = []
        if row.email in taken_emails:
            problems.append(f"e-mailadres {row.email} bestaat al")
        if row.number in taken_numbers:
            problems.append(f"studentennummer {row.number} bestaat al")
        if problems:
            errors.append((row.line, "; ".join(problems)))
    return errors


def import_students(session: Session, data: bytes, *, actor: User) -> CsvCheck:
    """Import every student in the file, or none of them when any row is wrong."""
    check = parse_student_csv(data)
    check.errors = sorted(
        [*check.errors, *check_existing(session, check.rows)], key=lambda e: e[0] or 0
    )
    if check.errors:
        return check
    for row in check.rows:
        session.add(
            User(role=Role.STUDENT, name=row.name, email=row.email, student_number=row.number)
        )
    session.flush()
    audit.record(session, actor=actor, action="students.imported", count=len(check.rows))
    return check


def users_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    """Return the users with these ids by id, in one query."""
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids)))}

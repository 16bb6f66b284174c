"""People and how they get in: users, pools, mentor links."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from portfolio.models.base import moment_field


class Role(StrEnum):
    STUDENT = "student"
    SUPERVISOR = "begeleider"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"


ROLE_LABELS = {
    Role.STUDENT: "Student",
    Role.SUPERVISOR: "Stagebegeleider",
    Role.MENTOR: "Mentor",
    Role.COORDINATOR: "Stagecoördinator",
}


class User(SQLModel, table=True):
    """Anyone who uses the app; mentors have no password and get in through a link."""

    # Lists sort by name regardless of case: a page of 50 walks this index instead of sorting all
    # (PostgreSQL; SQLite cannot reflect an expression index, so the schema check would fail).
    __table_args__ = (
        Index("ix_user_lower_name", text("lower(name)")).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20, index=True)
    password_hash: str | None = Field(default=None, max_length=255)
    student_number: str | None = Field(default=None, max_length=40, unique=True)
    active: bool = Field(default=True)
    created_at: datetime = moment_field(default_now=True)

    # Flask-Login's user protocol, spelled out: UserMixin's is_active would clash with pydantic.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(Role(self.role), self.role)


class Pool(SQLModel, table=True):
    """A pool of supervisors who follow a group of students together."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)


class PoolMember(SQLModel, table=True):
    pool_id: int = Field(foreign_key="pool.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class MentorLink(SQLModel, table=True):
    """A personal sign-in link for a mentor; only the token's hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = moment_field(default_now=True)
    expires_at: datetime = moment_field()
    revoked_at: datetime | None = moment_field(nullable=True)
    last_used_at: datetime | None = moment_field(nullable=True)


class PasswordToken(SQLModel, table=True):
    """A single-use link to set a password (activation or reset); only the token's hash is
    stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    purpose: str = Field(max_length=20)
    created_at: datetime = moment_field(default_now=True)
    expires_at: datetime = moment_field()
    used_at: datetime | None = moment_field(nullable=True)
    revoked_at: datetime | None = moment_field(nullable=True)

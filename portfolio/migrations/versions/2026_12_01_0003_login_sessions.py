"""server-side login sessions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Every signed-in browser gets a row; the session cookie names it, so logging out, a password
reset, deactivation or a revoked mentor link really end the session.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portfolio.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("mentor_link_id", sa.Integer(), nullable=True),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("created_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["mentor_link_id"], ["mentorlink.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_session_mentor_link_id", "login_session", ["mentor_link_id"])
    op.create_index("ix_login_session_token_hash", "login_session", ["token_hash"], unique=True)
    op.create_index("ix_login_session_user_id", "login_session", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_login_session_user_id", table_name="login_session")
    op.drop_index("ix_login_session_token_hash", table_name="login_session")
    op.drop_index("ix_login_session_mentor_link_id", table_name="login_session")
    op.drop_table("login_session")

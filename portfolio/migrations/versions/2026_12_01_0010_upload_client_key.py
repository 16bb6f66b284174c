"""upload client key and calendar feeds

A retried recording upload finds its first row; personal iCal feed tokens.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

The browser names every recording it uploads with a key of its own; an upload retried after
a lost answer carries the same key and the server answers with the stored row instead of
storing the file twice. calendarfeed keeps the SHA-256 of each person's secret feed token.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portfolio.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendarfeed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("calendarfeed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendarfeed_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_upload_item_client_key", ["item_id", "client_key"])


def downgrade() -> None:
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_constraint("uq_upload_item_client_key", type_="unique")
        batch_op.drop_column("client_key")
    with op.batch_alter_table("calendarfeed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendarfeed_user_id"))
    op.drop_table("calendarfeed")

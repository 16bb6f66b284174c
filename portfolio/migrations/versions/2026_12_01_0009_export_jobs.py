"""export jobs

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01

Background exports of portfolios: who asked, how far the job is, where its ZIP is kept and
until when.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portfolio.models.base

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exportjob",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("placement_ids", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result_key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("result_size", sa.Integer(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("exportjob", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exportjob_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exportjob_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_exportjob_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exportjob", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exportjob_expires_at"))
        batch_op.drop_index(batch_op.f("ix_exportjob_status"))
        batch_op.drop_index(batch_op.f("ix_exportjob_owner_id"))
    op.drop_table("exportjob")

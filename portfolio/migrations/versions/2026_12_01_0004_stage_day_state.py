"""derived per-day state on stage days

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Adds the counts and moments portfolio.domain.day_state keeps on every stage day (offers, ready
designs, when the designs and the reflection were done), then derives them for existing days so
lists can filter and count in SQL at once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

import portfolio.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stageday", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("offer_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("ready_design_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "designs_ready_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("designs_ready_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "reflection_written_at",
                portfolio.models.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.create_index("ix_stageday_designs_ready_at", ["designs_ready_at"], unique=False)
        batch_op.create_index(
            "ix_stageday_reflection_written_at_day", ["reflection_written_at", "day"], unique=False
        )
    _backfill()


def _backfill() -> None:
    # The same derivation the app runs on every save (it reads only columns that exist here).
    from portfolio.domain.day_state import refresh_all_days

    with Session(bind=op.get_bind()) as session:
        refresh_all_days(session)
        session.flush()


def downgrade() -> None:
    with op.batch_alter_table("stageday", schema=None) as batch_op:
        batch_op.drop_index("ix_stageday_reflection_written_at_day")
        batch_op.drop_index("ix_stageday_designs_ready_at")
        batch_op.drop_column("reflection_written_at")
        batch_op.drop_column("designs_ready_on")
        batch_op.drop_column("designs_ready_at")
        batch_op.drop_column("ready_design_count")
        batch_op.drop_column("offer_count")

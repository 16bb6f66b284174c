"""per-placement dates and weekly reflections for the dashboard; index on live stagepakketten

Revision ID: 0011d
Revises: 0010
Create Date: 2026-12-01

Adds placement_days (portfolio.domain.placement_days: per placement the dates that "reflections
missing", "designs late" and "halfway" compare with today; migration 0014 fills it for existing
placements), and placement_weeks (reflections first written per placement and week, for the
weekly chart), so the coordinator's dashboard no longer aggregates every stage day. Adds a partial
index on the live stagepakketten, which the "fully signed" count reads for every placement, and
one on lower(user.name), by which the placement lists sort (a page walks it, no sort of all).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011d"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_PACKAGE = sa.text("kind = 'stagepakket' AND deleted_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "placement_days",
        sa.Column("placement_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("day_count", sa.Integer(), nullable=False),
        sa.Column("halfway_day", sa.Date(), nullable=True),
        sa.Column("first_unreflected_day", sa.Date(), nullable=True),
        sa.Column("first_late_design_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("placement_id"),
    )
    for column in ("halfway_day", "first_unreflected_day", "first_late_design_day"):
        op.create_index(f"ix_placement_days_{column}", "placement_days", [column], unique=False)
    op.create_table(
        "placement_weeks",
        sa.Column("placement_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("monday", sa.Date(), nullable=False),
        sa.Column("reflections", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("placement_id", "monday"),
    )
    op.create_index("ix_placement_weeks_monday", "placement_weeks", ["monday"], unique=False)
    op.create_index(
        "ix_item_live_package",
        "item",
        ["placement_id", "updated_at", "id"],
        unique=False,
        postgresql_where=LIVE_PACKAGE,
        sqlite_where=LIVE_PACKAGE,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_user_lower_name", "user", [sa.text("lower(name)")], unique=False)
    # The rows are filled by migration 0014, with the derivation of the app that runs it: run
    # here, that derivation would write columns this revision does not have yet.


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_user_lower_name", table_name="user")
    op.drop_index("ix_item_live_package", table_name="item")
    op.drop_index("ix_placement_weeks_monday", table_name="placement_weeks")
    op.drop_table("placement_weeks")
    for column in ("halfway_day", "first_unreflected_day", "first_late_design_day"):
        op.drop_index(f"ix_placement_days_{column}", table_name="placement_days")
    op.drop_table("placement_days")

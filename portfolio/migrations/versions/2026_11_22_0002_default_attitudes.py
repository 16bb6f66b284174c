"""default attitudes and semester weekdays

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

A fresh installation starts with the programme's default attitude list and the handbook's
stage weekdays (semester 1: Mon-Wed, semester 2: Thu-Fri); the coordinator changes them later.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portfolio.domain.defaults import DEFAULT_ATTITUDES, DEFAULT_SEMESTERS

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

attitude = sa.table(
    "attitude",
    sa.column("name", sa.String),
    sa.column("description", sa.String),
    sa.column("position", sa.Integer),
)
semesterdefault = sa.table(
    "semesterdefault",
    sa.column("semester", sa.Integer),
    sa.column("weekdays", sa.String),
    sa.column("hours_per_week", sa.Integer),
)


def upgrade() -> None:
    op.bulk_insert(
        attitude,
        [{"name": n, "description": d, "position": i} for i, (n, d) in enumerate(DEFAULT_ATTITUDES)],
    )
    op.bulk_insert(
        semesterdefault,
        [{"semester": s, "weekdays": w, "hours_per_week": h} for s, w, h in DEFAULT_SEMESTERS],
    )


def downgrade() -> None:
    op.execute(semesterdefault.delete())
    op.execute(attitude.delete())

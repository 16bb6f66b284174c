"""placement_days: the number of R-days and the first; fill every placement's row

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

The students overview flags R-days that began before the stagepakket was fully signed. It read
every R-day of a page's 50 placements (1,700 rows) to count them; with the count and the first
R-day per placement it counts from these two columns, and reads days only for a placement whose
package was signed after its first R-day began. Fills placement_days for every placement (0011d
created the table and left it to this revision).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("placement_days") as batch:
        batch.add_column(
            sa.Column("r_day_count", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("first_r_day", sa.Date(), nullable=True))
    # The same derivation the app runs on every save.
    from portfolio.domain.placement_days import refresh_all

    with Session(bind=op.get_bind()) as session:
        refresh_all(session)
        session.flush()


def downgrade() -> None:
    with op.batch_alter_table("placement_days") as batch:
        batch.drop_column("first_r_day")
        batch.drop_column("r_day_count")

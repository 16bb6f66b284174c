"""indexes without the columns an autosave changes; room on each page for in-place updates

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

An autosave rewrites an item (content, version, updated_at) and merges into the item's latest
history row (its version number). PostgreSQL rewrites a row in place (a HOT update: no new entry
in any index) only when no indexed column changes and the row's page has room. Both tables had
an index on a column every save changes (ix_item_live_package on updated_at,
ix_itemversion_item_version on version), so every save added an entry to all eight indexes of
the item table and both of the history table: under the load benchmark 0 of 36,000 updates were
HOT. The indexes now leave those columns out, and new pages of both tables keep a tenth free.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE_PACKAGE = sa.text("kind = 'stagepakket' AND deleted_at IS NULL")


def _live_package_index(columns: list[str]) -> None:
    op.drop_index("ix_item_live_package", table_name="item")
    op.create_index(
        "ix_item_live_package",
        "item",
        columns,
        unique=False,
        postgresql_where=LIVE_PACKAGE,
        sqlite_where=LIVE_PACKAGE,
    )


def _fillfactor(percent: int) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("item", "itemversion"):
            op.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


def upgrade() -> None:
    _live_package_index(["placement_id", "id"])
    op.drop_index("ix_itemversion_item_version", table_name="itemversion")
    op.create_index("ix_itemversion_item_id", "itemversion", ["item_id"], unique=False)
    _fillfactor(90)


def downgrade() -> None:
    _fillfactor(100)
    op.drop_index("ix_itemversion_item_id", table_name="itemversion")
    op.create_index(
        "ix_itemversion_item_version", "itemversion", ["item_id", "version"], unique=False
    )
    _live_package_index(["placement_id", "updated_at", "id"])

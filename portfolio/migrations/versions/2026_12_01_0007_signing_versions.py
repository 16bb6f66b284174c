"""signed versions, voidable signatures, upload content hashes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A signature now covers the text and every attachment's SHA-256, records the signed version
(a readable snapshot with a verification code) and can be voided when the student reopens
the document. Uploads stored before this revision have no hash (null).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portfolio.models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signedversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("created_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("voided_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"]),
        sa.ForeignKeyConstraint(["requested_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["voided_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("signedversion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signedversion_item_id"), ["item_id"], unique=False)
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("voided_at", portfolio.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("voided_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_signature_signed_version_id", "signedversion", ["signed_version_id"], ["id"]
        )
        batch_op.create_foreign_key("fk_signature_voided_by_id", "user", ["voided_by_id"], ["id"])
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_column("sha256")
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.drop_constraint("fk_signature_voided_by_id", type_="foreignkey")
        batch_op.drop_constraint("fk_signature_signed_version_id", type_="foreignkey")
        batch_op.drop_column("voided_by_id")
        batch_op.drop_column("voided_at")
        batch_op.drop_column("signed_version_id")
    with op.batch_alter_table("signedversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signedversion_item_id"))
    op.drop_table("signedversion")

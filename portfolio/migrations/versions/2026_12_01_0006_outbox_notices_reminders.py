"""mail outbox, notices, sent reminders, mail opt-outs

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import portfolio.models.base

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Moment = portfolio.models.base.UTCDateTime
Text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "outboxmail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", Text(length=254), nullable=False),
        sa.Column("subject", Text(length=300), nullable=False),
        sa.Column("body", Text(), nullable=False),
        sa.Column("created_at", Moment(timezone=True), nullable=False),
        sa.Column("next_attempt_at", Moment(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", Text(length=1000), nullable=True),
        sa.Column("claimed_by", Text(length=40), nullable=True),
        sa.Column("claimed_until", Moment(timezone=True), nullable=True),
        sa.Column("sent_at", Moment(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outboxmail", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outboxmail_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outboxmail_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", Text(length=40), nullable=False),
        sa.Column("subject", Text(length=300), nullable=False),
        sa.Column("body", Text(length=4000), nullable=False),
        sa.Column("url", Text(length=1000), nullable=True),
        sa.Column("created_at", Moment(timezone=True), nullable=False),
        sa.Column("read_at", Moment(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_recipient_id"), ["recipient_id"], unique=False)

    op.create_table(
        "remindersent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", Text(length=200), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", Text(length=40), nullable=False),
        sa.Column("sent_at", Moment(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["recipient_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("remindersent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_remindersent_recipient_id"), ["recipient_id"], unique=False
        )

    op.create_table(
        "mailoptout",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", Text(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("user_id", "kind"),
    )


def downgrade() -> None:
    op.drop_table("mailoptout")
    with op.batch_alter_table("remindersent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remindersent_recipient_id"))
    op.drop_table("remindersent")
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_recipient_id"))
    op.drop_table("notice")
    with op.batch_alter_table("outboxmail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outboxmail_sent_at"))
        batch_op.drop_index(batch_op.f("ix_outboxmail_next_attempt_at"))
    op.drop_table("outboxmail")

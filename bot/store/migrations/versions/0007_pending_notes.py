"""pending_note: voice notes acknowledged but not yet heard (durable across restarts)

Revision ID: 0007_notes
Revises: 0006_totp
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_notes"
down_revision = "0006_totp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("channel_message_id", sa.String(length=128), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "channel_message_id", name="uq_pending_note_message"),
    )
    op.create_index("ix_pending_note_lease", "pending_note", ["lease_until"])


def downgrade() -> None:
    op.drop_index("ix_pending_note_lease", table_name="pending_note")
    op.drop_table("pending_note")

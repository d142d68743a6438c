"""offer_check: verdicts and red-flag ids of checked offers, for the console's statistics

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offer_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("risk", sa.String(length=10), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("offer_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_check_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("offer_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_check_created_at"))
    op.drop_table("offer_check")

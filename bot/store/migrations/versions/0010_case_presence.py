"""case_presence: who has a case page open (short TTL)

Revision ID: 0010_presence
Revises: 0009_assign_sla
Create Date: 2026-12-04 18:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_presence"
down_revision = "0009_assign_sla"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_presence",
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["escalation_id"], ["escalation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworker.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("escalation_id", "caseworker_id"),
    )


def downgrade() -> None:
    op.drop_table("case_presence")

"""caseworker shifts and round-robin assignment; escalation SLA alert mark

Revision ID: 0009_assign_sla
Revises: 0008_regions
Create Date: 2026-12-04 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_assign_sla"
down_revision = "0008_regions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("caseworker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_shift", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_alerted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_column("sla_alerted_at")
    with op.batch_alter_table("caseworker", schema=None) as batch_op:
        batch_op.drop_column("last_assigned_at")
        batch_op.drop_column("on_shift")

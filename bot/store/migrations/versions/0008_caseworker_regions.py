"""caseworker: regions (provinces) that scope which cases a caseworker sees

Revision ID: 0008_regions
Revises: 0007_notes
Create Date: 2026-12-04 18:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_regions"
down_revision = "0007_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("caseworker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("regions", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("caseworker", schema=None) as batch_op:
        batch_op.drop_column("regions")

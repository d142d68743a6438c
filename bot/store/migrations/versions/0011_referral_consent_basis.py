"""referral: the consent basis (consent, minor, immediate danger)

Revision ID: 0011_ref_basis
Revises: 0010_presence
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_ref_basis"
down_revision = "0010_presence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_basis", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("consent_basis")

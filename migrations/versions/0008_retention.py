"""Retention, legal holds and subject access

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE on both engines, so SQLite keeps the table's expression indexes.
    op.add_column("licence_holders",
                  sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+): batch mode would rebuild the table and lose the
    # expression indexes that migration 0003 created.
    op.drop_column("licence_holders", "legal_hold")

"""The scheduler's heartbeat, reported by /healthz

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_heartbeats",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("beat_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("scheduler_heartbeats")

"""Every decision on an application is kept (a deferral stays in its period when the application
is later decided); the decisions already recorded are copied in.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("licence_applications.id"), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("capacity", sa.String(30), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorded_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("reasons", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_application_decisions_application_id", "application_decisions", ["application_id"])
    op.create_index("ix_application_decisions_decided_on", "application_decisions", ["decided_on"])
    op.execute("INSERT INTO application_decisions (application_id, outcome, capacity, decided_on, decided_by_id, "
               "reasons, created_at) SELECT id, outcome, capacity, decided_on, decided_by_id, reasons, created_at "
               "FROM licence_applications WHERE outcome <> 'pending'")


def downgrade():
    op.drop_index("ix_application_decisions_decided_on", table_name="application_decisions")
    op.drop_index("ix_application_decisions_application_id", table_name="application_decisions")
    op.drop_table("application_decisions")

"""Suspension until compliant becomes an enforcement action: the proposal links the action it
became, and an open-ended suspension records the event that ends it (compliance, or the remedy of a
s.68 vehicle defect).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enforcement_actions") as batch:
        batch.add_column(sa.Column("end_event", sa.String(20)))
    with op.batch_alter_table("suspension_proposals") as batch:
        batch.add_column(sa.Column("action_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_suspension_proposals_action", "enforcement_actions", ["action_id"], ["id"])
        batch.create_index("ix_suspension_proposals_action_id", ["action_id"])


def downgrade():
    with op.batch_alter_table("suspension_proposals") as batch:
        batch.drop_index("ix_suspension_proposals_action_id")
        batch.drop_constraint("fk_suspension_proposals_action", type_="foreignkey")
        batch.drop_column("action_id")
    with op.batch_alter_table("enforcement_actions") as batch:
        batch.drop_column("end_event")

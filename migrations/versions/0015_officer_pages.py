"""Officer pages under load: partial indexes for the work queue's unfinished cases

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UNFINISHED = sa.text("state NOT IN ('closed', 'withdrawn')")
UNASSIGNED = sa.text("assigned_officer_id IS NULL AND state NOT IN ('closed', 'withdrawn')")


def upgrade():
    op.create_index("ix_review_cases_unfinished_due", "review_cases", ["due_on", "id"], unique=False,
                    postgresql_where=UNFINISHED, sqlite_where=UNFINISHED)
    op.create_index("ix_review_cases_unfinished_officer_due", "review_cases",
                    ["assigned_officer_id", "due_on", "id"], unique=False,
                    postgresql_where=UNFINISHED, sqlite_where=UNFINISHED)
    op.create_index("ix_review_cases_unassigned_due", "review_cases", ["due_on", "id"], unique=False,
                    postgresql_where=UNASSIGNED, sqlite_where=UNASSIGNED)


def downgrade():
    op.drop_index("ix_review_cases_unassigned_due", table_name="review_cases")
    op.drop_index("ix_review_cases_unfinished_officer_due", table_name="review_cases")
    op.drop_index("ix_review_cases_unfinished_due", table_name="review_cases")

"""issued letters append only (schema changes for this part of the decisions-in-law work; empty until needed)

Revision ID: 0022
Revises: 0021
"""

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

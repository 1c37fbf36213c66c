"""Register performance: a covering index for the licence type and status search filters

Revision ID: 0012
Revises: 0011

A search filtered by licence type and status collects the holders whose licences match;
with (licence_type, status, holder_id) PostgreSQL reads them from the index alone instead of
visiting every matching licence row.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_licences_type_status_holder", "licences", ["licence_type", "status", "holder_id"])


def downgrade():
    op.drop_index("ix_licences_type_status_holder", table_name="licences")

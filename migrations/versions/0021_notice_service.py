"""Service of notice by e-mail needs the holder's written agreement: the day they agreed.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch copy: on SQLite a copy would drop the table's expression indexes.
def upgrade():
    op.add_column("licence_holders", sa.Column("email_service_consent_on", sa.Date))


def downgrade():
    op.execute("ALTER TABLE licence_holders DROP COLUMN email_service_consent_on")

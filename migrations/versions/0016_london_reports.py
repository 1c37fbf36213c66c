"""Reports and the expiry scan at London scale: an index on compliance checks by kind and expiry
date, so the quarterly measure and the expiry scan learn with a few index probes whether each
requirement's evidence carries expiry dates (they then aggregate only the dates they need;
licensing/compliance.py `evidence_expiries`)

Revision ID: 0016
Revises: 0015
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_compliance_checks_kind_expires", "compliance_checks", ["kind", "expires_on"], unique=False)


def downgrade():
    op.drop_index("ix_compliance_checks_kind_expires", table_name="compliance_checks")

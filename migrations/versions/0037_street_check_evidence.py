"""A photo or document kept with an enforcement (street) check, as evidence of the licence holder's

Revision ID: 0037
Revises: 0036
"""

import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence_documents") as batch:
        batch.add_column(sa.Column("enforcement_check_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_evidence_documents_enforcement_check_id_enforcement_checks",
                                 "enforcement_checks", ["enforcement_check_id"], ["id"])
        batch.create_index("ix_evidence_documents_enforcement_check_id", ["enforcement_check_id"])


def downgrade():
    with op.batch_alter_table("evidence_documents") as batch:
        batch.drop_index("ix_evidence_documents_enforcement_check_id")
        batch.drop_constraint("fk_evidence_documents_enforcement_check_id_enforcement_checks", type_="foreignkey")
        batch.drop_column("enforcement_check_id")

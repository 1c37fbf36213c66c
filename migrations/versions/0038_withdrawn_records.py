"""A compliance check or conviction withdrawn as entered in error: when, by whom and why

Revision ID: 0038
Revises: 0037
"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

TABLES = ("compliance_checks", "convictions")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
            batch.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
            batch.create_foreign_key(f"fk_{table}_withdrawn_by_id_users", "users", ["withdrawn_by_id"], ["id"])


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_withdrawn_by_id_users", type_="foreignkey")
            batch.drop_column("withdrawn_reason")
            batch.drop_column("withdrawn_by_id")
            batch.drop_column("withdrawn_at")

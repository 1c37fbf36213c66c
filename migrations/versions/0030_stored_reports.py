"""Reports of closed quarters stored as facts, with their inputs' edition and a hash

Revision ID: 0030
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("period", sa.String(30), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("rows_stored", sa.Integer(), nullable=False),
        sa.Column("invalidated_at", sa.DateTime(), nullable=True),
        sa.Column("invalidated_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_reports")),
    )
    op.create_index("ix_stored_reports_kind_period", "stored_reports", ["kind", "period"])
    op.create_table(
        "stored_report_rows",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["stored_reports.id"], name=op.f("fk_stored_report_rows_report_id_stored_reports"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "position", name=op.f("pk_stored_report_rows")),
    )


def downgrade():
    op.drop_table("stored_report_rows")
    op.drop_index("ix_stored_reports_kind_period", table_name="stored_reports")
    op.drop_table("stored_reports")

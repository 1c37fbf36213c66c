"""Reports of closed quarters stored as facts, with their inputs' edition and a hash; large downloads made in the background

Revision ID: 0033
Revises: 0032
"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
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
        sa.ForeignKeyConstraint(["report_id"], ["stored_reports.id"], ondelete="CASCADE",
                                name=op.f("fk_stored_report_rows_report_id_stored_reports")),
        sa.PrimaryKeyConstraint("report_id", "position", name=op.f("pk_stored_report_rows")),
    )

    op.create_table(
        "report_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("fmt", sa.String(8), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("filename", sa.String(200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_report_exports_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_exports")),
        sa.UniqueConstraint("token", name=op.f("uq_report_exports_token")),
    )
    op.create_index("ix_report_exports_requested_by_id", "report_exports", ["requested_by_id"])
    op.create_index("ix_report_exports_expires_at", "report_exports", ["expires_at"])


def downgrade():
    op.drop_index("ix_report_exports_expires_at", table_name="report_exports")
    op.drop_index("ix_report_exports_requested_by_id", table_name="report_exports")
    op.drop_table("report_exports")
    op.drop_table("stored_report_rows")
    op.drop_index("ix_stored_reports_kind_period", table_name="stored_reports")
    op.drop_table("stored_reports")

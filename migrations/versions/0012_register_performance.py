"""Register performance: a covering index for the search filters; letters in the e-mail outbox

Revision ID: 0012
Revises: 0011

A search filtered by licence type and status collects the holders whose licences match;
with (licence_type, status, holder_id) PostgreSQL reads them from the index alone instead of
visiting every matching licence row.

An outbox message can carry an issued letter (decision letter, notice of hearing), which the
sender attaches as a PDF: outbound_emails.letter_id.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_licences_type_status_holder", "licences", ["licence_type", "status", "holder_id"])
    # outbound_emails has no expression indexes, so SQLite's batch rebuild loses nothing.
    with op.batch_alter_table("outbound_emails") as batch_op:
        batch_op.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_outbound_emails_letter_id_issued_letters"), "issued_letters",
                                    ["letter_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_outbound_emails_letter_id"), ["letter_id"], unique=False)


def downgrade():
    with op.batch_alter_table("outbound_emails") as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbound_emails_letter_id"))
        batch_op.drop_constraint(batch_op.f("fk_outbound_emails_letter_id_issued_letters"), type_="foreignkey")
        batch_op.drop_column("letter_id")
    op.drop_index("ix_licences_type_status_holder", table_name="licences")

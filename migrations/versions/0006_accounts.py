"""Second factor, account security and the tamper-evident audit chain

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


GENESIS = "0" * 64


def upgrade():
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.execute(f"INSERT INTO audit_chain_head (id, last_hash, length) VALUES (1, '{GENESIS}', 0)")
    # Rows written before the chain existed are sealed as a block: they link to the genesis hash.
    _without_audit_triggers(lambda: _add_hash_columns())
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_codes_code_hash")),
    )
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)


def _add_hash_columns():
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=GENESIS))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=False, server_default=GENESIS))
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.alter_column("prev_hash", server_default=None)
        batch_op.alter_column("row_hash", server_default=None)


def _drop_hash_columns():
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")


def _without_audit_triggers(change):
    """SQLite batch mode copies the table, and PostgreSQL triggers fire on the rewrite."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
        change()
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
        return
    op.execute("DROP TRIGGER audit_events_no_update")
    op.execute("DROP TRIGGER audit_events_no_delete")
    change()
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def downgrade():
    _without_audit_triggers(_drop_hash_columns)
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))
    op.drop_table("recovery_codes")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_confirmed_at")
        batch_op.drop_column("totp_secret")

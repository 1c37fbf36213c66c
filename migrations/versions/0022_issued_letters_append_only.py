"""Issued letters are append-only, like the audit trail: the database refuses to change or delete
a letter once issued (a correction is a new letter)

Revision ID: 0022
Revises: 0021
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION issued_letters_append_only() RETURNS trigger AS $$ "
                   "BEGIN RAISE EXCEPTION 'issued_letters is append-only'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER issued_letters_no_change BEFORE UPDATE OR DELETE ON issued_letters "
                   "FOR EACH ROW EXECUTE FUNCTION issued_letters_append_only()")
        op.execute("CREATE TRIGGER issued_letters_no_truncate BEFORE TRUNCATE ON issued_letters "
                   "FOR EACH STATEMENT EXECUTE FUNCTION issued_letters_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER issued_letters_no_{event.lower()} BEFORE {event} ON issued_letters "
                       "BEGIN SELECT RAISE(ABORT, 'issued_letters is append-only'); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER issued_letters_no_truncate ON issued_letters")
        op.execute("DROP TRIGGER issued_letters_no_change ON issued_letters")
        op.execute("DROP FUNCTION issued_letters_append_only()")
    else:
        op.execute("DROP TRIGGER issued_letters_no_update")
        op.execute("DROP TRIGGER issued_letters_no_delete")

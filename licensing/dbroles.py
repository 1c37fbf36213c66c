"""Two database roles on PostgreSQL: the owner, which runs the migrations and so owns every table
and trigger, and the application's role, which the web servers and the scheduler connect as.

The application's role may read and write the working tables, but on `audit_events` it holds only
SELECT and INSERT, and on `issued_letters` only SELECT and INSERT: with no UPDATE, DELETE,
TRUNCATE or TRIGGER right, and not being the owner, it can neither change those rows nor
disable or drop the triggers that refuse changes (ALTER TABLE needs ownership). Run
`flask grant-app-role ROLE` as the owner after every `flask db upgrade`; default privileges also
cover tables a later migration creates."""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from licensing.extensions import db

APPEND_ONLY = ("audit_events", "issued_letters")


class RoleError(click.ClickException):
    pass


def grant_statements(role, schema="public"):
    """The statements that give `role` the application's rights and no more."""
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        *[f"REVOKE ALL ON {table} FROM {role}" for table in APPEND_ONLY],
        *[f"GRANT SELECT, INSERT ON {table} TO {role}" for table in APPEND_ONLY],
        f"REVOKE ALL ON alembic_version FROM {role}",
        f"GRANT SELECT ON alembic_version TO {role}",
    ]


def grant_app_role(connection, role):
    """Give the application's `role` its rights; refuse if it owns the audit table or is a superuser."""
    if connection.dialect.name != "postgresql":
        raise RoleError("database roles apply to PostgreSQL only")
    facts = connection.execute(sa.text(
        "SELECT r.rolsuper, t.tableowner FROM pg_roles r, pg_tables t "
        "WHERE r.rolname = :role AND t.tablename = 'audit_events' AND t.schemaname = current_schema()"
    ), {"role": role}).one_or_none()
    if facts is None:
        raise RoleError(f"no role {role} (or no audit_events table: run flask db upgrade first)")
    if facts.rolsuper or facts.tableowner == role:
        raise RoleError(f"{role} owns the tables or is a superuser: the application needs a role of its own")
    quoted = connection.dialect.identifier_preparer.quote(role)
    current = connection.execute(sa.text("SELECT current_schema()")).scalar()
    schema = connection.dialect.identifier_preparer.quote(current)
    for statement in grant_statements(quoted, schema):
        connection.execute(sa.text(statement))


def connected_role_owns_audit_trail(connection):
    """Whether this connection's role could disable the audit triggers (owner or superuser)."""
    if connection.dialect.name != "postgresql":
        return False
    return bool(connection.execute(sa.text(
        "SELECT r.rolsuper OR t.tableowner = current_user FROM pg_roles r, pg_tables t "
        "WHERE r.rolname = current_user AND t.tablename = 'audit_events' AND t.schemaname = current_schema()"
    )).scalar())


@click.command("grant-app-role")
@click.argument("role")
@with_appcontext
def grant_app_role_command(role):
    """As the owner of the tables: let ROLE (the application's) read and write, but only append
    to the audit trail and the issued letters."""
    with db.engine.begin() as connection:
        grant_app_role(connection, role)
    click.echo(f"{role}: SELECT and INSERT only on {', '.join(APPEND_ONLY)}; working tables read and write")

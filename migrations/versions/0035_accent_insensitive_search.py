"""Name search ignores accents and case: "Łukasz" and "zolc" find "Łukasz Żółć". On PostgreSQL the
search name index is rebuilt on licensing_fold (unaccent, then lower); SQLite has the same function
from the application (licensing/dbsetup.py) and, as before, no use for an index on a '%part%' search.

Revision ID: 0035
Revises: 0034
"""

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

PARTS = "coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(organisation_name, '')"


def _unaccent_schema():
    return op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'").scalar()


def upgrade():
    op.drop_index("ix_licence_holders_search_name", table_name="licence_holders")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema = _unaccent_schema()
    # IMMUTABLE, with the dictionary and function named by schema, so an index may use it and a
    # restore with an empty search_path rebuilds it.
    op.execute(
        "CREATE OR REPLACE FUNCTION licensing_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        f"AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$")
    op.execute(f"CREATE INDEX ix_licence_holders_search_name ON licence_holders "
               f"USING gin ((licensing_fold({PARTS})) gin_trgm_ops)")


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_index("ix_licence_holders_search_name", table_name="licence_holders")
        op.execute("DROP FUNCTION IF EXISTS licensing_fold(text)")
        op.execute(f"CREATE INDEX ix_licence_holders_search_name ON licence_holders "
                   f"USING gin ((lower({PARTS})) gin_trgm_ops)")
    else:
        op.execute(f"CREATE INDEX ix_licence_holders_search_name ON licence_holders ((lower({PARTS})))")
    # unaccent stays installed: other objects may use it.

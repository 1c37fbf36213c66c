"""Register search indexes and import support

Revision ID: 0003
Revises: 0002

On PostgreSQL the holder name index is a GIN trigram index (pg_trgm), so partial,
case-insensitive name searches use it; the lower() indexes serve exact, case-insensitive
look-ups of references, licence, badge, plate and DVLA numbers. SQLite builds the same
expression indexes as plain B-trees.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEARCH_NAME = (
    "lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' "
    "|| coalesce(organisation_name, ''))"
)
SORT_NAME = "lower(coalesce(last_name, organisation_name, '') || ' ' || coalesce(first_name, ''))"

LOWER_INDEXES = [
    ("ix_licence_holders_ref_lower", "licence_holders", "holder_ref"),
    ("ix_licence_holders_dvla_lower", "licence_holders", "dvla_licence_number"),
    ("ix_licences_number_lower", "licences", "licence_number"),
    ("ix_licences_badge_lower", "licences", "badge_number"),
    ("ix_vehicles_plate_lower", "vehicles", "plate_number"),
]


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            f"CREATE INDEX ix_licence_holders_search_name ON licence_holders "
            f"USING gin (({SEARCH_NAME}) gin_trgm_ops)"
        )
    else:
        op.execute(f"CREATE INDEX ix_licence_holders_search_name ON licence_holders (({SEARCH_NAME}))")
    op.execute(f"CREATE INDEX ix_licence_holders_sort_name ON licence_holders (({SORT_NAME}), id)")
    op.create_index("ix_licence_holders_date_of_birth", "licence_holders", ["date_of_birth"])
    for name, table, column in LOWER_INDEXES:
        op.create_index(name, table, [sa.text(f"lower({column})")])
    op.create_index("ix_licences_holder_type_status", "licences", ["holder_id", "licence_type", "status"])


def downgrade():
    op.drop_index("ix_licences_holder_type_status", table_name="licences")
    for name, table, _column in reversed(LOWER_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_licence_holders_date_of_birth", table_name="licence_holders")
    op.drop_index("ix_licence_holders_sort_name", table_name="licence_holders")
    op.drop_index("ix_licence_holders_search_name", table_name="licence_holders")
    # pg_trgm stays installed: other objects may use it and dropping it needs superuser.

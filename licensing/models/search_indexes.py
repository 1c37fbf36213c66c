"""Indexes that keep the register search fast at scale (see migrations 0003 and 0012).

Declared here, apart from the table classes, so that the models and the migration agree.
On PostgreSQL the name index is a GIN trigram index (pg_trgm) so that `LIKE '%part%'`
is served by the index; SQLite ignores the PostgreSQL options and builds a plain index.
"""

import unicodedata

import sqlalchemy as sa
from sqlalchemy.sql.elements import Grouping

from licensing.models.holders import Licence, LicenceHolder, Vehicle

# Constants inline in the SQL (not bound parameters), so a query's ORDER BY / LIKE expression
# is textually the indexed expression and PostgreSQL can use the index.
EMPTY = sa.literal_column("''")
SPACE = sa.literal_column("' '")


def _concat(*parts):
    """a || b || c with the left-nested parentheses PostgreSQL reflects, so the model and
    the migrated index compare equal."""
    expression = parts[0]
    for part in parts[1:-1]:
        expression = Grouping(expression.op("||")(part))
    return expression.op("||", return_type=sa.String)(parts[-1])


# Letters that are not a base letter plus an accent, folded as PostgreSQL's unaccent folds them.
_FOLD_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
                               "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D"})
FOLD_FUNCTION = "licensing_fold"


def fold_text(value):
    """Text without accents, in lower case: "Łukasz Żółć" reads "lukasz zolc". The database's
    `licensing_fold` does the same (PostgreSQL: unaccent and lower, migration 0033; SQLite: this
    function, registered on each connection by licensing/dbsetup.py)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", str(value).translate(_FOLD_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def holder_search_name():
    """'first last organisation' without accents and in lower case: what a name search matches."""
    return getattr(sa.func, FOLD_FUNCTION)(
        _concat(
            sa.func.coalesce(LicenceHolder.first_name, EMPTY),
            SPACE,
            sa.func.coalesce(LicenceHolder.last_name, EMPTY),
            SPACE,
            sa.func.coalesce(LicenceHolder.organisation_name, EMPTY),
        )
    )


def holder_sort_name():
    """'last first' (or the organisation name) in lower case: the order of search results."""
    return sa.func.lower(
        _concat(
            sa.func.coalesce(LicenceHolder.last_name, LicenceHolder.organisation_name, EMPTY),
            SPACE,
            sa.func.coalesce(LicenceHolder.first_name, EMPTY),
        )
    )


SEARCH_INDEXES = [
    sa.Index(
        "ix_licence_holders_search_name",
        holder_search_name().label("search_name"),
        postgresql_using="gin",
        postgresql_ops={"search_name": "gin_trgm_ops"},
        # A labelled expression (needed to name its operator class) hides the table's columns.
        _table=LicenceHolder.__table__,
    ),
    sa.Index("ix_licence_holders_sort_name", holder_sort_name(), LicenceHolder.id),
    sa.Index("ix_licence_holders_date_of_birth", LicenceHolder.date_of_birth),
    sa.Index("ix_licence_holders_ref_lower", sa.func.lower(LicenceHolder.holder_ref)),
    sa.Index("ix_licence_holders_dvla_lower", sa.func.lower(LicenceHolder.dvla_licence_number)),
    sa.Index("ix_licences_number_lower", sa.func.lower(Licence.licence_number)),
    # The licence type / status filters probe this per candidate holder (index-only).
    sa.Index("ix_licences_holder_type_status", Licence.holder_id, Licence.licence_type, Licence.status),
    # ...and a filtered search collects the holders of matching licences from this one (index-only).
    sa.Index("ix_licences_type_status_holder", Licence.licence_type, Licence.status, Licence.holder_id),
    sa.Index("ix_licences_badge_lower", sa.func.lower(Licence.badge_number)),
    sa.Index("ix_vehicles_plate_lower", sa.func.lower(Vehicle.plate_number)),
]

"""Convictions and endorsements as courts and the DVLA record them: youth cautions and fixed
penalties, the sentence's type and length, driving disqualification, penalty points, the DVLA
endorsement code, youth, listed offences and an officer's decision on protected status; the
assessment keeps its line-by-line explanation.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

OLD_DISPOSALS = ("conviction", "caution")
NEW_DISPOSALS = ("conviction", "caution", "youth_caution", "fixed_penalty")
SENTENCE_TYPES = ("custodial", "suspended", "community_order", "fine", "discharge", "other")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    with op.batch_alter_table("convictions") as batch:
        batch.drop_constraint("disposal", type_="check")
        batch.alter_column("disposal", type_=sa.String(13), existing_type=sa.String(10), existing_nullable=False)
        batch.create_check_constraint("disposal", _in("disposal", NEW_DISPOSALS))
        batch.add_column(sa.Column("sentence_type", sa.Enum(*SENTENCE_TYPES, name="sentence_type", native_enum=False,
                                                            create_constraint=True, length=15)))
        batch.add_column(sa.Column("sentence_months", sa.Integer))
        batch.add_column(sa.Column("disqualification_start", sa.Date))
        batch.add_column(sa.Column("disqualification_end", sa.Date))
        batch.add_column(sa.Column("penalty_points", sa.Integer))
        batch.add_column(sa.Column("endorsement_code", sa.String(4)))
        batch.add_column(sa.Column("youth", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("listed_offence", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("protected_override", sa.Boolean))
        batch.add_column(sa.Column("protected_reason", sa.String(500)))
        batch.create_check_constraint(
            "disqualification_dates",
            "disqualification_end IS NULL OR (disqualification_start IS NOT NULL "
            "AND disqualification_end >= disqualification_start)")
        batch.create_check_constraint("conviction_points", "penalty_points IS NULL OR penalty_points BETWEEN 0 AND 12")
        batch.create_check_constraint("sentence_months_range", "sentence_months IS NULL OR sentence_months >= 0")
        batch.create_check_constraint("protected_reason", "protected_override IS NULL OR protected_reason IS NOT NULL")
    with op.batch_alter_table("conviction_assessments") as batch:
        batch.add_column(sa.Column("explanation", sa.JSON))


def downgrade():
    with op.batch_alter_table("conviction_assessments") as batch:
        batch.drop_column("explanation")
    # The old schema cannot hold these disposals: a downgrade drops them.
    op.execute("DELETE FROM convictions WHERE disposal IN ('youth_caution', 'fixed_penalty')")
    with op.batch_alter_table("convictions") as batch:
        for name in ("sentence_type", "protected_reason", "sentence_months_range", "conviction_points", "disqualification_dates"):
            batch.drop_constraint(name, type_="check")
        for column in ("protected_reason", "protected_override", "listed_offence", "youth", "endorsement_code",
                       "penalty_points", "disqualification_end", "disqualification_start", "sentence_months"):
            batch.drop_column(column)
        batch.drop_column("sentence_type")
        batch.drop_constraint("disposal", type_="check")
        batch.alter_column("disposal", type_=sa.String(10), existing_type=sa.String(13), existing_nullable=False)
        batch.create_check_constraint("disposal", _in("disposal", OLD_DISPOSALS))

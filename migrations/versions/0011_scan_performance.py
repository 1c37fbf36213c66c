"""Work queue: review cases opened from flagged items, the 'compliance' case origin, and
partial indexes for reading open items in due order (all, or of one requirement)

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ORIGINS = ("application", "police_information", "nca_or_panel", "complaint", "enforcement_check", "mystery_shop",
           "self_disclosure", "other_authority", "policy_review", "audit")
OPEN = sa.text("status IN ('open', 'chased')")


def _origin_check(origins):
    return "origin IN (" + ", ".join(f"'{origin}'" for origin in origins) + ")"


def _set_origins(old, new):
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot alter a CHECK constraint, and rebuilding review_cases would fight the
        # foreign keys that point at it. Changing the constraint's text in the schema is the
        # documented way for a change that leaves stored data valid (sqlite.org/lang_altertable.html).
        bind = op.get_bind()
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
        bind.exec_driver_sql("PRAGMA writable_schema = ON")
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'review_cases'",
            (_origin_check(old), _origin_check(new)),
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
        return
    op.drop_constraint(op.f("ck_review_cases_case_origin"), "review_cases", type_="check")
    op.create_check_constraint(op.f("ck_review_cases_case_origin"), "review_cases", _origin_check(new))


def upgrade():
    _set_origins(ORIGINS, ORIGINS + ("compliance",))
    op.create_table(
        "compliance_flag_cases",
        sa.Column("flag_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["review_cases.id"], name=op.f("fk_compliance_flag_cases_case_id_review_cases")),
        sa.ForeignKeyConstraint(["flag_id"], ["compliance_flags.id"],
                                name=op.f("fk_compliance_flag_cases_flag_id_compliance_flags")),
        sa.PrimaryKeyConstraint("flag_id", "case_id", name=op.f("pk_compliance_flag_cases")),
    )
    op.create_index(op.f("ix_compliance_flag_cases_case_id"), "compliance_flag_cases", ["case_id"], unique=False)
    op.create_index("ix_compliance_flags_open_due", "compliance_flags", ["due_on", "id"], unique=False,
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index("ix_compliance_flags_open_requirement_due", "compliance_flags", ["requirement", "due_on", "id"],
                    unique=False, postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    op.drop_index("ix_compliance_flags_open_requirement_due", table_name="compliance_flags")
    op.drop_index("ix_compliance_flags_open_due", table_name="compliance_flags")
    op.drop_index(op.f("ix_compliance_flag_cases_case_id"), table_name="compliance_flag_cases")
    op.drop_table("compliance_flag_cases")
    _set_origins(ORIGINS + ("compliance",), ORIGINS)  # refused while compliance cases exist (PostgreSQL)

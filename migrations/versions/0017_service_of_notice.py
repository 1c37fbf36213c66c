"""Decisions in law: each enforcement action names its statutory decision and the application it
decides, how and when its notice is (to be) served and when service was recorded, and, for a s.68
vehicle-defect suspension, the day it is deemed a revocation unless remedied. Staff record their post
for the notices they sign.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enforcement_actions") as batch:
        batch.add_column(sa.Column("decision", sa.String(40)))
        batch.add_column(sa.Column("application_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("service_method", sa.String(20)))
        batch.add_column(sa.Column("served_on", sa.Date))
        batch.add_column(sa.Column("service_recorded_on", sa.Date))
        batch.add_column(sa.Column("service_recorded_by_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("remedy_by", sa.Date))
        batch.add_column(sa.Column("remedied_on", sa.Date))
        batch.add_column(sa.Column("taken_on", sa.Date))
        batch.create_foreign_key("fk_enforcement_actions_application", "licence_applications",
                                 ["application_id"], ["id"])
        batch.create_foreign_key("fk_enforcement_actions_service_recorded_by", "users",
                                 ["service_recorded_by_id"], ["id"])
        batch.create_index("ix_enforcement_actions_application_id", ["application_id"])
    # Notices given before this release were served when dated: their dates stand as recorded.
    op.execute("UPDATE enforcement_actions SET served_on = notice_date, service_recorded_on = notice_date "
               "WHERE notice_date IS NOT NULL")
    op.create_index("ix_enforcement_actions_unserved", "enforcement_actions", ["id"], unique=False,
                    postgresql_where=sa.text("service_recorded_on IS NULL"),
                    sqlite_where=sa.text("service_recorded_on IS NULL"))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("post", sa.String(120)))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("post")
    op.drop_index("ix_enforcement_actions_unserved", table_name="enforcement_actions")
    with op.batch_alter_table("enforcement_actions") as batch:
        batch.drop_index("ix_enforcement_actions_application_id")
        batch.drop_constraint("fk_enforcement_actions_service_recorded_by", type_="foreignkey")
        batch.drop_constraint("fk_enforcement_actions_application", type_="foreignkey")
        for column in ("taken_on", "remedied_on", "remedy_by", "service_recorded_by_id", "service_recorded_on",
                       "served_on", "service_method", "application_id", "decision"):
            batch.drop_column(column)

"""Outbox channels and delivery receipts; lookups in outside services; DBS Update Service consent

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

SERVICES = ("dvla_vehicle", "mot_history", "dbs_update", "dvla_driver_check")
OUTCOMES = ("found", "not_found", "refused", "unavailable")


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade():
    with op.batch_alter_table("outbound_emails") as batch:
        batch.add_column(sa.Column("channel", _enum(("email", "sms", "letter"), "message_channel"),
                                   nullable=False, server_default="email"))
        batch.add_column(sa.Column("provider_ref", sa.String(64)))
        batch.add_column(sa.Column("delivery_status", sa.String(40)))
        batch.add_column(sa.Column("delivered_at", sa.DateTime))
        batch.create_index("ix_outbound_emails_provider_ref", ["provider_ref"])
    op.create_table(
        "service_lookups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("service", _enum(SERVICES, "lookup_service"), nullable=False),
        sa.Column("holder_id", sa.Integer, sa.ForeignKey("licence_holders.id"), index=True),
        sa.Column("vehicle_id", sa.Integer, sa.ForeignKey("vehicles.id"), index=True),
        sa.Column("query_ref", sa.String(40), nullable=False),
        sa.Column("outcome", _enum(OUTCOMES, "lookup_outcome"), nullable=False),
        sa.Column("result", sa.JSON),
        sa.Column("requested_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("requested_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "dbs_consents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("holder_id", sa.Integer, sa.ForeignKey("licence_holders.id"), nullable=False, index=True),
        sa.Column("certificate_number", sa.String(12), nullable=False),
        sa.Column("consent_given_on", sa.Date, nullable=False),
        sa.Column("recorded_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("withdrawn_on", sa.Date),
        sa.Column("next_check_on", sa.Date, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("compliance_checks") as batch:
        batch.add_column(sa.Column("source", sa.String(60)))
        batch.add_column(sa.Column("lookup_id", sa.Integer))
        batch.create_foreign_key("fk_compliance_checks_lookup_id_service_lookups", "service_lookups",
                                 ["lookup_id"], ["id"])
        batch.create_index("ix_compliance_checks_lookup_id", ["lookup_id"])


def downgrade():
    with op.batch_alter_table("compliance_checks") as batch:
        batch.drop_index("ix_compliance_checks_lookup_id")
        batch.drop_constraint("fk_compliance_checks_lookup_id_service_lookups", type_="foreignkey")
        batch.drop_column("lookup_id")
        batch.drop_column("source")
    op.drop_table("dbs_consents")
    op.drop_table("service_lookups")
    with op.batch_alter_table("outbound_emails") as batch:
        batch.drop_index("ix_outbound_emails_provider_ref")
        batch.drop_constraint("message_channel", type_="check")
        batch.drop_column("delivered_at")
        batch.drop_column("delivery_status")
        batch.drop_column("provider_ref")
        batch.drop_column("channel")

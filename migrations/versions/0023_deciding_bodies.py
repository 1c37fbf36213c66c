"""Deciding bodies with their members, the dated table of which body holds which power, and at a
hearing: the legal adviser, the members present and their votes, the decision mode and the
exclusion of the public under Sch 12A. Each deciding body already named on a hearing becomes a
body holding every power from the earliest date, so past decisions keep their authority.

Revision ID: 0023
Revises: 0022
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

POWERS = ("applications", "licence_action")
BACKFILL_SOURCE = "Held before decision authority was recorded in this system"


def _create_tables():
    op.create_table(
        "deciding_bodies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(13), nullable=False),
        sa.Column("decision_mode", sa.String(9), nullable=False),
        sa.Column("quorum", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "deciding_body_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, sa.ForeignKey("deciding_bodies.id"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("role", sa.String(14), nullable=False),
        sa.Column("from_date", sa.Date, nullable=False),
        sa.Column("to_date", sa.Date),
    )
    op.create_index("ix_deciding_body_members_body_id", "deciding_body_members", ["body_id"])
    op.create_index("ix_deciding_body_members_user_id", "deciding_body_members", ["user_id"])
    op.create_table(
        "decision_authorities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, sa.ForeignKey("deciding_bodies.id"), nullable=False),
        sa.Column("power", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("recorded_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_decision_authorities_body_id", "decision_authorities", ["body_id"])
    op.create_table(
        "hearing_decision_members",
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("hearing_decisions.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("vote", sa.String(9), nullable=False),
    )
    op.create_index("ix_hearing_decision_members_user_id", "hearing_decision_members", ["user_id"])


def _add_columns():
    with op.batch_alter_table("hearings") as batch:
        batch.add_column(sa.Column("deciding_body_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("legal_adviser", sa.String(200)))
        batch.add_column(sa.Column("status_reason", sa.Text))
        batch.create_foreign_key("fk_hearings_deciding_body", "deciding_bodies", ["deciding_body_id"], ["id"])
        batch.create_index("ix_hearings_deciding_body_id", ["deciding_body_id"])
    op.add_column("hearing_listings", sa.Column("private_paragraph", sa.Integer))
    with op.batch_alter_table("hearing_decisions") as batch:
        batch.add_column(sa.Column("decision_mode", sa.String(20)))
        batch.add_column(sa.Column("legal_adviser", sa.String(200)))
        batch.add_column(sa.Column("exclusion_paragraph", sa.Integer))
        batch.add_column(sa.Column("authority_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_hearing_decisions_authority", "decision_authorities", ["authority_id"], ["id"])


def _backfill():
    conn = op.get_bind()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    names = [row[0] for row in conn.execute(sa.text("SELECT DISTINCT deciding_body FROM hearings ORDER BY 1"))]
    for name in names:
        kind, mode = ("commissioner", "single") if "ommissioner" in name else ("sub_committee", "majority")
        body_id = conn.execute(sa.text(
            "INSERT INTO deciding_bodies (name, kind, decision_mode, quorum, active, created_at, version) "
            "VALUES (:name, :kind, :mode, 1, :active, :now, 1) RETURNING id"),
            {"name": name, "kind": kind, "mode": mode, "active": True, "now": now}).scalar()
        for power in POWERS:
            conn.execute(sa.text(
                "INSERT INTO decision_authorities (body_id, power, valid_from, source, created_at) "
                "VALUES (:body, :power, :start, :source, :now)"),
                {"body": body_id, "power": power, "start": dt.date(1976, 1, 1), "source": BACKFILL_SOURCE,
                 "now": now})
        conn.execute(sa.text("UPDATE hearings SET deciding_body_id = :body WHERE deciding_body = :name"),
                     {"body": body_id, "name": name})


def upgrade():
    _create_tables()
    _add_columns()
    _backfill()


def downgrade():
    with op.batch_alter_table("hearing_decisions") as batch:
        batch.drop_constraint("fk_hearing_decisions_authority", type_="foreignkey")
        for column in ("authority_id", "exclusion_paragraph", "legal_adviser", "decision_mode"):
            batch.drop_column(column)
    with op.batch_alter_table("hearing_listings") as batch:
        batch.drop_column("private_paragraph")
    with op.batch_alter_table("hearings") as batch:
        batch.drop_index("ix_hearings_deciding_body_id")
        batch.drop_constraint("fk_hearings_deciding_body", type_="foreignkey")
        for column in ("status_reason", "legal_adviser", "deciding_body_id"):
            batch.drop_column(column)
    op.drop_index("ix_hearing_decision_members_user_id", table_name="hearing_decision_members")
    op.drop_table("hearing_decision_members")
    op.drop_index("ix_decision_authorities_body_id", table_name="decision_authorities")
    op.drop_table("decision_authorities")
    op.drop_index("ix_deciding_body_members_user_id", table_name="deciding_body_members")
    op.drop_index("ix_deciding_body_members_body_id", table_name="deciding_body_members")
    op.drop_table("deciding_body_members")
    op.drop_table("deciding_bodies")

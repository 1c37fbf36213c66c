"""The append-only audit trail."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import utcnow


class AuditEvent(db.Model):
    """One row per state change or sensitive read. Never updated or deleted."""

    __tablename__ = "audit_events"

    id = sa.Column(sa.Integer, primary_key=True)
    occurred_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = sa.Column(sa.ForeignKey("users.id"), index=True)
    action = sa.Column(sa.String(60), nullable=False, index=True)
    entity_type = sa.Column(sa.String(60), nullable=False)
    entity_id = sa.Column(sa.Integer)
    holder_id = sa.Column(sa.Integer, index=True)  # for the holder timeline; no FK: audit outlives data
    before = sa.Column(sa.JSON)
    after = sa.Column(sa.JSON)
    reason = sa.Column(sa.Text)
    # Tamper evidence: each row's hash covers its content and the previous row's hash.
    prev_hash = sa.Column(sa.String(64), nullable=False)
    row_hash = sa.Column(sa.String(64), nullable=False)

    actor = relationship("User")

    __table_args__ = (sa.Index("ix_audit_events_entity", "entity_type", "entity_id"),)


class AuditChainHead(db.Model):
    """One row holding the newest audit hash; updating it serialises writers of the chain."""

    __tablename__ = "audit_chain_head"

    id = sa.Column(sa.Integer, primary_key=True)
    last_hash = sa.Column(sa.String(64), nullable=False)
    length = sa.Column(sa.BigInteger, nullable=False, default=0)

"""The national register (NR3S) beside the outgoing entries: a senior officer's reasoned override
of a search match, and s.5 information received about our own drivers from another authority."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class Nr3sMatchOverride(db.Model):
    """A senior officer's decision to go ahead with a grant or renewal after an NR3S match
    without the recording authority's reply (e.g. the authority has not answered and the
    information is known from elsewhere). Once per search; never edited."""

    __tablename__ = "nr3s_match_overrides"

    id = sa.Column(sa.Integer, primary_key=True)
    check_id = sa.Column(sa.ForeignKey("compliance_checks.id"), nullable=False, unique=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    decided_on = sa.Column(sa.Date, nullable=False)
    reasons = sa.Column(sa.Text, nullable=False)
    decided_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    check = relationship("ComplianceCheck")
    decided_by = relationship("User")


class ConcernDecision(LabelledEnum):
    NO_ACTION = "no_action"
    WARNING = "warning"
    SUSPENSION = "suspension"
    REVOCATION = "revocation"
    REFERRED_TO_HEARING = "referred_to_hearing"


class IncomingConcern(db.Model):
    """Information another authority shared under s.5 of the 2022 Act about a driver we license:
    we must consider suspending or revoking (s.6) and tell the sender what we decided."""

    __tablename__ = "incoming_concerns"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), index=True)
    sending_authority = sa.Column(sa.String(200), nullable=False)
    received_on = sa.Column(sa.Date, nullable=False, index=True)
    information = sa.Column(sa.Text, nullable=False)
    consider_by = sa.Column(sa.Date, nullable=False)
    considered_on = sa.Column(sa.Date)
    decision = enum_column(ConcernDecision, "concern_decision")
    decision_reasons = sa.Column(sa.Text)
    decided_by_id = sa.Column(sa.ForeignKey("users.id"))
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    inform_by = sa.Column(sa.Date)
    sender_informed_on = sa.Column(sa.Date)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    licence = relationship("Licence")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("considered_on IS NULL OR considered_on >= received_on", name="considered_after_received"),
    )

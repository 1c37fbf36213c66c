"""The information-sharing log: what the council received from and sent to the police, the
National Crime Agency and multi-agency panels, when, by whom, on what lawful basis and under
which handling conditions. Restricted like intelligence."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class ShareDirection(LabelledEnum):
    RECEIVED = "received"
    SENT = "sent"


class SharePartner(LabelledEnum):
    POLICE = "police"
    NCA = "nca"
    MARP = "marp"
    CSE_MEETING = "cse_meeting"
    OTHER_LICENSING_AUTHORITY = "other_licensing_authority"
    OTHER = "other"

    @property
    def label(self):
        return {"police": "Police", "nca": "National Crime Agency",
                "marp": "Multi-agency risk panel (MARP)", "cse_meeting": "Child sexual exploitation meeting",
                "other_licensing_authority": "Other licensing authority", "other": "Other partner"}[self.value]


class InformationShare(db.Model):
    __tablename__ = "information_shares"

    id = sa.Column(sa.Integer, primary_key=True)
    direction = enum_column(ShareDirection, "share_direction", nullable=False)
    partner = enum_column(SharePartner, "share_partner", nullable=False)
    partner_name = sa.Column(sa.String(200), nullable=False)  # e.g. "Northshire Police, PC 1234"
    shared_on = sa.Column(sa.Date, nullable=False, index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    summary = sa.Column(sa.Text, nullable=False)
    lawful_basis = sa.Column(sa.String(40), nullable=False)  # a key of policy data sharing.json
    handling_conditions = sa.Column(sa.Text, nullable=False)
    shared_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    holder = relationship("LicenceHolder")
    shared_by = relationship("User", foreign_keys=[shared_by_id])

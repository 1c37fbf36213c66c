"""Non-conviction information: arrests, charges, acquittals, no further action, allegations and
safeguarding referrals. Restricted like intelligence (officers with clearance; every view
audited), because most of it is police information that has not been tested in court."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow
from licensing.models.offences import IntelligenceSource


class NonConvictionKind(LabelledEnum):
    ARREST = "arrest"
    CHARGE = "charge"
    ACQUITTAL = "acquittal"
    NO_FURTHER_ACTION = "no_further_action"
    ALLEGATION = "allegation"
    SAFEGUARDING_REFERRAL = "safeguarding_referral"


class Finding(LabelledEnum):
    """The officer's view on the balance of probabilities (McCool v Rushcliffe BC [1998])."""

    NOT_YET_ASSESSED = "not_yet_assessed"
    MORE_LIKELY_THAN_NOT = "more_likely_than_not"
    NOT_PROVEN = "not_proven"

    @property
    def label(self):
        return {"not_yet_assessed": "Not yet assessed",
                "more_likely_than_not": "More likely than not to have happened",
                "not_proven": "Not shown to be more likely than not"}[self.value]


class NonConvictionInformation(db.Model):
    __tablename__ = "non_conviction_information"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    kind = enum_column(NonConvictionKind, "non_conviction_kind", nullable=False)
    source = enum_column(IntelligenceSource, "non_conviction_source", nullable=False)
    handling_code = sa.Column(sa.String(20), nullable=False)
    occurred_on = sa.Column(sa.Date, nullable=False)
    received_on = sa.Column(sa.Date, nullable=False)
    summary = sa.Column(sa.Text, nullable=False)
    holder_response = sa.Column(sa.Text)
    finding = enum_column(Finding, "non_conviction_finding", nullable=False, default=Finding.NOT_YET_ASSESSED)
    finding_reasons = sa.Column(sa.Text)
    found_by_id = sa.Column(sa.ForeignKey("users.id"))
    found_on = sa.Column(sa.Date)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    case = relationship("ReviewCase")
    found_by = relationship("User", foreign_keys=[found_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("occurred_on <= received_on", name="occurred_before_received"),
    )

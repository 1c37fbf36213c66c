"""Convictions, cautions and restricted intelligence about licence holders."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class OffenceCategory(LabelledEnum):
    """Categories of the Institute of Licensing suitability guidance (2018)."""

    DEATH = "death"
    EXPLOITATION = "exploitation"
    VIOLENCE = "violence"
    WEAPONS = "weapons"
    SEXUAL = "sexual"
    DISHONESTY = "dishonesty"
    DRUGS_SUPPLY = "drugs_supply"
    DRUGS_POSSESSION = "drugs_possession"
    DISCRIMINATION = "discrimination"
    DRINK_DRUG_DRIVING = "drink_drug_driving"
    HANDHELD_DEVICE = "handheld_device"
    MINOR_TRAFFIC = "minor_traffic"
    MAJOR_TRAFFIC = "major_traffic"
    HACKNEY_PHV = "hackney_phv"
    VEHICLE_USE = "vehicle_use"

    @property
    def label(self):
        return OFFENCE_LABELS[self.value]

    @property
    def is_motoring(self):
        return self.value in MOTORING


OFFENCE_LABELS = {
    "death": "Crimes resulting in death",
    "exploitation": "Exploitation",
    "violence": "Offences involving violence",
    "weapons": "Possession of a weapon",
    "sexual": "Sexual and indecency offences",
    "dishonesty": "Dishonesty",
    "drugs_supply": "Drugs: supply",
    "drugs_possession": "Drugs: possession",
    "discrimination": "Discrimination",
    "drink_drug_driving": "Drink or drug driving",
    "handheld_device": "Using a hand-held device while driving",
    "minor_traffic": "Minor traffic offences",
    "major_traffic": "Major traffic offences",
    "hackney_phv": "Hackney carriage and private hire offences",
    "vehicle_use": "Vehicle use offences",
}
MOTORING = {"drink_drug_driving", "handheld_device", "minor_traffic", "major_traffic", "vehicle_use"}


class Disposal(LabelledEnum):
    CONVICTION = "conviction"
    CAUTION = "caution"
    YOUTH_CAUTION = "youth_caution"
    FIXED_PENALTY = "fixed_penalty"

    @property
    def is_caution(self):
        return self in (Disposal.CAUTION, Disposal.YOUTH_CAUTION)


class SentenceType(LabelledEnum):
    CUSTODIAL = "custodial"
    SUSPENDED = "suspended"
    COMMUNITY_ORDER = "community_order"
    FINE = "fine"
    DISCHARGE = "discharge"
    OTHER = "other"

    @property
    def label(self):
        return {"custodial": "Custodial sentence", "suspended": "Suspended custodial sentence",
                "community_order": "Community order", "fine": "Fine", "discharge": "Discharge",
                "other": "Other"}[self.value]


class OffenceSource(LabelledEnum):
    SELF_DECLARED = "self_declared"
    DBS = "dbs"
    POLICE = "police"
    DVLA = "dvla"

    @property
    def label(self):
        return {"self_declared": "Self-declared", "dbs": "DBS", "police": "Police", "dvla": "DVLA"}[
            self.value
        ]


class Conviction(db.Model):
    __tablename__ = "convictions"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    category = enum_column(OffenceCategory, "offence_category", nullable=False)
    disposal = enum_column(Disposal, "disposal", nullable=False, default=Disposal.CONVICTION)
    offence = sa.Column(sa.String(500), nullable=False)
    offence_date = sa.Column(sa.Date)
    conviction_date = sa.Column(sa.Date, nullable=False)
    sentence_end_date = sa.Column(sa.Date)
    sentence = sa.Column(sa.String(500))
    sentence_type = enum_column(SentenceType, "sentence_type")
    sentence_months = sa.Column(sa.Integer)
    disqualification_start = sa.Column(sa.Date)
    disqualification_end = sa.Column(sa.Date)
    penalty_points = sa.Column(sa.Integer)
    endorsement_code = sa.Column(sa.String(4))  # DVLA code, e.g. SP30
    youth = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())  # under 18 at the offence
    listed_offence = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    # None: protected status follows the DBS filtering rules; True/False: an officer's decision, with a reason.
    protected_override = sa.Column(sa.Boolean)
    protected_reason = sa.Column(sa.String(500))
    source = enum_column(OffenceSource, "offence_source", nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    # Withdrawn as entered in error: kept and shown, but never assessed or counted again.
    withdrawn_at = sa.Column(sa.DateTime)
    withdrawn_by_id = sa.Column(sa.ForeignKey("users.id"))
    withdrawn_reason = sa.Column(sa.Text)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "disqualification_end IS NULL OR (disqualification_start IS NOT NULL "
            "AND disqualification_end >= disqualification_start)", name="disqualification_dates",
        ),
        sa.CheckConstraint("penalty_points IS NULL OR penalty_points BETWEEN 0 AND 12", name="conviction_points"),
        sa.CheckConstraint("sentence_months IS NULL OR sentence_months >= 0", name="sentence_months_range"),
        sa.CheckConstraint("protected_override IS NULL OR protected_reason IS NOT NULL", name="protected_reason"),
        sa.CheckConstraint(
            "offence_date IS NULL OR offence_date <= conviction_date", name="offence_before_conviction"
        ),
        sa.CheckConstraint(
            "sentence_end_date IS NULL OR sentence_end_date >= conviction_date",
            name="sentence_after_conviction",
        ),
    )


class IntelligenceSource(LabelledEnum):
    POLICE = "police"
    NCA = "nca"
    MULTI_AGENCY_PANEL = "multi_agency_panel"
    OTHER_LICENSING_AUTHORITY = "other_licensing_authority"
    PUBLIC = "public"

    @property
    def label(self):
        return {
            "police": "Police",
            "nca": "National Crime Agency",
            "multi_agency_panel": "Multi-agency panel",
            "other_licensing_authority": "Other licensing authority",
            "public": "Member of the public",
        }[self.value]


class Intelligence(db.Model):
    """Restricted: readable only by officers with clearance, and every read is audited."""

    __tablename__ = "intelligence"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    source = enum_column(IntelligenceSource, "intelligence_source", nullable=False)
    grading = sa.Column(sa.String(20), nullable=False)  # e.g. the 3x5x2 handling code
    received_on = sa.Column(sa.Date, nullable=False)
    summary = sa.Column(sa.Text, nullable=False)
    disclose_to_panel = sa.Column(sa.Boolean, nullable=False, default=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")

    __mapper_args__ = {"version_id_col": version}

"""The complaints register and enforcement checks (street checks, mystery shops, inspections)."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class ComplaintChannel(LabelledEnum):
    EMAIL = "email"
    PHONE = "phone"
    WEB_FORM = "web_form"
    LETTER = "letter"
    IN_PERSON = "in_person"
    POLICE = "police"


class ComplaintCategory(LabelledEnum):
    DRIVER_CONDUCT = "driver_conduct"
    OVERCHARGING = "overcharging"
    REFUSAL_TO_CARRY = "refusal_to_carry"
    DISABILITY_DISCRIMINATION = "disability_discrimination"
    DANGEROUS_DRIVING = "dangerous_driving"
    VEHICLE_CONDITION = "vehicle_condition"
    SAFEGUARDING = "safeguarding"
    PLYING_FOR_HIRE = "plying_for_hire"
    OTHER = "other"


class ComplaintStatus(LabelledEnum):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    RESPONDED = "responded"
    CLOSED = "closed"


class ComplaintOutcome(LabelledEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"
    REFERRED_TO_CASE = "referred_to_case"
    NO_FURTHER_ACTION = "no_further_action"


class Complaint(db.Model):
    __tablename__ = "complaints"

    id = sa.Column(sa.Integer, primary_key=True)
    received_on = sa.Column(sa.Date, nullable=False, index=True)
    channel = enum_column(ComplaintChannel, "complaint_channel", nullable=False)
    category = enum_column(ComplaintCategory, "complaint_category", nullable=False)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), index=True)
    vehicle_id = sa.Column(sa.ForeignKey("vehicles.id"), index=True)
    details = sa.Column(sa.Text, nullable=False)
    # Restricted: officers only.
    complainant_name = sa.Column(sa.String(200))
    complainant_contact = sa.Column(sa.String(300))
    response_due_on = sa.Column(sa.Date, nullable=False, index=True)
    status = enum_column(ComplaintStatus, "complaint_status", nullable=False, default=ComplaintStatus.RECEIVED)
    outcome = enum_column(ComplaintOutcome, "complaint_outcome")
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    licence = relationship("Licence")
    vehicle = relationship("Vehicle")
    case = relationship("ReviewCase")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "holder_id IS NOT NULL OR licence_id IS NOT NULL OR vehicle_id IS NOT NULL",
            name="complaint_has_subject",
        ),
    )


class EnforcementCheckType(LabelledEnum):
    UNANNOUNCED_VEHICLE_CHECK = "unannounced_vehicle_check"
    JOINT_OPERATION = "joint_operation"
    MYSTERY_SHOP = "mystery_shop"
    INTERNAL_AUDIT = "internal_audit"

    @property
    def label(self):
        return {
            "unannounced_vehicle_check": "Unannounced vehicle check",
            "joint_operation": "Joint operation with police",
            "mystery_shop": "Mystery shop",
            "internal_audit": "Internal audit",
        }[self.value]


class EnforcementCheckResult(LabelledEnum):
    SATISFACTORY = "satisfactory"
    FAIR = "fair"
    UNSATISFACTORY = "unsatisfactory"


class EnforcementCheck(db.Model):
    __tablename__ = "enforcement_checks"

    id = sa.Column(sa.Integer, primary_key=True)
    checked_on = sa.Column(sa.Date, nullable=False, index=True)
    check_type = enum_column(EnforcementCheckType, "enforcement_check_type", nullable=False)
    officer_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    vehicle_id = sa.Column(sa.ForeignKey("vehicles.id"), index=True)
    driver_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    result = enum_column(EnforcementCheckResult, "enforcement_check_result", nullable=False)
    issues_found = sa.Column(sa.Text)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    officer = relationship("User")
    vehicle = relationship("Vehicle")
    driver = relationship("LicenceHolder")
    case = relationship("ReviewCase")
    documents = relationship("EvidenceDocument", back_populates="enforcement_check",
                             order_by="EvidenceDocument.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def holder_id(self):  # so audit rows land on the driver's timeline
        return self.driver_id

"""Compliance checks and the evidence documents behind them."""

import sqlalchemy as sa
from sqlalchemy.orm import deferred, relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class CheckKind(LabelledEnum):
    DBS_ENHANCED = "dbs_enhanced"
    DBS_BASIC = "dbs_basic"
    DBS_UPDATE_SERVICE = "dbs_update_service"
    MEDICAL_GROUP2 = "medical_group2"
    DVLA = "dvla"
    RIGHT_TO_WORK = "right_to_work"
    INSURANCE = "insurance"
    MOT = "mot"
    VEHICLE_TEST = "vehicle_test"
    CAMERA_CERTIFICATE = "camera_certificate"
    NR3S_SEARCH = "nr3s_search"
    SAFEGUARDING_TRAINING = "safeguarding_training"

    @property
    def label(self):
        return CHECK_LABELS[self.value]


CHECK_LABELS = {
    "dbs_enhanced": "Enhanced DBS certificate",
    "dbs_basic": "Basic DBS certificate",
    "dbs_update_service": "DBS update service status",
    "medical_group2": "Group 2 medical",
    "dvla": "DVLA licence check",
    "right_to_work": "Right to work",
    "insurance": "Insurance",
    "mot": "MOT",
    "vehicle_test": "Council vehicle test",
    "camera_certificate": "Camera certificate",
    "nr3s_search": "National register (NR3S) search",
    "safeguarding_training": "Safeguarding training",
}


class CheckResult(LabelledEnum):
    PASS = "pass"  # noqa: S105 - a check result, not a password
    FAIL = "fail"
    CLEAR = "clear"
    INFORMATION_DISCLOSED = "information_disclosed"
    MATCH_FOUND = "match_found"
    NO_MATCH = "no_match"
    PENDING = "pending"


class ComplianceCheck(db.Model):
    __tablename__ = "compliance_checks"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), index=True)
    kind = enum_column(CheckKind, "check_kind", nullable=False)
    completed_on = sa.Column(sa.Date, nullable=False)
    expires_on = sa.Column(sa.Date, index=True)
    result = enum_column(CheckResult, "check_result", nullable=False)
    reference = sa.Column(sa.String(64))
    points = sa.Column(sa.Integer)  # DVLA penalty points
    barred_lists_checked = sa.Column(sa.Boolean)  # enhanced DBS: children and adults lists
    notes = sa.Column(sa.Text)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"))
    # Where the result came from: None when an officer keyed it in, else the service looked up
    # (e.g. "DVSA MOT history") with the lookup that returned it.
    source = sa.Column(sa.String(60))
    lookup_id = sa.Column(sa.ForeignKey("service_lookups.id"), index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    # Withdrawn as entered in error: kept and shown, but never counted as evidence again.
    withdrawn_at = sa.Column(sa.DateTime)
    withdrawn_by_id = sa.Column(sa.ForeignKey("users.id"))
    withdrawn_reason = sa.Column(sa.Text)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    licence = relationship("Licence")
    documents = relationship("EvidenceDocument", back_populates="check")

    __mapper_args__ = {"version_id_col": version}

    def can_lead_to_nr3s_request(self):
        """An NR3S search that found a match is followed by a request to the recording authority."""
        return self.kind == CheckKind.NR3S_SEARCH and self.result == CheckResult.MATCH_FOUND
    __table_args__ = (
        sa.CheckConstraint("holder_id IS NOT NULL OR licence_id IS NOT NULL", name="has_subject"),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on >= completed_on", name="expiry_after_completion"
        ),
        sa.CheckConstraint("points IS NULL OR points BETWEEN 0 AND 99", name="points_range"),
        sa.Index("ix_compliance_checks_holder_kind", "holder_id", "kind"),
        # Whether a requirement's evidence carries expiry dates (licensing.compliance.sql.evidence_expiries).
        sa.Index("ix_compliance_checks_kind_expires", "kind", "expires_on"),
    )


class EvidenceDocument(db.Model):
    __tablename__ = "evidence_documents"

    id = sa.Column(sa.Integer, primary_key=True)
    check_id = sa.Column(sa.ForeignKey("compliance_checks.id"), index=True)
    # Or a photo from a street check, kept under the driver (or the vehicle's proprietor) it concerns.
    enforcement_check_id = sa.Column(sa.ForeignKey("enforcement_checks.id"), index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    stored_name = sa.Column(sa.String(64), nullable=False, unique=True)
    original_name = sa.Column(sa.String(255), nullable=False)
    content_type = sa.Column(sa.String(64), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    content = deferred(sa.Column(sa.LargeBinary, nullable=False))
    uploaded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    uploaded_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    check = relationship("ComplianceCheck", back_populates="documents")
    enforcement_check = relationship("EnforcementCheck", back_populates="documents")

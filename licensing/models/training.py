"""Training courses, sessions and bookings; compliance flags and suspensions until compliant."""

import sqlalchemy as sa
from sqlalchemy.orm import deferred, relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class CourseKind(LabelledEnum):
    SAFEGUARDING = "safeguarding"
    DISABILITY_AWARENESS = "disability_awareness"
    QUALIFICATION = "qualification"
    REFRESHER = "refresher"


class BookingStatus(LabelledEnum):
    BOOKED = "booked"
    COMPLETED = "completed"
    DID_NOT_ATTEND = "did_not_attend"
    CANCELLED = "cancelled"


class FlagStatus(LabelledEnum):
    OPEN = "open"
    CHASED = "chased"
    RESOLVED = "resolved"


class ProposalStatus(LabelledEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    ENDED = "ended"


class Course(db.Model):
    __tablename__ = "training_courses"

    id = sa.Column(sa.Integer, primary_key=True)
    code = sa.Column(sa.String(40), nullable=False, unique=True)
    title = sa.Column(sa.String(200), nullable=False)
    kind = enum_column(CourseKind, "course_kind", nullable=False)
    satisfies = sa.Column(sa.String(40), nullable=False)  # requirement code in the policy data
    validity_months = sa.Column(sa.Integer)  # None: never expires
    version = sa.Column(sa.Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity_positive"),
    )


class TrainingSession(db.Model):
    __tablename__ = "training_sessions"

    id = sa.Column(sa.Integer, primary_key=True)
    course_id = sa.Column(sa.ForeignKey("training_courses.id"), nullable=False, index=True)
    held_on = sa.Column(sa.Date, nullable=False, index=True)
    venue = sa.Column(sa.String(200), nullable=False)
    capacity = sa.Column(sa.Integer, nullable=False)
    trainer = sa.Column(sa.String(120), nullable=False)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    course = relationship("Course")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.CheckConstraint("capacity BETWEEN 1 AND 500", name="capacity_range"),)


class Booking(db.Model):
    __tablename__ = "training_bookings"

    id = sa.Column(sa.Integer, primary_key=True)
    session_id = sa.Column(sa.ForeignKey("training_sessions.id"), nullable=False, index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    status = enum_column(BookingStatus, "booking_status", nullable=False, default=BookingStatus.BOOKED)
    booked_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    completed_on = sa.Column(sa.Date)
    expires_on = sa.Column(sa.Date)
    certificate_reference = sa.Column(sa.String(64))
    check_id = sa.Column(sa.ForeignKey("compliance_checks.id"))  # the check a completion wrote
    version = sa.Column(sa.Integer, nullable=False, default=1)

    session = relationship("TrainingSession")
    holder = relationship("LicenceHolder")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("session_id", "holder_id", name="uq_booking_session_holder"),
        sa.CheckConstraint(
            "status != 'completed' OR (completed_on IS NOT NULL AND certificate_reference IS NOT NULL)",
            name="completion_has_certificate",
        ),
        sa.Index("ix_training_bookings_holder_status", "holder_id", "status"),
    )


class ComplianceFlag(db.Model):
    """One row per licence, requirement, due date and reminder stage (lead days; 0 = overdue)."""

    __tablename__ = "compliance_flags"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), nullable=False)
    requirement = sa.Column(sa.String(40), nullable=False)
    due_on = sa.Column(sa.Date, nullable=False, index=True)
    lead_days = sa.Column(sa.Integer, nullable=False)
    raised_on = sa.Column(sa.Date, nullable=False)
    status = enum_column(FlagStatus, "flag_status", nullable=False, default=FlagStatus.OPEN)
    chased_at = sa.Column(sa.DateTime)
    chased_by_id = sa.Column(sa.ForeignKey("users.id"))
    resolved_on = sa.Column(sa.Date)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    licence = relationship("Licence")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("licence_id", "requirement", "due_on", "lead_days", name="uq_flag_stage"),
        sa.Index("ix_compliance_flags_status", "status"),
        # The work queue: open items in due order, read a page at a time.
        sa.Index("ix_compliance_flags_open_due", "due_on", "id",
                 postgresql_where=sa.text("status IN ('open', 'chased')"),
                 sqlite_where=sa.text("status IN ('open', 'chased')")),
        sa.Index("ix_compliance_flags_open_requirement_due", "requirement", "due_on", "id",
                 postgresql_where=sa.text("status IN ('open', 'chased')"),
                 sqlite_where=sa.text("status IN ('open', 'chased')")),
    )


flag_cases = sa.Table(
    "compliance_flag_cases",
    db.metadata,
    sa.Column("flag_id", sa.ForeignKey("compliance_flags.id"), primary_key=True),
    sa.Column("case_id", sa.ForeignKey("review_cases.id"), primary_key=True, index=True),
)
"""The review case an officer opened from the work queue for a flagged item."""


class SuspensionProposal(db.Model):
    """"Suspend until complete": proposed by the scan, confirmed by an officer, ended by compliance."""

    __tablename__ = "suspension_proposals"

    id = sa.Column(sa.Integer, primary_key=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), nullable=False, index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    # Equal to licence_id while proposed or confirmed, NULL after: at most one open per licence.
    open_licence_id = sa.Column(sa.ForeignKey("licences.id"), unique=True)
    proposed_on = sa.Column(sa.Date, nullable=False)
    reasons = sa.Column(sa.JSON, nullable=False)  # [{"requirement", "label", "due_on"}]
    status = enum_column(ProposalStatus, "proposal_status", nullable=False, default=ProposalStatus.PROPOSED)
    confirmed_by_id = sa.Column(sa.ForeignKey("users.id"))
    confirmed_on = sa.Column(sa.Date)
    decision_reason = sa.Column(sa.Text)
    ended_on = sa.Column(sa.Date)
    letter_pdf = deferred(sa.Column(sa.LargeBinary))
    # The enforcement action a confirmed suspension became (none for one confirmed before they were).
    action_id = sa.Column(sa.ForeignKey("enforcement_actions.id"), index=True)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    licence = relationship("Licence", foreign_keys=[licence_id])
    holder = relationship("LicenceHolder")
    action = relationship("EnforcementAction")

    __mapper_args__ = {"version_id_col": version}

"""Hearings, the cases listed at them, and the decisions made there."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow
from licensing.models.users import Permission


class HearingStatus(LabelledEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    ADJOURNED = "adjourned"
    CANCELLED = "cancelled"


class Attendance(LabelledEnum):
    ATTENDED = "attended"
    REPRESENTED = "represented"
    DID_NOT_ATTEND = "did_not_attend"


class HearingOutcome(LabelledEnum):
    GRANT = "grant"
    REFUSE = "refuse"
    NO_ACTION = "no_action"
    WARNING = "warning"
    SUSPEND = "suspend"
    REVOKE = "revoke"
    DEFER = "defer"
    SURRENDERED = "surrendered"


hearing_panel_members = sa.Table(
    "hearing_panel_members",
    db.metadata,
    sa.Column("hearing_id", sa.ForeignKey("hearings.id"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class Hearing(db.Model):
    __tablename__ = "hearings"

    id = sa.Column(sa.Integer, primary_key=True)
    starts_at = sa.Column(sa.DateTime, nullable=False, index=True)
    venue = sa.Column(sa.String(200), nullable=False)
    deciding_body = sa.Column(sa.String(200), nullable=False)  # the body's name when the hearing was set
    deciding_body_id = sa.Column(sa.ForeignKey("deciding_bodies.id"), index=True)
    legal_adviser = sa.Column(sa.String(200))
    status_reason = sa.Column(sa.Text)
    chair_id = sa.Column(sa.ForeignKey("users.id"), index=True)
    status = enum_column(HearingStatus, "hearing_status", nullable=False, default=HearingStatus.SCHEDULED)
    imported = sa.Column(sa.Boolean, nullable=False, default=False)
    created_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    chair = relationship("User", foreign_keys=[chair_id])
    body = relationship("DecidingBody")
    panel = relationship("User", secondary=hearing_panel_members, order_by="User.name")
    listings = relationship("HearingListing", back_populates="hearing", order_by="HearingListing.position")

    __mapper_args__ = {"version_id_col": version}

    def sits_on(self, user):
        return user.id == self.chair_id or any(member.id == user.id for member in self.panel)

    def can_view(self, user):
        """Staff see every hearing; a panel member only the hearings they sit on."""
        return user.can(Permission.HEARINGS_READ_ALL) or (user.can(Permission.HEARINGS_READ) and self.sits_on(user))


class HearingListing(db.Model):
    """One case listed at one hearing, in agenda order."""

    __tablename__ = "hearing_listings"

    id = sa.Column(sa.Integer, primary_key=True)
    hearing_id = sa.Column(sa.ForeignKey("hearings.id"), nullable=False, index=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), nullable=False, index=True)
    position = sa.Column(sa.Integer, nullable=False)
    notice_override_reason = sa.Column(sa.Text)
    # The Local Government Act 1972 Sch 12A paragraph the public is expected to be excluded under
    # (given in the notice of hearing); None when the case will be heard in public.
    private_paragraph = sa.Column(sa.Integer)
    attendance = enum_column(Attendance, "hearing_attendance")
    proposed_outcome = enum_column(HearingOutcome, "hearing_proposed_outcome")
    proposed_by_id = sa.Column(sa.ForeignKey("users.id"))
    removed = sa.Column(sa.Boolean, nullable=False, default=False)
    listed_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    listed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    hearing = relationship("Hearing", back_populates="listings")
    case = relationship("ReviewCase")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    listed_by = relationship("User", foreign_keys=[listed_by_id])
    decisions = relationship("HearingDecision", back_populates="listing", order_by="HearingDecision.id")

    __mapper_args__ = {"version_id_col": version}

    def can_view(self, user):
        """Staff see every listing; a panel member one still on the agenda of a live hearing they sit on."""
        if user.can(Permission.HEARINGS_READ_ALL):
            return True
        return (user.can(Permission.HEARINGS_READ) and not self.removed
                and self.hearing.status != HearingStatus.CANCELLED and self.hearing.sits_on(user))

    def can_read_letters(self, user):
        """Staff, and the decision maker of the hearing (its chair); not the other panel members."""
        return user.can(Permission.HEARINGS_READ_ALL) or user.id == self.hearing.chair_id

    def can_record_decision(self, user):
        """Officers record a decision on the decision maker's behalf; the decision maker (the
        hearing's chair) may record it themselves. Other panel members cannot."""
        return user.can(Permission.HEARINGS_WRITE) or user.id == self.hearing.chair_id


class HearingDecision(db.Model):
    """A decision as issued. Never edited: a correction is a new row that supersedes it."""

    __tablename__ = "hearing_decisions"

    id = sa.Column(sa.Integer, primary_key=True)
    listing_id = sa.Column(sa.ForeignKey("hearing_listings.id"), nullable=False, index=True)
    outcome = enum_column(HearingOutcome, "hearing_outcome", nullable=False)
    reasons = sa.Column(sa.Text, nullable=False)
    agrees_with_proposal = sa.Column(sa.Boolean)
    immediate = sa.Column(sa.Boolean, nullable=False, default=False)
    public_safety_reason = sa.Column(sa.Text)
    suspension_to = sa.Column(sa.Date)
    deferred_to = sa.Column(sa.Date)
    safeguarding_or_road_safety = sa.Column(sa.Boolean, nullable=False, default=False)
    decision_date = sa.Column(sa.Date, nullable=False)
    notice_date = sa.Column(sa.Date)
    effective_date = sa.Column(sa.Date)
    decided_by_id = sa.Column(sa.ForeignKey("users.id"))
    decision_mode = sa.Column(sa.String(20))
    legal_adviser = sa.Column(sa.String(200))
    exclusion_paragraph = sa.Column(sa.Integer)  # Sch 12A paragraph of the resolution excluding the public
    authority_id = sa.Column(sa.ForeignKey("decision_authorities.id"))
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    action_id = sa.Column(sa.ForeignKey("enforcement_actions.id"), index=True)
    letter_id = sa.Column(sa.ForeignKey("issued_letters.id"), index=True)
    supersedes_id = sa.Column(sa.ForeignKey("hearing_decisions.id"), unique=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    listing = relationship("HearingListing", back_populates="decisions")
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    action = relationship("EnforcementAction")
    letter = relationship("IssuedLetter")
    supersedes = relationship("HearingDecision", remote_side=[id])
    authority = relationship("DecisionAuthority")
    members = relationship("DecisionMember", order_by="DecisionMember.user_id")

    __table_args__ = (
        sa.CheckConstraint("NOT immediate OR public_safety_reason IS NOT NULL",
                           name="hearing_immediate_has_reason"),
    )

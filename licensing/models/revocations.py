"""Enforcement actions (refusal, suspension, revocation, warning), appeals to the courts, national
register (NR3S) duties and cross-border referrals."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class AppealCourt(LabelledEnum):
    MAGISTRATES = "magistrates"
    CROWN_COURT = "crown_court"

    @property
    def label(self):
        return {"magistrates": "Magistrates' court", "crown_court": "Crown Court"}[self.value]


class AppealOutcome(LabelledEnum):
    DISMISSED = "dismissed"
    ALLOWED = "allowed"
    VARIED = "varied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"


class CostsDirection(LabelledEnum):
    NONE = "none"
    FOR_COUNCIL = "for_council"
    AGAINST_COUNCIL = "against_council"

    @property
    def label(self):
        return {"none": "No order for costs", "for_council": "Awarded to the council",
                "against_council": "Awarded against the council"}[self.value]


class VariedKind(LabelledEnum):
    SUSPENSION = "suspension"
    REVOCATION = "revocation"
    WARNING = "warning"


class Appeal(db.Model):
    """An appeal to the magistrates' court (or, on further appeal, the Crown Court) against a
    decision: usually an enforcement action, or a licence condition such as a camera rule."""

    __tablename__ = "appeals"

    id = sa.Column(sa.Integer, primary_key=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), nullable=False, index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    action_id = sa.Column(sa.ForeignKey("enforcement_actions.id"), index=True)
    parent_id = sa.Column(sa.ForeignKey("appeals.id"), index=True)  # the appeal this further appeal follows
    court = enum_column(AppealCourt, "appeal_court", nullable=False)
    subject = sa.Column(sa.String(300), nullable=False)
    grounds = sa.Column(sa.Text)
    notice_on = sa.Column(sa.Date, nullable=False)  # notice of the decision appealed against
    lodged_on = sa.Column(sa.Date, nullable=False, index=True)
    court_reference = sa.Column(sa.String(64))
    outcome = enum_column(AppealOutcome, "appeal_outcome")
    decided_on = sa.Column(sa.Date, index=True)
    outcome_notes = sa.Column(sa.Text)
    varied_kind = enum_column(VariedKind, "appeal_varied_kind")
    varied_suspension_to = sa.Column(sa.Date)
    costs_direction = enum_column(CostsDirection, "appeal_costs_direction", nullable=False,
                                  default=CostsDirection.NONE)
    costs_pence = sa.Column(sa.Integer, nullable=False, default=0)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    licence = relationship("Licence")
    holder = relationship("LicenceHolder")
    action = relationship("EnforcementAction", back_populates="appeals")
    parent = relationship("Appeal", remote_side=[id])
    hearings = relationship("AppealHearing", back_populates="appeal", order_by="AppealHearing.hearing_on")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("costs_pence >= 0", name="costs_not_negative"),
        sa.CheckConstraint("decided_on IS NULL OR decided_on >= lodged_on", name="decided_after_lodged"),
        sa.CheckConstraint("(outcome IS NULL) = (decided_on IS NULL)", name="outcome_has_date"),
    )

    def can_be_appealed_further(self):
        """A further appeal goes to the Crown Court from a magistrates' court decision on a first
        appeal that dismissed or varied it. A first appeal heard by the Crown Court (a refused new
        hackney carriage vehicle licence) has no further appeal in this register."""
        return (self.parent_id is None and self.court == AppealCourt.MAGISTRATES
                and self.outcome in (AppealOutcome.DISMISSED, AppealOutcome.VARIED))


class AppealHearing(db.Model):
    __tablename__ = "appeal_hearings"

    id = sa.Column(sa.Integer, primary_key=True)
    appeal_id = sa.Column(sa.ForeignKey("appeals.id"), nullable=False, index=True)
    hearing_on = sa.Column(sa.Date, nullable=False)
    purpose = sa.Column(sa.String(200), nullable=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    appeal = relationship("Appeal", back_populates="hearings")

    @property
    def holder_id(self):  # so audit rows land on the holder's timeline
        return self.appeal.holder_id


class Nr3sEntry(db.Model):
    """The duty to record a refusal, suspension or revocation made on safeguarding or road-safety
    grounds on the national register (s.2 of the 2022 Act), and to keep it up to date."""

    __tablename__ = "nr3s_entries"

    id = sa.Column(sa.Integer, primary_key=True)
    action_id = sa.Column(sa.ForeignKey("enforcement_actions.id"), nullable=False, unique=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), nullable=False, index=True)
    due_on = sa.Column(sa.Date, nullable=False, index=True)
    entered_on = sa.Column(sa.Date)
    entered_by_id = sa.Column(sa.ForeignKey("users.id"))
    nr3s_reference = sa.Column(sa.String(64))
    retain_until = sa.Column(sa.Date)
    needs_update = sa.Column(sa.Boolean, nullable=False, default=False)
    update_reason = sa.Column(sa.String(300))
    updated_on = sa.Column(sa.Date)
    updated_by_id = sa.Column(sa.ForeignKey("users.id"))
    update_note = sa.Column(sa.Text)
    overdue_flagged_on = sa.Column(sa.Date)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    action = relationship("EnforcementAction")
    holder = relationship("LicenceHolder")
    licence = relationship("Licence")
    entered_by = relationship("User", foreign_keys=[entered_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}

    def overdue_on(self, day):
        return self.entered_on is None and day > self.due_on


class Nr3sRequest(db.Model):
    """After an NR3S search finds a match: the request to the recording authority and its reply."""

    __tablename__ = "nr3s_requests"

    id = sa.Column(sa.Integer, primary_key=True)
    check_id = sa.Column(sa.ForeignKey("compliance_checks.id"), nullable=False, unique=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    recording_authority = sa.Column(sa.String(200), nullable=False)
    requested_on = sa.Column(sa.Date, nullable=False)
    requested_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    reply_on = sa.Column(sa.Date)
    reply_summary = sa.Column(sa.Text)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    check = relationship("ComplianceCheck")
    requested_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}


class CrossBorderReferral(db.Model):
    """Information about a driver licensed by another authority who drove in our area, to be
    sent to that authority within 10 working days (s.5 of the 2022 Act), and their reply."""

    __tablename__ = "cross_border_referrals"

    id = sa.Column(sa.Integer, primary_key=True)
    received_on = sa.Column(sa.Date, nullable=False, index=True)
    other_authority = sa.Column(sa.String(200), nullable=False)
    driver_name = sa.Column(sa.String(200), nullable=False)
    other_licence_number = sa.Column(sa.String(64))
    vehicle_registration = sa.Column(sa.String(16))
    information = sa.Column(sa.Text, nullable=False)
    due_on = sa.Column(sa.Date, nullable=False, index=True)
    sent_on = sa.Column(sa.Date)
    what_sent = sa.Column(sa.Text)
    sent_by_id = sa.Column(sa.ForeignKey("users.id"))
    reply_on = sa.Column(sa.Date)
    reply_summary = sa.Column(sa.Text)
    overdue_flagged_on = sa.Column(sa.Date)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    sent_by = relationship("User", foreign_keys=[sent_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("sent_on IS NULL OR sent_on >= received_on", name="sent_after_received"),
    )

    def overdue_on(self, day):
        """Not sent by the end of the deadline day."""
        return self.sent_on is None and day > self.due_on

    @property
    def sent_late(self):
        return self.sent_on is not None and self.sent_on > self.due_on


class ActionKind(LabelledEnum):
    REFUSAL = "refusal"
    SUSPENSION = "suspension"
    REVOCATION = "revocation"
    WARNING = "warning"


DEFAULT_DECISION = {ActionKind.REFUSAL: "refuse_new", ActionKind.SUSPENSION: "suspension",
                    ActionKind.REVOCATION: "revocation", ActionKind.WARNING: "warning"}


class ActionOrigin(LabelledEnum):
    OFFICER = "officer"
    HEARING = "hearing"


class ActionStatus(LabelledEnum):
    PENDING = "pending"
    EFFECTIVE = "effective"
    CANCELLED = "cancelled"


class EnforcementAction(db.Model):
    """A decision against a licence, by an officer under delegated powers or by a panel."""

    __tablename__ = "enforcement_actions"

    id = sa.Column(sa.Integer, primary_key=True)
    kind = enum_column(ActionKind, "action_kind", nullable=False)
    origin = enum_column(ActionOrigin, "action_origin", nullable=False)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), nullable=False, index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    decision_date = sa.Column(sa.Date, nullable=False)
    notice_date = sa.Column(sa.Date)
    effective_date = sa.Column(sa.Date)
    immediate = sa.Column(sa.Boolean, nullable=False, default=False)
    public_safety_reason = sa.Column(sa.Text)
    interim_pending_hearing = sa.Column(sa.Boolean, nullable=False, default=False)
    police_information = sa.Column(sa.Boolean, nullable=False, default=False)
    suspension_from = sa.Column(sa.Date)
    suspension_to = sa.Column(sa.Date)
    grounds = sa.Column(sa.Text, nullable=False)
    authorised_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    status = enum_column(ActionStatus, "action_status", nullable=False, default=ActionStatus.PENDING)
    # Decided wholly or partly on safeguarding or road-safety information: an NR3S entry is due.
    safeguarding_or_road_safety = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    cancelled_on = sa.Column(sa.Date)
    ended_on = sa.Column(sa.Date)  # a suspension that has run its course (the licence restored)
    # Return of the driver's badge or the vehicle's plate after suspension or revocation.
    return_due_on = sa.Column(sa.Date, index=True)
    returned_on = sa.Column(sa.Date)
    return_overdue_flagged_on = sa.Column(sa.Date)
    # The statutory decision (a key of licensing.policy.statutory.DECISIONS); None on rows from
    # before it was recorded, read as the kind's usual decision (`statutory_decision`).
    decision = sa.Column(sa.String(40))
    application_id = sa.Column(sa.ForeignKey("licence_applications.id"), index=True)
    # Service of the notice: the method, the deemed service date it gives (appeal time runs from
    # it; an immediate decision takes effect on it) and when an officer recorded the service.
    service_method = sa.Column(sa.String(20))
    served_on = sa.Column(sa.Date)
    service_recorded_on = sa.Column(sa.Date)
    service_recorded_by_id = sa.Column(sa.ForeignKey("users.id"))
    # An open-ended suspension ends on an event instead of a date: "compliance" (the requirements
    # it was for are complete) or "remedy" (s.68: the vehicle defect is put right).
    end_event = sa.Column(sa.String(20))
    remedy_by = sa.Column(sa.Date)  # s.68: deemed revoked after this day unless remedied
    remedied_on = sa.Column(sa.Date)
    taken_on = sa.Column(sa.Date)  # the day the decision was recorded, when it was recorded after it was taken
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    licence = relationship("Licence")
    holder = relationship("LicenceHolder")
    case = relationship("ReviewCase")
    authorised_by = relationship("User", foreign_keys=[authorised_by_id])
    service_recorded_by = relationship("User", foreign_keys=[service_recorded_by_id])
    application = relationship("LicenceApplication")
    letters = relationship("IssuedLetter", back_populates="action", order_by="IssuedLetter.id")
    appeals = relationship("Appeal", back_populates="action", order_by="Appeal.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "NOT immediate OR public_safety_reason IS NOT NULL", name="immediate_has_reason"
        ),
        sa.CheckConstraint(
            "suspension_to IS NULL OR suspension_from IS NULL OR suspension_to >= suspension_from",
            name="suspension_period_order",
        ),
        # The work queue of notices whose service an officer has still to record.
        sa.Index("ix_enforcement_actions_unserved", "id", postgresql_where=sa.text("service_recorded_on IS NULL"),
                 sqlite_where=sa.text("service_recorded_on IS NULL")),
    )

    @property
    def statutory_decision(self):
        """The row of the statutory rule table this action follows (older rows: by their kind)."""
        return self.decision or DEFAULT_DECISION[self.kind]

    @property
    def is_served(self):
        """An officer has recorded that the notice was given (rows from before service was
        recorded count as served on their notice date)."""
        return self.service_recorded_on is not None

    def can_be_appealed(self):
        """An appeal to the magistrates' court may be lodged: the action stands, is not a warning
        (which carries no right of appeal), and no appeal against it is waiting for the court."""
        return (self.status != ActionStatus.CANCELLED and self.kind != ActionKind.WARNING
                and not any(appeal.outcome is None for appeal in self.appeals))

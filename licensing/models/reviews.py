"""Review cases, their notes and evidence, conviction guidance editions and assessments."""

import sqlalchemy as sa
from sqlalchemy.orm import deferred, relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow
from licensing.models.hearings import HearingListing
from licensing.models.users import Permission


class CaseOrigin(LabelledEnum):
    APPLICATION = "application"
    POLICE_INFORMATION = "police_information"
    NCA_OR_PANEL = "nca_or_panel"
    COMPLAINT = "complaint"
    ENFORCEMENT_CHECK = "enforcement_check"
    MYSTERY_SHOP = "mystery_shop"
    SELF_DISCLOSURE = "self_disclosure"
    OTHER_AUTHORITY = "other_authority"
    POLICY_REVIEW = "policy_review"
    AUDIT = "audit"
    COMPLIANCE = "compliance"

    @property
    def label(self):
        return {
            "application": "Application or renewal",
            "police_information": "Police information",
            "nca_or_panel": "NCA or multi-agency panel",
            "complaint": "Complaint",
            "enforcement_check": "Enforcement check",
            "mystery_shop": "Mystery shop",
            "self_disclosure": "Self-disclosure",
            "other_authority": "Other licensing authority or NR3S match",
            "policy_review": "Policy review",
            "audit": "Audit",
            "compliance": "Compliance work queue",
        }[self.value]


class CaseState(LabelledEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    AWAITING_DECISION = "awaiting_decision"
    LISTED_FOR_HEARING = "listed_for_hearing"
    DECIDED = "decided"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


FINISHED_STATES = frozenset({CaseState.CLOSED, CaseState.WITHDRAWN})
UNFINISHED_SQL = "state NOT IN ('closed', 'withdrawn')"
UNASSIGNED_SQL = f"assigned_officer_id IS NULL AND {UNFINISHED_SQL}"


class CasePriority(LabelledEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class CaseOutcome(LabelledEnum):
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    WARNED = "warned"
    NO_FURTHER_ACTION = "no_further_action"


case_licences = sa.Table(
    "review_case_licences",
    db.metadata,
    sa.Column("case_id", sa.ForeignKey("review_cases.id"), primary_key=True),
    sa.Column("licence_id", sa.ForeignKey("licences.id"), primary_key=True, index=True),
)


class ReviewCase(db.Model):
    __tablename__ = "review_cases"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(20), unique=True)
    origin = enum_column(CaseOrigin, "case_origin", nullable=False)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    summary = sa.Column(sa.String(500), nullable=False)
    assigned_officer_id = sa.Column(sa.ForeignKey("users.id"), index=True)
    priority = enum_column(CasePriority, "case_priority", nullable=False, default=CasePriority.NORMAL)
    due_on = sa.Column(sa.Date, index=True)
    state = enum_column(CaseState, "case_state", nullable=False, default=CaseState.OPEN)
    outcome = enum_column(CaseOutcome, "case_outcome")
    campaign_id = sa.Column(sa.ForeignKey("policy_review_campaigns.id"), index=True)
    opened_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    opened_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    decided_at = sa.Column(sa.DateTime)
    closed_at = sa.Column(sa.DateTime)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    licences = relationship("Licence", secondary=case_licences, order_by="Licence.id")
    assigned_officer = relationship("User", foreign_keys=[assigned_officer_id])
    opened_by = relationship("User", foreign_keys=[opened_by_id])
    campaign = relationship("PolicyReviewCampaign")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "outcome IS NULL OR state IN ('decided', 'closed')", name="outcome_only_when_decided"
        ),
        sa.Index("ix_review_cases_state_due", "state", "due_on"),
        # The work queue reads unfinished cases only, in due order: overdue, unassigned and mine.
        sa.Index("ix_review_cases_unfinished_due", "due_on", "id",
                 postgresql_where=sa.text(UNFINISHED_SQL), sqlite_where=sa.text(UNFINISHED_SQL)),
        sa.Index("ix_review_cases_unfinished_officer_due", "assigned_officer_id", "due_on", "id",
                 postgresql_where=sa.text(UNFINISHED_SQL), sqlite_where=sa.text(UNFINISHED_SQL)),
        # IS NULL does not give an index order on assigned_officer_id, so unassigned has its own.
        sa.Index("ix_review_cases_unassigned_due", "due_on", "id",
                 postgresql_where=sa.text(UNASSIGNED_SQL), sqlite_where=sa.text(UNASSIGNED_SQL)),
    )

    def can_view(self, user):
        """Officers and managers see every case; a panel member sees a case only while it is
        listed on a live hearing they sit on."""
        if user is None or not user.is_authenticated:
            return False
        if user.can(Permission.REVIEWS_READ):
            return True
        listings = db.session.scalars(sa.select(HearingListing).filter_by(case_id=self.id))
        return any(listing.can_view(user) for listing in listings)

    @property
    def is_finished(self):
        return self.state in FINISHED_STATES


class CaseNote(db.Model):
    __tablename__ = "review_case_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), nullable=False, index=True)
    author_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    author = relationship("User")


class CaseDocument(db.Model):
    __tablename__ = "review_case_documents"

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), nullable=False, index=True)
    title = sa.Column(sa.String(200), nullable=False)
    original_name = sa.Column(sa.String(255), nullable=False)
    content_type = sa.Column(sa.String(64), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    content = deferred(sa.Column(sa.LargeBinary, nullable=False))
    disclose_to_panel = sa.Column(sa.Boolean, nullable=False, default=False)
    disclosed_to_holder_on = sa.Column(sa.Date)
    uploaded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    uploaded_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    uploaded_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    @property
    def disclosed_to_holder(self):
        return self.disclosed_to_holder_on is not None


class ConvictionGuidanceEdition(db.Model):
    """One edition of the conviction guidance table, loaded from a data file."""

    __tablename__ = "conviction_guidance_editions"

    id = sa.Column(sa.Integer, primary_key=True)
    edition = sa.Column(sa.String(40), nullable=False, unique=True)
    title = sa.Column(sa.String(200), nullable=False)
    effective_from = sa.Column(sa.Date, nullable=False, index=True)
    rules = sa.Column(sa.JSON, nullable=False)
    source_sha256 = sa.Column(sa.String(64), nullable=False)
    loaded_by_id = sa.Column(sa.ForeignKey("users.id"))
    loaded_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class PolicyReviewCampaign(db.Model):
    __tablename__ = "policy_review_campaigns"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(200), nullable=False)
    as_at = sa.Column(sa.Date, nullable=False)
    edition_id = sa.Column(sa.ForeignKey("conviction_guidance_editions.id"), nullable=False)
    holders_checked = sa.Column(sa.Integer, nullable=False, default=0)
    created_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    edition = relationship("ConvictionGuidanceEdition")
    created_by = relationship("User")


class ConvictionAssessment(db.Model):
    """The engine's answer for one holder on one date, kept with the edition it used."""

    __tablename__ = "conviction_assessments"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    edition_id = sa.Column(sa.ForeignKey("conviction_guidance_editions.id"), nullable=False)
    as_at = sa.Column(sa.Date, nullable=False)
    at_risk = sa.Column(sa.Boolean, nullable=False)
    severity = sa.Column(sa.Integer, nullable=False)
    reason = sa.Column(sa.Text, nullable=False)
    findings = sa.Column(sa.JSON, nullable=False)
    explanation = sa.Column(sa.JSON)  # the engine's reasoning, line by line (none before 0026)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    campaign_id = sa.Column(sa.ForeignKey("policy_review_campaigns.id"), index=True)
    assessed_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    holder = relationship("LicenceHolder")
    edition = relationship("ConvictionGuidanceEdition")
    case = relationship("ReviewCase")

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "holder_id", name="uq_assessment_campaign_holder"),
    )

"""Licence applications (new and renewal) and their decisions."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class ApplicationKind(LabelledEnum):
    NEW = "new"
    RENEWAL = "renewal"


class ApplicationOutcome(LabelledEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    DEFERRED = "deferred"


class DecisionCapacity(LabelledEnum):
    DELEGATED_OFFICER = "delegated_officer"
    HEARING = "hearing"

    @property
    def label(self):
        return {"delegated_officer": "Officer under delegated powers", "hearing": "Hearing"}[self.value]


class ApplicationOrigin(LabelledEnum):
    OFFICE = "office"  # recorded by an officer
    PORTAL = "portal"  # sent by the council's portal through the API
    ONLINE = "online"  # made by the applicant in their own online account (licensing/portal)

    @property
    def label(self):
        return {"office": "Recorded by an officer", "portal": "Council portal", "online": "Applied online"}[self.value]


class LicenceApplication(db.Model):
    """One application for a licence or its renewal, and the decision on it."""

    __tablename__ = "licence_applications"

    id = sa.Column(sa.Integer, primary_key=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), nullable=False, index=True)
    kind = enum_column(ApplicationKind, "application_kind", nullable=False)
    received_on = sa.Column(sa.Date, nullable=False, index=True)
    outcome = enum_column(
        ApplicationOutcome, "application_outcome", nullable=False, default=ApplicationOutcome.PENDING
    )
    decided_by_id = sa.Column(sa.ForeignKey("users.id"), index=True)
    capacity = enum_column(DecisionCapacity, "decision_capacity")
    decided_on = sa.Column(sa.Date, index=True)
    reasons = sa.Column(sa.Text)
    received_by_id = sa.Column(sa.ForeignKey("users.id"))
    origin = enum_column(ApplicationOrigin, "application_origin", nullable=False, default=ApplicationOrigin.OFFICE,
                         server_default=ApplicationOrigin.OFFICE.value)
    api_client_id = sa.Column(sa.ForeignKey("api_clients.id"))  # the portal that sent it
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    licence = relationship("Licence", backref="applications")
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "outcome = 'pending' OR (decided_by_id IS NOT NULL AND capacity IS NOT NULL "
            "AND decided_on IS NOT NULL)",
            name="decision_recorded",
        ),
        sa.CheckConstraint("decided_on IS NULL OR decided_on >= received_on", name="decided_after_received"),
    )


class RecordedApplicationDecision(db.Model):
    """Every decision taken on an application, kept: a deferral stays a deferral in its period when
    the application is later granted or refused, so figures for a closed period never change."""

    __tablename__ = "application_decisions"

    id = sa.Column(sa.Integer, primary_key=True)
    application_id = sa.Column(sa.ForeignKey("licence_applications.id"), nullable=False, index=True)
    outcome = sa.Column(sa.String(20), nullable=False)  # granted, refused or deferred
    capacity = sa.Column(sa.String(30), nullable=False)
    decided_on = sa.Column(sa.Date, nullable=False, index=True)
    decided_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"))
    reasons = sa.Column(sa.Text)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    application = relationship("LicenceApplication", backref="decisions")

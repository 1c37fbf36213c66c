"""System clients of the HTTP API, their scoped tokens, and the webhooks queued for them."""

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class ApiScope(StrEnum):
    """What a system client's token may do. Each scope names the data it releases."""

    VALIDITY_READ = "validity:read"  # valid or not, type and expiry of a licence, badge or plate
    REGISTER_READ = "register:read"  # the register for the council's CRM: holder reference and name too
    APPLICATIONS_WRITE = "applications:write"  # a council portal sends applications

    @property
    def label(self):
        return {
            "validity:read": "Licence validity: valid or not, type and expiry (no personal data)",
            "register:read": "Register reads for the council's CRM: holder reference, name and licences",
            "applications:write": "Send licence applications from the council's portal",
        }[self.value]


class WebhookStatus(LabelledEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class ApiClient(db.Model):
    """A system (a council portal, a CRM, a rank marshal's app) with one token. Only the token's
    SHA-256 is stored; the token itself is shown once, when the client is created."""

    __tablename__ = "api_clients"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(120), nullable=False)
    scopes = sa.Column(sa.String(200), nullable=False)  # space-separated ApiScope values
    token_prefix = sa.Column(sa.String(16), nullable=False)  # shown to tell tokens apart
    token_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    webhook_url = sa.Column(sa.String(500))
    webhook_secret = sa.Column(sa.String(64))  # the HMAC key the receiver checks signatures with
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    created_by_id = sa.Column(sa.ForeignKey("users.id"))
    last_used_at = sa.Column(sa.DateTime)
    revoked_at = sa.Column(sa.DateTime)
    revoked_by_id = sa.Column(sa.ForeignKey("users.id"))
    revoked_reason = sa.Column(sa.String(500))

    @property
    def scope_set(self):
        return frozenset(ApiScope(s) for s in self.scopes.split())

    @property
    def is_active(self):
        return self.revoked_at is None

    def has_scope(self, scope):
        return self.is_active and ApiScope(scope) in self.scope_set


class WebhookDelivery(db.Model):
    """One signed event for one client, sent by the `deliver_webhooks` job with retries."""

    __tablename__ = "webhook_deliveries"

    id = sa.Column(sa.Integer, primary_key=True)
    client_id = sa.Column(sa.ForeignKey("api_clients.id"), nullable=False, index=True)
    event = sa.Column(sa.String(60), nullable=False)
    payload = sa.Column(sa.Text, nullable=False)  # the JSON body, exactly as signed and sent
    status = enum_column(WebhookStatus, "webhook_status", nullable=False, default=WebhookStatus.PENDING)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    next_attempt_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_status_code = sa.Column(sa.Integer)
    last_error = sa.Column(sa.String(200))
    delivered_at = sa.Column(sa.DateTime)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    client = relationship("ApiClient")

    __table_args__ = (sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

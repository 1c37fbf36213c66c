"""Staff accounts."""

import secrets
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class Role(LabelledEnum):
    OFFICER = "officer"
    PANEL = "panel"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self):
        return {
            "officer": "Licensing officer",
            "panel": "Panel member",
            "manager": "Manager",
            "admin": "Administrator",
        }[self.value]


class Permission(StrEnum):
    """What a signed-in user may do, named `<resource>:<action>`. Routes, templates and record
    rules name these, never a role, so a typo is an AttributeError rather than a silent refusal."""

    HOLDERS_READ = "holders:read"
    REGISTER_WRITE = "register:write"
    REGISTER_EXPORT = "register:export"
    EVIDENCE_READ = "evidence:read"
    INTELLIGENCE_READ = "intelligence:read"
    INTELLIGENCE_WRITE = "intelligence:write"
    # Criminal-offence data (UK GDPR Art. 10): convictions and cautions, for those who decide on them.
    CONVICTIONS_READ = "convictions:read"
    # A senior officer's reasoned decision to go ahead after an NR3S match without the reply.
    NR3S_OVERRIDE = "nr3s:override"
    # A disclosure officer's review, redaction and release of a subject access request.
    SUBJECT_ACCESS_REVIEW = "subject_access:review"
    TRAINING_READ = "training:read"
    TRAINING_WRITE = "training:write"
    COMPLIANCE_READ = "compliance:read"
    COMPLIANCE_WRITE = "compliance:write"
    REVIEWS_READ = "reviews:read"
    REVIEWS_WRITE = "reviews:write"
    HEARINGS_READ = "hearings:read"
    HEARINGS_READ_ALL = "hearings:read_all"
    HEARINGS_WRITE = "hearings:write"
    HEARINGS_PROPOSE = "hearings:propose"
    HEARINGS_DECIDE = "hearings:decide"
    REVOCATIONS_READ = "revocations:read"
    REVOCATIONS_WRITE = "revocations:write"
    REPORTS_READ = "reports:read"
    POLICY_WRITE = "policy:write"
    JOBS_READ = "jobs:read"
    AUDIT_READ = "audit:read"
    USERS_ADMIN = "users:admin"
    # Send failed outbox messages again (after the cause, e.g. a relay's outage, is fixed).
    OUTBOX_MANAGE = "outbox:manage"
    # The API's system clients: create them, see their tokens once, revoke them.
    API_CLIENTS_ADMIN = "api_clients:admin"


P = Permission
# Who may do what. Panel members hold hearings:read but not hearings:read_all: they reach only the
# hearings they sit on, which the records' own can_* rules check.
ROLE_PERMISSIONS = {
    Role.OFFICER: frozenset({
        P.HOLDERS_READ, P.REGISTER_WRITE, P.REGISTER_EXPORT, P.EVIDENCE_READ, P.TRAINING_READ, P.TRAINING_WRITE,
        P.COMPLIANCE_READ, P.COMPLIANCE_WRITE, P.REVIEWS_READ, P.REVIEWS_WRITE, P.HEARINGS_READ,
        P.HEARINGS_READ_ALL, P.HEARINGS_WRITE, P.HEARINGS_DECIDE, P.REVOCATIONS_READ, P.REVOCATIONS_WRITE,
        P.REPORTS_READ, P.CONVICTIONS_READ,
    }),
    Role.MANAGER: frozenset({
        P.HOLDERS_READ, P.REGISTER_EXPORT, P.TRAINING_READ, P.COMPLIANCE_READ, P.REVIEWS_READ, P.HEARINGS_READ,
        P.HEARINGS_READ_ALL, P.REVOCATIONS_READ, P.REPORTS_READ, P.CONVICTIONS_READ, P.NR3S_OVERRIDE,
    }),
    Role.PANEL: frozenset({P.HEARINGS_READ, P.HEARINGS_PROPOSE, P.HEARINGS_DECIDE}),
    Role.ADMIN: frozenset({
        P.HOLDERS_READ, P.TRAINING_READ, P.TRAINING_WRITE, P.POLICY_WRITE, P.JOBS_READ, P.AUDIT_READ, P.USERS_ADMIN,
        P.OUTBOX_MANAGE,
        P.API_CLIENTS_ADMIN,
    }),
}
# Administrators hold neither convictions nor intelligence: least privilege for criminal-offence
# data (UK GDPR Art. 10, DPA 2018 Sch. 1 Part 4).
# Restricted intelligence (and non-conviction information, the sharing log and subject access
# review, which carry it): licensing officers who also hold clearance.
CLEARANCE_PERMISSIONS = {Role.OFFICER: frozenset({P.INTELLIGENCE_READ, P.INTELLIGENCE_WRITE,
                                                  P.SUBJECT_ACCESS_REVIEW})}
del P


def permissions_for(role, cleared=False):
    """The permissions a role holds, with those its clearance adds."""
    granted = ROLE_PERMISSIONS.get(role, frozenset())
    return granted | CLEARANCE_PERMISSIONS.get(role, frozenset()) if cleared else granted


def new_session_token():
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(254), nullable=False, unique=True)
    name = sa.Column(sa.String(200), nullable=False)
    post = sa.Column(sa.String(120))  # the job title printed under the name on notices they sign
    role = enum_column(Role, "user_role", nullable=False)
    has_clearance = sa.Column(sa.Boolean, nullable=False, default=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    # Set on an administrator's one-time password: the account changes it before anything else.
    password_must_change = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    is_enabled = sa.Column(sa.Boolean, nullable=False, default=True)
    # Rotated on logout, password change and disablement, so old cookies stop working.
    session_token = sa.Column(sa.String(64), nullable=False, unique=True, default=new_session_token)
    failed_logins = sa.Column(sa.Integer, nullable=False, default=0)
    first_failed_at = sa.Column(sa.DateTime)
    locked_until = sa.Column(sa.DateTime)
    last_login_at = sa.Column(sa.DateTime)
    # Second factor: a TOTP secret, confirmed at enrolment; each time step is accepted once.
    totp_secret = sa.Column(sa.String(64))
    totp_confirmed_at = sa.Column(sa.DateTime)
    totp_last_step = sa.Column(sa.BigInteger, nullable=False, default=0)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def name_and_post(self):
        """How they sign a notice: "Olivia Officer, Senior Licensing Officer" (the name alone without a post)."""
        return ", ".join(part for part in (self.name, self.post) if part)

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return bool(self.is_enabled)

    @property
    def has_second_factor(self):
        return self.totp_confirmed_at is not None

    @property
    def permissions(self):
        return permissions_for(self.role, bool(self.has_clearance))

    def can(self, permission):
        return Permission(permission) in self.permissions

    @property
    def can_read_intelligence(self):
        return self.can(Permission.INTELLIGENCE_READ)

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app. Stored hashed."""

    __tablename__ = "recovery_codes"

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.ForeignKey("users.id"), nullable=False, index=True)
    code_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    used_at = sa.Column(sa.DateTime)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

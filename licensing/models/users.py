"""Staff accounts."""

import secrets

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


def new_session_token():
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(254), nullable=False, unique=True)
    name = sa.Column(sa.String(200), nullable=False)
    role = enum_column(Role, "user_role", nullable=False)
    has_clearance = sa.Column(sa.Boolean, nullable=False, default=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
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

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return bool(self.is_enabled)

    @property
    def has_second_factor(self):
        return self.totp_confirmed_at is not None

    @property
    def can_read_intelligence(self):
        return self.role == Role.OFFICER and self.has_clearance

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

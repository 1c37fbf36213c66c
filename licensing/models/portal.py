"""Accounts of licence holders and applicants for their own online service, kept apart from staff
accounts: a holder account never holds a role or a permission, and staff routes never load one."""

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


def new_portal_session_token():
    return secrets.token_urlsafe(32)


class PortalAccount(db.Model):
    __tablename__ = "portal_accounts"

    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(254), nullable=False, unique=True)
    name = sa.Column(sa.String(200), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    verified_at = sa.Column(sa.DateTime)  # the e-mail address was proved by its link
    # The register's record this account acts for, once an officer's code has linked them.
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), unique=True)
    linked_at = sa.Column(sa.DateTime)
    # Rotated at sign-out and password change, which ends every session of the account.
    session_token = sa.Column(sa.String(64), nullable=False, unique=True, default=new_portal_session_token)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_login_at = sa.Column(sa.DateTime)

    holder = relationship("LicenceHolder")


class CodePurpose(LabelledEnum):
    VERIFY_EMAIL = "verify_email"
    SIGN_IN = "sign_in"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a password

    @property
    def label(self):
        return {
            "verify_email": "Confirm your email address",
            "sign_in": "Security code to sign in",
            "reset_password": "Reset your password",
        }[self.value]


class PortalCode(db.Model):
    """A one-time secret sent to an account's e-mail address; only its SHA-256 is kept."""

    __tablename__ = "portal_codes"

    id = sa.Column(sa.Integer, primary_key=True)
    account_id = sa.Column(sa.ForeignKey("portal_accounts.id"), nullable=False, index=True)
    purpose = enum_column(CodePurpose, "portal_code_purpose", nullable=False)
    code_hash = sa.Column(sa.String(64), nullable=False, index=True)
    expires_at = sa.Column(sa.DateTime, nullable=False)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    used_at = sa.Column(sa.DateTime)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    account = relationship("PortalAccount")


class HolderLinkCode(db.Model):
    """A one-time code an officer issues (on a letter or in person) so that the holder's online
    account is joined to their record in the register."""

    __tablename__ = "holder_link_codes"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    code_hash = sa.Column(sa.String(64), nullable=False, unique=True)
    issued_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    issued_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    expires_at = sa.Column(sa.DateTime, nullable=False)
    used_at = sa.Column(sa.DateTime)
    used_by_account_id = sa.Column(sa.ForeignKey("portal_accounts.id"))

    holder = relationship("LicenceHolder")
    issued_by = relationship("User")

"""Accounts of licence holders and applicants for their own online service, kept apart from staff
accounts: a holder account never holds a role or a permission, and staff routes never load one."""

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import deferred, relationship

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


class SubmissionStatus(LabelledEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def label(self):
        return {"submitted": "Waiting to be checked", "accepted": "Accepted", "rejected": "Not accepted"}[self.value]


class SubmittedEvidence(db.Model):
    """A document a holder sent online for one requirement. It stays here, seen only by officers,
    until one accepts it: then it becomes a recorded check with the document as its evidence, and
    only then can it count for compliance or reach a panel."""

    __tablename__ = "submitted_evidence"

    id = sa.Column(sa.Integer, primary_key=True)
    # Set when sent for a due item; for an application's document, once the application is sent.
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    account_id = sa.Column(sa.ForeignKey("portal_accounts.id"), nullable=False)
    online_application_id = sa.Column(sa.ForeignKey("online_applications.id"), index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"), index=True)
    requirement = sa.Column(sa.String(60), nullable=False)  # a check kind, or a document kind of an application
    completed_on = sa.Column(sa.Date, nullable=False)  # the date on the document, as the holder read it
    expires_on = sa.Column(sa.Date)
    reference = sa.Column(sa.String(60))
    original_name = sa.Column(sa.String(255), nullable=False)
    content_type = sa.Column(sa.String(64), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    content = deferred(sa.Column(sa.LargeBinary, nullable=False))
    status = enum_column(SubmissionStatus, "submission_status", nullable=False, default=SubmissionStatus.SUBMITTED,
                         index=True)
    submitted_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    decided_at = sa.Column(sa.DateTime)
    decided_by_id = sa.Column(sa.ForeignKey("users.id"))
    reason = sa.Column(sa.Text)  # why it was not accepted, in words the holder sees
    check_id = sa.Column(sa.ForeignKey("compliance_checks.id"))

    holder = relationship("LicenceHolder")
    licence = relationship("Licence")
    decided_by = relationship("User")


class OnlineApplicationStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    MORE_INFORMATION = "more_information"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return {"draft": "Not sent yet", "submitted": "Sent: with the licensing team",
                "more_information": "The licensing team needs more from you", "decided": "Decided",
                "withdrawn": "Withdrawn"}[self.value]


class OnlineApplication(db.Model):
    """An application made online: saved as the applicant answers (save and return), then sent.
    Sending records it in the register as a licence application through the register's own
    operation, which the officers decide on the one decision path."""

    __tablename__ = "online_applications"

    id = sa.Column(sa.Integer, primary_key=True)
    account_id = sa.Column(sa.ForeignKey("portal_accounts.id"), nullable=False, index=True)
    licence_type = sa.Column(sa.String(40), nullable=False)
    kind = sa.Column(sa.String(20), nullable=False)  # new or renewal
    renews_licence_id = sa.Column(sa.ForeignKey("licences.id"))
    answers = sa.Column(sa.JSON, nullable=False, default=dict)
    status = enum_column(OnlineApplicationStatus, "online_application_status", nullable=False,
                         default=OnlineApplicationStatus.DRAFT, index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    submitted_at = sa.Column(sa.DateTime)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    licence_id = sa.Column(sa.ForeignKey("licences.id"))  # the register's licence once sent
    application_id = sa.Column(sa.ForeignKey("licence_applications.id"))
    officer_request = sa.Column(sa.Text)  # what the officer asked for, shown to the applicant

    account = relationship("PortalAccount")
    licence = relationship("Licence", foreign_keys=[licence_id])

    @property
    def reference(self):
        return f"APP-{self.id:06d}"


class PaymentStatus(LabelledEnum):
    """GOV.UK Pay's payment states (created, started, submitted, capturable, success, failed,
    cancelled, error), kept as the provider reports them."""

    CREATED = "created"
    STARTED = "started"
    SUBMITTED = "submitted"
    CAPTURABLE = "capturable"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"
    ERROR = "error"

    @property
    def label(self):
        return {"created": "Not paid yet", "started": "Not paid yet", "submitted": "Being processed",
                "capturable": "Being processed", "success": "Paid", "failed": "Payment failed",
                "cancelled": "Payment cancelled", "error": "Payment failed"}[self.value]

    @property
    def finished(self):
        return self in (PaymentStatus.SUCCESS, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.ERROR)


class Payment(db.Model):
    """A card payment taken through the payment service (GOV.UK Pay, or the local fake), with the
    amount from the fee schedule in force and the provider's own id for reconciliation."""

    __tablename__ = "payments"

    id = sa.Column(sa.Integer, primary_key=True)
    online_application_id = sa.Column(sa.ForeignKey("online_applications.id"), index=True)
    licence_application_id = sa.Column(sa.ForeignKey("licence_applications.id"), index=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    account_id = sa.Column(sa.ForeignKey("portal_accounts.id"), nullable=False)
    amount_pence = sa.Column(sa.Integer, nullable=False)
    description = sa.Column(sa.String(255), nullable=False)
    fee_edition = sa.Column(sa.String(40), nullable=False)
    provider = sa.Column(sa.String(20), nullable=False)
    provider_payment_id = sa.Column(sa.String(64), unique=True)
    status = enum_column(PaymentStatus, "payment_status", nullable=False, default=PaymentStatus.CREATED, index=True)
    next_url = sa.Column(sa.String(500))  # where the payer enters card details
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    paid_at = sa.Column(sa.DateTime)
    refunded_pence = sa.Column(sa.Integer, nullable=False, default=0)

    __table_args__ = (sa.CheckConstraint("amount_pence > 0", name="amount_positive"),
                      sa.CheckConstraint("refunded_pence BETWEEN 0 AND amount_pence", name="refund_within_amount"))

    @property
    def reference(self):
        return f"PAY-{self.id:06d}"


class Refund(db.Model):
    __tablename__ = "refunds"

    id = sa.Column(sa.Integer, primary_key=True)
    payment_id = sa.Column(sa.ForeignKey("payments.id"), nullable=False, index=True)
    amount_pence = sa.Column(sa.Integer, nullable=False)
    reason = sa.Column(sa.Text, nullable=False)
    provider_refund_id = sa.Column(sa.String(64))
    status = sa.Column(sa.String(20), nullable=False)  # submitted, success or error, as the provider says
    refunded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    payment = relationship("Payment", backref="refunds")

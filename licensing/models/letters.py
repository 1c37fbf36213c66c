"""Letters as issued and the outbox that e-mails them."""

import sqlalchemy as sa
from sqlalchemy.orm import deferred, relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class IssuedLetter(db.Model):
    """A letter as issued: its bytes and hash are kept and never regenerated."""

    __tablename__ = "issued_letters"

    id = sa.Column(sa.Integer, primary_key=True)
    kind = sa.Column(sa.String(40), nullable=False)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    action_id = sa.Column(sa.ForeignKey("enforcement_actions.id"), index=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), index=True)
    filename = sa.Column(sa.String(120), nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    content = deferred(sa.Column(sa.LargeBinary, nullable=False))
    issued_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    issued_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    action = relationship("EnforcementAction", back_populates="letters")


class EmailStatus(LabelledEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Channel(LabelledEnum):
    """How an outbox message goes: e-mail (SMTP or Notify), text message or a posted letter (Notify)."""

    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"

    @property
    def label(self):
        return {"email": "E-mail", "sms": "Text message", "letter": "Post"}[self.value]


class OutboundEmail(db.Model):
    """The outbox: written in the same transaction as its cause, sent after commit by a job."""

    __tablename__ = "outbound_emails"

    id = sa.Column(sa.Integer, primary_key=True)
    key = sa.Column(sa.String(120), nullable=False, unique=True)  # one message per stage
    # A holder's message, or (with no holder yet) one to an online account: a sign-in code, say.
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    portal_account_id = sa.Column(sa.ForeignKey("portal_accounts.id"), index=True)
    flag_id = sa.Column(sa.ForeignKey("compliance_flags.id"), index=True)
    letter_id = sa.Column(sa.ForeignKey("issued_letters.id"), index=True)  # sent as a PDF attachment
    to_address = sa.Column(sa.String(254), nullable=False)
    subject = sa.Column(sa.String(200), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    status = enum_column(EmailStatus, "email_status", nullable=False, default=EmailStatus.QUEUED)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    next_attempt_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_error = sa.Column(sa.String(200))
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    sent_at = sa.Column(sa.DateTime)
    # The transport's own id for the message (GOV.UK Notify's notification id) and what its delivery
    # receipt last said: a receipt finds its message by provider_ref.
    channel = enum_column(Channel, "message_channel", nullable=False, default=Channel.EMAIL,
                          server_default=Channel.EMAIL.value)
    provider_ref = sa.Column(sa.String(64), index=True)
    delivery_status = sa.Column(sa.String(40))
    delivered_at = sa.Column(sa.DateTime)

    __table_args__ = (
        sa.Index("ix_outbound_emails_due", "status", "next_attempt_at"),
        sa.CheckConstraint("holder_id IS NOT NULL OR portal_account_id IS NOT NULL", name="addressee"),
    )

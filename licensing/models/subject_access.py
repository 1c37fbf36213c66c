"""Subject access as a reviewed disclosure: the draft gathered from the record, a disclosure
officer's decision on every item (disclose, redact, withhold, with the exemption relied on) and
the release made from those decisions. Drafts and releases are kept as issued."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class RequestStatus(LabelledEnum):
    DRAFT = "draft"
    RELEASED = "released"


class ItemDecision(LabelledEnum):
    PENDING = "pending"
    DISCLOSE = "disclose"
    REDACT = "redact"
    WITHHOLD = "withhold"


class SubjectAccessRequest(db.Model):
    __tablename__ = "subject_access_requests"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    received_on = sa.Column(sa.Date, nullable=False)
    status = enum_column(RequestStatus, "subject_access_status", nullable=False, default=RequestStatus.DRAFT)
    prepared_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    released_on = sa.Column(sa.Date)
    released_by_id = sa.Column(sa.ForeignKey("users.id"))
    release_json = sa.Column(sa.Text)  # exactly what was released
    release_sha256 = sa.Column(sa.String(64))
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder")
    items = relationship("SubjectAccessItem", back_populates="request", order_by="SubjectAccessItem.id")

    __mapper_args__ = {"version_id_col": version}


class SubjectAccessItem(db.Model):
    """One record in the draft: where it came from, what it holds, and the reviewer's decision."""

    __tablename__ = "subject_access_items"

    id = sa.Column(sa.Integer, primary_key=True)
    request_id = sa.Column(sa.ForeignKey("subject_access_requests.id"), nullable=False, index=True)
    source_table = sa.Column(sa.String(64), nullable=False)
    source_id = sa.Column(sa.Integer, nullable=False)
    content_json = sa.Column(sa.Text, nullable=False)
    # Fields naming someone else (a complainant) or restricted by a handling code, found when drafted.
    third_party_fields = sa.Column(sa.String(500))
    restricted = sa.Column(sa.Boolean, nullable=False, default=False)
    decision = enum_column(ItemDecision, "subject_access_decision", nullable=False, default=ItemDecision.PENDING)
    redacted_fields = sa.Column(sa.String(500))
    exemption = sa.Column(sa.String(40))  # a key of policy data subject_access.json
    decision_note = sa.Column(sa.Text)
    reviewed_by_id = sa.Column(sa.ForeignKey("users.id"))
    reviewed_at = sa.Column(sa.DateTime)

    request = relationship("SubjectAccessRequest", back_populates="items")

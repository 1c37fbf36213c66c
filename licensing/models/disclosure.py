"""What a hearing rests on: the officer's report on a case, what of the panel's material was
disclosed to the licence holder (or withheld, with the gist given instead), and the bundles as
published — frozen bytes with their hash and the items they held."""

import sqlalchemy as sa
from sqlalchemy.orm import deferred, relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class MaterialKind(LabelledEnum):
    """The kinds of item that can reach the panel."""

    DOCUMENT = "document"
    INTELLIGENCE = "intelligence"
    CONVICTION = "conviction"
    REPORT = "report"
    COMPLAINT = "complaint"
    NON_CONVICTION = "non_conviction"

    @property
    def label(self):
        return {"document": "Case document", "intelligence": "Intelligence", "conviction": "Conviction",
                "report": "Officer's report", "complaint": "Complaint",
                "non_conviction": "Non-conviction information"}[self.value]


class DisclosureState(LabelledEnum):
    DISCLOSED = "disclosed"
    WITHHELD = "withheld"


class DisclosureMethod(LabelledEnum):
    BY_HAND = "by_hand"
    POST = "post"
    EMAIL = "email"
    AT_INTERVIEW = "at_interview"

    @property
    def label(self):
        return {"by_hand": "By hand", "post": "By post", "email": "By e-mail",
                "at_interview": "At interview"}[self.value]


class BundleAudience(LabelledEnum):
    PANEL = "panel"
    HOLDER = "holder"

    @property
    def label(self):
        return {"panel": "Panel", "holder": "Licence holder"}[self.value]


class OfficerReport(db.Model):
    """The officer's written report on a case, in the sections the panel reads. One per case,
    edited in place under optimistic locking; every edit is audited with what changed."""

    __tablename__ = "officer_reports"

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), nullable=False, unique=True)
    background = sa.Column(sa.Text, nullable=False)
    history = sa.Column(sa.Text, nullable=False)
    assessment = sa.Column(sa.Text, nullable=False)
    options = sa.Column(sa.Text, nullable=False)
    written_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    updated_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    written_by = relationship("User", foreign_keys=[written_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}

    SECTIONS = (("background", "Background"), ("history", "The licence holder's history"),
                ("assessment", "The policy assessment"), ("options", "Options"))


class Disclosure(db.Model):
    """One decision about disclosing one item of panel material to the holder. Append-only: a
    later row for the same item replaces it, so what was disclosed when stays on the record. An
    item's version is kept (the report's), so an edit after disclosure needs disclosing again."""

    __tablename__ = "disclosures"

    id = sa.Column(sa.Integer, primary_key=True)
    case_id = sa.Column(sa.ForeignKey("review_cases.id"), nullable=False, index=True)
    item_kind = enum_column(MaterialKind, "material_kind", nullable=False)
    item_id = sa.Column(sa.Integer, nullable=False)
    item_version = sa.Column(sa.Integer)
    state = enum_column(DisclosureState, "disclosure_state", nullable=False)
    disclosed_on = sa.Column(sa.Date, nullable=False)  # of the item, or of the gist when withheld
    method = enum_column(DisclosureMethod, "disclosure_method", nullable=False)
    extent = sa.Column(sa.String(200))  # what exactly: "full copy", "redacted copy"
    withheld_reason = sa.Column(sa.Text)
    gist = sa.Column(sa.Text)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    recorded_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    recorded_by = relationship("User")

    __table_args__ = (sa.Index("ix_disclosures_item", "case_id", "item_kind", "item_id"),)


class PublishedBundle(db.Model):
    """A bundle as published for one listed case and one audience: its bytes and hash are kept and
    never rebuilt. The panel's and the holder's copies of one publication share a version number."""

    __tablename__ = "published_bundles"

    id = sa.Column(sa.Integer, primary_key=True)
    listing_id = sa.Column(sa.ForeignKey("hearing_listings.id"), nullable=False, index=True)
    audience = enum_column(BundleAudience, "bundle_audience", nullable=False)
    version_number = sa.Column(sa.Integer, nullable=False)
    filename = sa.Column(sa.String(255), nullable=False)
    sha256 = sa.Column(sa.String(64), nullable=False)
    size_bytes = sa.Column(sa.Integer, nullable=False)
    page_count = sa.Column(sa.Integer, nullable=False)
    content = deferred(sa.Column(sa.LargeBinary, nullable=False))
    items = sa.Column(sa.JSON, nullable=False)  # [{kind, id, state, disclosure_id}] as included
    fingerprint = sa.Column(sa.String(64), nullable=False)  # of the material: an unchanged one is not reissued
    letter_id = sa.Column(sa.ForeignKey("issued_letters.id"))  # the holder's copy as sent
    published_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    published_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    listing = relationship("HearingListing")
    published_by = relationship("User")
    letter = relationship("IssuedLetter")

    __table_args__ = (sa.UniqueConstraint("listing_id", "audience", "version_number",
                                          name="uq_published_bundle_version"),)

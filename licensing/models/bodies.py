"""Deciding bodies (a sub-committee, a committee, a commissioner sitting with advisory members, an
officer under delegation), their members, and the dated table of which body holds which power."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class BodyKind(LabelledEnum):
    SUB_COMMITTEE = "sub_committee"
    COMMITTEE = "committee"
    COMMISSIONER = "commissioner"
    OFFICER = "officer"

    @property
    def label(self):
        return {"sub_committee": "Licensing sub-committee", "committee": "Licensing committee",
                "commissioner": "Commissioner sitting with advisory members",
                "officer": "Officer under delegation"}[self.value]


class DecisionMode(LabelledEnum):
    """How the body reaches its decision: a vote of the members present, their consensus, or one
    decision maker who hears the advisory members' proposal (the commissioner model)."""

    MAJORITY = "majority"
    CONSENSUS = "consensus"
    SINGLE = "single"

    @property
    def label(self):
        return {"majority": "By majority vote", "consensus": "By consensus",
                "single": "By a single decision maker"}[self.value]


class MemberRole(LabelledEnum):
    CHAIR = "chair"
    MEMBER = "member"
    DECISION_MAKER = "decision_maker"
    ADVISORY = "advisory"


class Vote(LabelledEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAINED = "abstained"
    NONE = "none"  # consensus, or an advisory member who does not vote


class DecidingBody(db.Model):
    __tablename__ = "deciding_bodies"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(200), nullable=False, unique=True)
    kind = enum_column(BodyKind, "deciding_body_kind", nullable=False)
    decision_mode = enum_column(DecisionMode, "decision_mode", nullable=False)
    quorum = sa.Column(sa.Integer, nullable=False, default=1)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    created_by_id = sa.Column(sa.ForeignKey("users.id"))
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    memberships = relationship("BodyMembership", back_populates="body", order_by="BodyMembership.id")
    authorities = relationship("DecisionAuthority", back_populates="body", order_by="DecisionAuthority.valid_from")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.CheckConstraint("quorum >= 1", name="deciding_body_quorum"),)


class BodyMembership(db.Model):
    __tablename__ = "deciding_body_members"

    id = sa.Column(sa.Integer, primary_key=True)
    body_id = sa.Column(sa.ForeignKey("deciding_bodies.id"), nullable=False, index=True)
    user_id = sa.Column(sa.ForeignKey("users.id"), nullable=False, index=True)
    role = enum_column(MemberRole, "body_member_role", nullable=False)
    from_date = sa.Column(sa.Date, nullable=False)
    to_date = sa.Column(sa.Date)

    body = relationship("DecidingBody", back_populates="memberships")
    user = relationship("User")

    __table_args__ = (sa.CheckConstraint("to_date IS NULL OR to_date >= from_date", name="body_member_dates"),)


class DecisionAuthority(db.Model):
    """Body X holds power P (a key of `policy/data/powers.json`) from one date to another, under an
    instrument (a direction, a council resolution, a scheme of delegation)."""

    __tablename__ = "decision_authorities"

    id = sa.Column(sa.Integer, primary_key=True)
    body_id = sa.Column(sa.ForeignKey("deciding_bodies.id"), nullable=False, index=True)
    power = sa.Column(sa.String(40), nullable=False)
    valid_from = sa.Column(sa.Date, nullable=False)
    valid_to = sa.Column(sa.Date)
    source = sa.Column(sa.String(500), nullable=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"))
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    body = relationship("DecidingBody", back_populates="authorities")

    __table_args__ = (sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="authority_dates"),)


class DecisionMember(db.Model):
    """A member present when a hearing decision was made, and how they voted."""

    __tablename__ = "hearing_decision_members"

    decision_id = sa.Column(sa.ForeignKey("hearing_decisions.id"), primary_key=True)
    user_id = sa.Column(sa.ForeignKey("users.id"), primary_key=True, index=True)
    vote = enum_column(Vote, "decision_vote", nullable=False)

    user = relationship("User")

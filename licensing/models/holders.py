"""The register: licence holders, their licences and vehicles."""

import re

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class HolderKind(LabelledEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class LicenceType(LabelledEnum):
    HACKNEY_CARRIAGE_DRIVER = "hackney_carriage_driver"
    PRIVATE_HIRE_DRIVER = "private_hire_driver"
    DUAL_DRIVER = "dual_driver"
    HACKNEY_CARRIAGE_VEHICLE = "hackney_carriage_vehicle"
    PRIVATE_HIRE_VEHICLE = "private_hire_vehicle"
    PRIVATE_HIRE_OPERATOR = "private_hire_operator"

    @property
    def is_driver(self):
        return self in DRIVER_TYPES

    @property
    def is_vehicle(self):
        return self in VEHICLE_TYPES


DRIVER_TYPES = frozenset(
    {LicenceType.HACKNEY_CARRIAGE_DRIVER, LicenceType.PRIVATE_HIRE_DRIVER, LicenceType.DUAL_DRIVER}
)
VEHICLE_TYPES = frozenset({LicenceType.HACKNEY_CARRIAGE_VEHICLE, LicenceType.PRIVATE_HIRE_VEHICLE})


class LicenceStatus(LabelledEnum):
    APPLIED = "applied"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    REFUSED = "refused"
    EXPIRED = "expired"
    SURRENDERED = "surrendered"


def normalise_registration(value):
    """Vehicle registrations compare without spaces or case: 'ab12 cde' == 'AB12CDE'."""
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


class LicenceHolder(db.Model):
    __tablename__ = "licence_holders"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_ref = sa.Column(sa.String(32), nullable=False, unique=True)
    kind = enum_column(HolderKind, "holder_kind", nullable=False, default=HolderKind.PERSON)
    first_name = sa.Column(sa.String(100))
    last_name = sa.Column(sa.String(100))
    organisation_name = sa.Column(sa.String(200))
    date_of_birth = sa.Column(sa.Date)
    address = sa.Column(sa.String(500))
    postcode = sa.Column(sa.String(10))
    email = sa.Column(sa.String(254))
    # The day the holder agreed in writing to be served notices by e-mail (none: not agreed).
    email_service_consent_on = sa.Column(sa.Date)
    phone = sa.Column(sa.String(40))
    dvla_licence_number = sa.Column(sa.String(20), unique=True)
    # Set while litigation, an appeal or an investigation needs the record kept: retention skips it.
    legal_hold = sa.Column(sa.Boolean, nullable=False, default=False, server_default=sa.false())
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    licences = relationship("Licence", back_populates="holder", order_by="Licence.id")
    vehicles = relationship("Vehicle", back_populates="proprietor", order_by="Vehicle.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'person' AND last_name IS NOT NULL) "
            "OR (kind = 'organisation' AND organisation_name IS NOT NULL)",
            name="named",
        ),
        sa.Index("ix_licence_holders_last_first", "last_name", "first_name"),
    )

    @property
    def display_name(self):
        if self.kind == HolderKind.ORGANISATION:
            return self.organisation_name
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    def __repr__(self):
        return f"<LicenceHolder {self.holder_ref}>"


class Vehicle(db.Model):
    __tablename__ = "vehicles"

    id = sa.Column(sa.Integer, primary_key=True)
    registration = sa.Column(sa.String(12), nullable=False, unique=True)  # normalised
    make = sa.Column(sa.String(60), nullable=False)
    model = sa.Column(sa.String(60), nullable=False)
    colour = sa.Column(sa.String(40))
    seats = sa.Column(sa.Integer, nullable=False)
    wheelchair_accessible = sa.Column(sa.Boolean, nullable=False, default=False)
    plate_number = sa.Column(sa.String(20), unique=True)
    camera_fitted = sa.Column(sa.Boolean, nullable=False, default=False)
    proprietor_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    proprietor = relationship("LicenceHolder", back_populates="vehicles")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.CheckConstraint("seats BETWEEN 1 AND 16", name="seats_range"),)


class Licence(db.Model):
    __tablename__ = "licences"

    id = sa.Column(sa.Integer, primary_key=True)
    licence_number = sa.Column(sa.String(32), nullable=False, unique=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    licence_type = enum_column(LicenceType, "licence_type", nullable=False)
    status = enum_column(LicenceStatus, "licence_status", nullable=False, default=LicenceStatus.APPLIED)
    issued_on = sa.Column(sa.Date)
    expires_on = sa.Column(sa.Date, index=True)
    conditions = sa.Column(sa.Text)
    badge_number = sa.Column(sa.String(20), unique=True)
    vehicle_id = sa.Column(sa.ForeignKey("vehicles.id"), index=True)
    operator_licence_id = sa.Column(sa.ForeignKey("licences.id"), index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    version = sa.Column(sa.Integer, nullable=False, default=1)

    holder = relationship("LicenceHolder", back_populates="licences")
    vehicle = relationship("Vehicle")
    operator_licence = relationship("Licence", remote_side=[id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "expires_on IS NULL OR issued_on IS NULL OR expires_on > issued_on",
            name="expiry_after_issue",
        ),
        sa.CheckConstraint(
            "vehicle_id IS NULL OR licence_type IN "
            "('hackney_carriage_vehicle', 'private_hire_vehicle')",
            name="vehicle_only_on_vehicle_licence",
        ),
        sa.Index("ix_licences_status_type", "status", "licence_type"),
    )

    def can_take_immediate_action(self):
        """An officer may suspend or revoke with immediate effect (s.61(2B)) a driver's licence in force."""
        return self.licence_type.is_driver and self.status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)

    def __repr__(self):
        return f"<Licence {self.licence_number} {self.status}>"

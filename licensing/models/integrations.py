"""Lookups in outside services (DVLA, DVSA MOT history, DBS Update Service) and the holder's
consent that a DBS status check needs."""

import sqlalchemy as sa
from sqlalchemy.orm import relationship

from licensing.extensions import db
from licensing.models.base import LabelledEnum, enum_column, utcnow


class LookupService(LabelledEnum):
    DVLA_VEHICLE = "dvla_vehicle"
    MOT_HISTORY = "mot_history"
    DBS_UPDATE = "dbs_update"
    DVLA_DRIVER_CHECK = "dvla_driver_check"

    @property
    def label(self):
        return SERVICE_LABELS[self.value]


SERVICE_LABELS = {
    "dvla_vehicle": "DVLA Vehicle Enquiry Service",
    "mot_history": "DVSA MOT history",
    "dbs_update": "DBS Update Service",
    "dvla_driver_check": "DVLA driving licence check code",
}


class LookupOutcome(LabelledEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    REFUSED = "refused"  # the service answered that the request was wrong (400, 403)
    UNAVAILABLE = "unavailable"  # time-out, connection failure, 5xx, 429, or the breaker open


class ServiceLookup(db.Model):
    """One question put to an outside service and the parts of its answer the council keeps."""

    __tablename__ = "service_lookups"

    id = sa.Column(sa.Integer, primary_key=True)
    service = enum_column(LookupService, "lookup_service", nullable=False)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), index=True)
    vehicle_id = sa.Column(sa.ForeignKey("vehicles.id"), index=True)
    query_ref = sa.Column(sa.String(40), nullable=False)  # the registration, certificate or check code
    outcome = enum_column(LookupOutcome, "lookup_outcome", nullable=False)
    result = sa.Column(sa.JSON)  # what the answer said that the council uses; never the raw response
    requested_by_id = sa.Column(sa.ForeignKey("users.id"))  # None for the scheduler's re-checks
    requested_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    holder = relationship("LicenceHolder")
    vehicle = relationship("Vehicle")


class DbsConsent(db.Model):
    """The holder's consent for the council to check their certificate on the DBS Update Service."""

    __tablename__ = "dbs_consents"

    id = sa.Column(sa.Integer, primary_key=True)
    holder_id = sa.Column(sa.ForeignKey("licence_holders.id"), nullable=False, index=True)
    certificate_number = sa.Column(sa.String(12), nullable=False)
    consent_given_on = sa.Column(sa.Date, nullable=False)
    recorded_by_id = sa.Column(sa.ForeignKey("users.id"), nullable=False)
    withdrawn_on = sa.Column(sa.Date)
    next_check_on = sa.Column(sa.Date, index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)

    holder = relationship("LicenceHolder")

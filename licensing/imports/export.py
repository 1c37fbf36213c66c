"""The register as CSV for staff: holders with their licences (one row per licence).

Convictions and intelligence are never part of it."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.imports.engine import jsonable
from licensing.models import Licence, LicenceHolder, Vehicle

EXPORT_COLUMNS = (
    "holder_ref", "first_name", "last_name", "organisation_name", "date_of_birth", "address", "postcode",
    "email", "phone", "dvla_licence_number", "licence_number", "licence_type", "status", "issued_on",
    "expires_on", "badge_number", "vehicle_registration",
)


def register_rows(batch_size=2000):
    """Yield the export rows in holder reference order, streamed from the database."""
    query = (
        sa.select(
            LicenceHolder.holder_ref, LicenceHolder.first_name, LicenceHolder.last_name,
            LicenceHolder.organisation_name, LicenceHolder.date_of_birth, LicenceHolder.address,
            LicenceHolder.postcode, LicenceHolder.email, LicenceHolder.phone,
            LicenceHolder.dvla_licence_number, Licence.licence_number, Licence.licence_type, Licence.status,
            Licence.issued_on, Licence.expires_on, Licence.badge_number, Vehicle.registration,
        )
        .outerjoin(Licence, Licence.holder_id == LicenceHolder.id)
        .outerjoin(Vehicle, Vehicle.id == Licence.vehicle_id)
        .order_by(LicenceHolder.holder_ref, Licence.licence_number)
        .execution_options(yield_per=batch_size)
    )
    for row in db.session.execute(query):
        yield [jsonable(value) for value in row]

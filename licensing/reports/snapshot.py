"""The register as at a date (the national annual survey is taken at 1 April): licensed drivers by
type, licensed vehicles by type and wheelchair accessibility, and operators.

A licence counts when it was issued on or before the date and had not expired by then, and it is
in force now, or ended after the date (expired since, or revoked or surrendered later according
to the audit trail)."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    DRIVER_TYPES,
    VEHICLE_TYPES,
    AuditEvent,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    Vehicle,
)
from licensing.reports.document import Chart, Drill, Report, Table
from licensing.text import govuk_date

S = LicenceStatus
ENDED_LATER = (S.REVOKED, S.SURRENDERED)


def _ended_on():
    return (sa.select(sa.func.min(AuditEvent.occurred_at))
            .where(AuditEvent.entity_type == "licences", AuditEvent.entity_id == Licence.id,
                   AuditEvent.after["status"].as_string().in_([s.value for s in ENDED_LATER]))
            .scalar_subquery())


def licensed_on(on_date):
    """Conditions for a licence in force on `on_date`."""
    next_day = dt.datetime.combine(on_date + dt.timedelta(days=1), dt.time.min)
    return sa.and_(
        Licence.issued_on.is_not(None), Licence.issued_on <= on_date,
        sa.or_(Licence.expires_on.is_(None), Licence.expires_on >= on_date),
        sa.or_(Licence.status.in_([S.ACTIVE, S.SUSPENDED, S.EXPIRED]),
               sa.and_(Licence.status.in_(ENDED_LATER), _ended_on() >= next_day)),
    )


def records(on_date, licence_types, wheelchair=None):
    query = (sa.select(LicenceHolder.id, Licence.issued_on, LicenceHolder.holder_ref, Licence.licence_number,
                       Licence.licence_type, Licence.status, Licence.expires_on)
             .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
             .where(licensed_on(on_date), Licence.licence_type.in_(licence_types)))
    if wheelchair is not None:
        query = query.outerjoin(Vehicle, Vehicle.id == Licence.vehicle_id).where(
            sa.func.coalesce(Vehicle.wheelchair_accessible, False).is_(wheelchair))
    return query.order_by(Licence.licence_number)


def _count(query):
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))


def snapshot(on_date):
    day = on_date.isoformat()

    def drill(types, wheelchair=None):
        params = {"figure": "snapshot", "on": day, "types": ",".join(t.value for t in types)}
        if wheelchair is not None:
            params["wheelchair"] = "yes" if wheelchair else "no"
        return Drill(_count(records(on_date, types, wheelchair)), params)

    order = [t for t in LicenceType]
    drivers = [[t.label, drill([t])] for t in order if t in DRIVER_TYPES]
    driver_table = Table("drivers", "Licensed drivers", ["Licence type", "Drivers"], drivers,
                         ["TOTAL", drill(sorted(DRIVER_TYPES))],
                         chart=Chart("bar", "Licensed drivers by type", [r[0] for r in drivers],
                                     [r[1].value for r in drivers]))
    vehicles = [[t.label, drill([t], True), drill([t], False), drill([t])] for t in order if t in VEHICLE_TYPES]
    all_vehicles = sorted(VEHICLE_TYPES)
    vehicle_table = Table("vehicles", "Licensed vehicles",
                          ["Licence type", "Wheelchair accessible", "Not wheelchair accessible", "Vehicles"],
                          vehicles, ["TOTAL", drill(all_vehicles, True), drill(all_vehicles, False),
                                     drill(all_vehicles)])
    operators = Table("operators", "Licensed private hire operators", ["Licence type", "Operators"],
                      [[LicenceType.PRIVATE_HIRE_OPERATOR.label, drill([LicenceType.PRIVATE_HIRE_OPERATOR])]])
    return Report("snapshot", "Licensing snapshot", f"As at {govuk_date(on_date)}",
                  [driver_table, vehicle_table, operators], f"licensing-snapshot-{day}",
                  ["A licence counts when issued by the date and not expired, revoked or surrendered by then."])

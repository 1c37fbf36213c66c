"""Building register records for the reviews tests."""

import datetime as dt

from licensing.extensions import db
from licensing.models import (
    Conviction,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    OffenceSource,
    User,
    Vehicle,
)


def holder(ref, status=LicenceStatus.ACTIVE, licence_type=LicenceType.PRIVATE_HIRE_DRIVER, last_name=None):
    person = LicenceHolder(holder_ref=ref, first_name="Pat", last_name=last_name or f"Driver{ref}",
                           address="1 High Street", postcode="AB1 2CD")
    db.session.add(person)
    db.session.flush()
    if status is not None:
        db.session.add(Licence(licence_number=f"L-{ref}", holder_id=person.id, licence_type=licence_type,
                               status=status, issued_on=dt.date(2024, 1, 1), expires_on=dt.date(2027, 1, 1)))
    db.session.flush()
    return person


def conviction(person, category, conviction_date, sentence_end=None, disposal="conviction", offence="Offence"):
    row = Conviction(holder_id=person.id, category=category, disposal=disposal, offence=offence,
                     conviction_date=conviction_date, sentence_end_date=sentence_end,
                     source=OffenceSource.DBS)
    db.session.add(row)
    db.session.flush()
    return row


def vehicle(registration, proprietor=None):
    row = Vehicle(registration=registration, make="Toyota", model="Prius", seats=4,
                  proprietor_id=proprietor.id if proprietor else None)
    db.session.add(row)
    db.session.flush()
    return row


def user(email):
    return db.session.query(User).filter_by(email=email).one()

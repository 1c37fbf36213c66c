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
from tests.support.people import authoriser_for


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


def sample_route_args(app):
    """Create one record for every reviews URL parameter; returns {parameter name: id}."""
    import sqlalchemy as sa

    from licensing.models import Role
    from licensing.reviews.operations import cases as ops
    from licensing.reviews.operations import guidance as policy_operations
    from licensing.reviews.operations import registers as register_operations
    from licensing.revocations import immediate as action_operations

    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(role=Role.OFFICER)).scalars().first()
        person = holder("SAMPLE1")
        case = ops.open_case(officer, person, "audit", "Sample case", licences=person.licences)
        document = ops.add_document(officer, case, "Sample", "s.pdf", b"%PDF-1.4 sample")
        policy_operations.ensure_bundled_edition(officer)
        campaign = policy_operations.run_campaign(officer, "Sample review", dt.date(2026, 1, 1))
        complaint = register_operations.record_complaint(
            officer, received_on=dt.date(2026, 1, 5), channel="email", category="other", details="Sample",
            holder_id=person.id)
        check = register_operations.record_enforcement_check(
            officer, checked_on=dt.date(2026, 1, 5), check_type="internal_audit", officer_id=officer.id,
            result="satisfactory", driver_id=person.id)
        other = holder("SAMPLE2")
        action = action_operations.take_immediate_action(
            officer, other.licences[0], "suspension", grounds="Sample", public_safety_reason="Sample",
            police_information=False, authorised_by_id=authoriser_for(officer).id,
            suspension_to=dt.date.today() + dt.timedelta(days=30))
        db.session.commit()
        return {
            "case_id": case.id, "document_id": document.id, "campaign_id": campaign.id,
            "complaint_id": complaint.id, "check_id": check.id, "licence_id": person.licences[0].id,
            "action_id": action.id, "letter_id": action.letters[0].id,
        }

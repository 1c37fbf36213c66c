"""Building hearings and listed cases for the hearings tests, through the operations."""

import datetime as dt

from licensing.extensions import db
from licensing.hearings import bodies, disclosure, material, publication
from licensing.hearings import operations as ops
from licensing.models import BodyKind, CaseState, LicenceType, User
from licensing.reviews.operations import cases as review_ops
from tests.conftest import make_user
from tests.support.reviews import holder

TODAY = dt.date(2026, 3, 2)
HEARING_AT = dt.datetime(2026, 3, 30, 10, 0)


def staff(role, email):
    return db.session.get(User, make_user(role, email=email, name=email.split("@")[0].title()))


def awaiting_case(officer, ref, licence_type=LicenceType.PRIVATE_HIRE_DRIVER):
    person = holder(ref, licence_type=licence_type)
    case = review_ops.open_case(officer, person, "audit", f"Review of {ref}", licences=person.licences)
    review_ops.transition(officer, case, CaseState.AWAITING_DECISION, "Ready for decision")
    return case


DEFAULT_BODY = "Licensing sub-committee"


def default_body(officer, name=DEFAULT_BODY, kind=BodyKind.SUB_COMMITTEE):
    """A body (a sub-committee unless `kind` says otherwise) holding every power since 2000, with no
    membership recorded (so any panel member may sit) and a quorum of one, as most hearings tests need."""
    body = bodies.body_named(name)
    if body is None:
        body = bodies.create_body(officer, name, kind, quorum=1)
        for power in ("applications", "licence_action"):
            bodies.grant_authority(officer, body, power, dt.date(2000, 1, 1), source="Council resolution (test)")
    return body


def disclose_all(officer, case, on=None):
    """Record every item of the case's panel material as disclosed to the holder in full, by post."""
    on = on or dt.date.today()
    for item in material.undisclosed(material.panel_material(case)):
        disclosure.record_disclosure(officer, case, item.key, decision="disclosed", disclosed_on=on, method="post",
                                     extent="full copy", today=on)


def hearing(officer, chair, panel=(), starts_at=HEARING_AT):
    default_body(officer)
    return ops.create_hearing(officer, starts_at, "Committee Room 1", DEFAULT_BODY, chair.id,
                              [p.id for p in panel], date_override_reason="Hearing entered for the test")


def sample_route_args(app):
    """One hearing with the first panel member as chair and a listed case with a disclosed
    document, its notice letter and its published bundle; returns {parameter name: id} for the
    hearings routes."""
    import sqlalchemy as sa

    from licensing.models import IssuedLetter, Role

    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(role=Role.OFFICER)).scalars().first()
        chair = db.session.execute(sa.select(User).filter_by(role=Role.PANEL)).scalars().first()
        case = awaiting_case(officer, "HEARSAMPLE")
        document = review_ops.add_document(officer, case, "Statement", "s.pdf", b"%PDF-1.4 sample",
                                           disclose_to_panel=True)
        sitting = hearing(officer, chair, starts_at=dt.datetime.combine(dt.date.today(), dt.time(10))
                          + dt.timedelta(days=60))
        listing = ops.list_case(officer, sitting, case)
        letter = db.session.execute(sa.select(IssuedLetter).filter_by(case_id=case.id)).scalars().first()
        (panel_copy, _), = publication.publish_agenda(officer, sitting)[0]
        db.session.commit()
        return {"hearing_id": sitting.id, "listing_id": listing.id, "document_id": document.id,
                "letter_id": letter.id, "body_id": sitting.deciding_body_id,
                "authority_id": sitting.body.authorities[0].id, "case_id": case.id, "bundle_id": panel_copy.id}


def seated_ids(app, listing_id):
    """The ids (as posted) of the members listed to sit on a listing's hearing: the decision form's
    'Members present' with everybody ticked."""
    from licensing.models import HearingListing

    with app.app_context():
        hearing = db.session.get(HearingListing, listing_id).hearing
        return [str(hearing.chair_id), *[str(m.id) for m in hearing.panel if m.id != hearing.chair_id]]

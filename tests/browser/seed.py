"""Records the journeys start from, built through the operations on the live server's database."""

import datetime as dt
import itertools

import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import operations as hearing_ops
from licensing.models import User
from licensing.reviews.operations import cases as review_ops
from tests.browser.conftest import ACCOUNTS
from tests.support.hearings import awaiting_case, default_body, disclose_all
from tests.support.reviews import conviction

_numbers = itertools.count(1)


def unique_ref(prefix):
    return f"{prefix}{next(_numbers):03d}"


def _user(who):
    return db.session.execute(sa.select(User).filter_by(email=ACCOUNTS[who]["email"])).scalar_one()


def listed_case(server, ref, chair="chair", panel=("member",), venue="Committee Room 1", days_ahead=40,
                disclose=True, document=b"%PDF-1.4 statement"):
    """An active driver with a case awaiting decision, a document and intelligence disclosed to
    the panel, listed on a new hearing; unless `disclose` is false, all of it is disclosed to the
    holder too. Returns ids and names."""
    with server.app.app_context():
        officer = _user("officer")
        case = awaiting_case(officer, ref)
        case.summary = f"Passenger complaints about {ref}"
        conviction(case.holder, "drink_drug_driving", dt.date(2019, 6, 1), offence="Drink driving")
        document = review_ops.add_document(officer, case, "Witness statement", "statement.pdf",
                                           document, disclose_to_panel=True)
        if disclose:
            disclose_all(officer, case)
        # A hearing today has started (proposals and decisions are taken only once it has).
        starts_at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=days_ahead),
                                        dt.time(0, 1) if days_ahead == 0 else dt.time(14, 0))
        default_body(officer)
        sitting = hearing_ops.create_hearing(officer, starts_at, venue, "Licensing sub-committee", _user(chair).id,
                                             [_user(who).id for who in panel],
                                             date_override_reason="Seeded hearing (may fall on a weekend)")
        short_notice = "Urgent: public safety" if days_ahead < 21 else None
        listing = hearing_ops.list_case(officer, sitting, case, override_reason=short_notice)
        db.session.commit()
        return {"hearing_id": sitting.id, "listing_id": listing.id, "case_id": case.id, "document_id": document.id,
                "holder_name": case.holder.display_name, "licence_id": case.licences[0].id,
                "licence_number": case.licences[0].licence_number, "case_ref": case.reference or str(case.id),
                "hearing_date": starts_at.date(), "venue": venue}


def overdue_driver(server, ref):
    """A hackney carriage driver licensed 200 days ago with nothing recorded since, and the
    nightly expiry scan run: the queue has items for them and a suspension is proposed."""
    from licensing.jobs.runner import run_job
    from licensing.models import LicenceType
    from tests.support.training_data import make_driver

    today = dt.date.today()
    with server.app.app_context():
        holder, licence = make_driver(ref, issued_on=today - dt.timedelta(days=200),
                                      expires_on=today + dt.timedelta(days=900),
                                      licence_type=LicenceType.HACKNEY_CARRIAGE_DRIVER)
        db.session.commit()
        ids = {"holder_id": holder.id, "licence_id": licence.id, "licence_number": licence.licence_number,
               "holder_name": holder.display_name}
        run_job("expiry_scan", today)
        db.session.remove()
    return ids


def pending_revocation(server, ref):
    """A driver whose licence a hearing revoked today, not with immediate effect: the revocation
    waits for the 21-day appeal period. Returns the listed case's ids and the action's."""
    from licensing.hearings import decisions
    from licensing.models import HearingListing

    case = listed_case(server, ref, venue="Council Chamber", days_ahead=0)
    today = dt.date.today()
    with server.app.app_context():
        listing = db.session.get(HearingListing, case["listing_id"])
        decision = decisions.record_decision(
            _user("officer"), listing, outcome="revoke", reasons="Repeated drink driving; not a fit and proper person.",
            decided_by=listing.hearing.chair, decision_date=today, notice_date=today)
        db.session.commit()
        case["action_id"] = decision.action_id
    return case

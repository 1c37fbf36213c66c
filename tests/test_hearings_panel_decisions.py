"""Panel members propose, the decision maker (the hearing's chair) decides and reads the letter,
and nobody else on a panel can do either."""

import datetime as dt
import io

import sqlalchemy as sa
from pypdf import PdfReader

from licensing.extensions import db
from licensing.hearings import operations as ops
from licensing.models import AuditEvent, HearingDecision, HearingListing, HearingOutcome, User
from tests.conftest import login
from tests.support.hearings import awaiting_case, hearing, seated_ids, staff

# A hearing that has started (today, just after midnight): proposals and decisions are made at it.
STARTED = dt.datetime.combine(dt.date.today(), dt.time(0, 1))


def _listed(app, member_email):
    """A hearing chaired by `chair@…` with the given member on the panel, one case listed."""
    with app.app_context():
        officer = staff("officer", "panel-officer@x.gov.uk")
        chair = staff("panel", "chair@x.gov.uk")
        member = db.session.execute(sa.select(User).filter_by(email=member_email)).scalar_one()
        staff("panel", "bystander@x.gov.uk")
        case = awaiting_case(officer, "PD1")
        listing = ops.list_case(officer, hearing(officer, chair, [member], starts_at=STARTED), case,
                                override_reason="Heard today")
        db.session.commit()
        return listing.id, listing.version


def _decision_form(**extra):
    today = dt.date.today()
    return {"outcome": "warning", "reasons": "Conduct fell short; a formal warning.",
            "decision_date": [str(today.day), str(today.month), str(today.year)],
            "notice_date": [str(today.day), str(today.month), str(today.year)], **extra}


def test_a_panel_member_proposes_and_the_chair_decides_and_reads_the_letter(app, users):
    listing_id, version = _listed(app, users["panel"])
    member = app.test_client()
    login(member, users["panel"])
    page = member.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert "The panel's proposed decision" in page and "Issue decision" not in page
    response = member.post(f"/hearings/listings/{listing_id}/proposal",
                           data={"proposed_outcome": "warning", "version": version})
    assert response.status_code == 302
    # Only the decision maker decides; like every refusal to a panel member, it reads as not found.
    assert member.post(f"/hearings/listings/{listing_id}/decision", data=_decision_form()).status_code == 404

    chair = app.test_client()
    login(chair, "chair@x.gov.uk")
    assert "Issue decision" in chair.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    response = chair.post(f"/hearings/listings/{listing_id}/decision",
                          data=_decision_form(present_ids=seated_ids(app, listing_id)))
    assert response.status_code == 302 and response.location.endswith(f"/hearings/listings/{listing_id}/decided")
    confirmation = chair.get(response.location).get_data(as_text=True)
    assert "Decision issued" in confirmation and "agrees with" in confirmation
    with app.app_context():
        decision = db.session.execute(sa.select(HearingDecision)).scalar_one()
        listing = db.session.get(HearingListing, listing_id)
        assert listing.proposed_outcome == HearingOutcome.WARNING and listing.proposed_by.email == users["panel"]
        assert decision.decided_by.email == "chair@x.gov.uk"
        assert db.session.get(User, decision.recorded_by_id).email == "chair@x.gov.uk"
        assert decision.agrees_with_proposal is True
        proposal_rows = db.session.scalars(sa.select(AuditEvent).filter_by(action="hearing.proposal")).all()
        assert len(proposal_rows) == 1 and proposal_rows[0].after["proposed_outcome"] == "warning"
        letter_id = decision.letter_id
    letter = chair.get(f"/hearings/letters/{letter_id}")
    assert letter.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
    assert "Conduct fell short" in text
    # The other panel member sees the outcome but not the letter; a panel member of another hearing sees neither.
    assert member.get(f"/hearings/letters/{letter_id}").status_code == 404
    assert "Download the decision letter" not in member.get(f"/hearings/listings/{listing_id}/decided").get_data(
        as_text=True)
    bystander = app.test_client()
    login(bystander, "bystander@x.gov.uk")
    assert bystander.get(f"/hearings/letters/{letter_id}").status_code == 404
    assert bystander.get(f"/hearings/listings/{listing_id}/decided").status_code == 404
    assert bystander.post(f"/hearings/listings/{listing_id}/proposal",
                          data={"proposed_outcome": "revoke"}).status_code == 404


def test_no_proposal_after_the_decision_and_officers_cannot_propose(app, users):
    listing_id, version = _listed(app, users["panel"])
    officer = app.test_client()
    login(officer, users["officer"])
    assert officer.post(f"/hearings/listings/{listing_id}/proposal",
                        data={"proposed_outcome": "warning", "version": version}).status_code == 403
    assert officer.post(f"/hearings/listings/{listing_id}/decision",
                        data=_decision_form(present_ids=seated_ids(app, listing_id))).status_code == 302
    member = app.test_client()
    login(member, users["panel"])
    refused = member.post(f"/hearings/listings/{listing_id}/proposal",
                          data={"proposed_outcome": "revoke", "version": version})
    assert refused.status_code == 200
    assert "a proposal can no longer be recorded" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(HearingListing, listing_id).proposed_outcome is None

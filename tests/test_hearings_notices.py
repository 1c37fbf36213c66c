"""Notices that say everything (legal review L15, H3, H5; UX review 32): the notice of hearing gives
the power relied on, what may be decided, the enclosures, whether the public will be excluded and
why, the holder's rights and a contact officer; a new date, an adjournment, a cancellation and a
deferral each send the holder a notice. Read back from the PDFs."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions, queries
from licensing.hearings import operations as ops
from licensing.hearings.errors import HearingError
from licensing.models import AuditEvent, CaseState, HearingStatus, IssuedLetter, User
from tests.conftest import login
from tests.support.hearings import TODAY, awaiting_case, default_body, hearing, staff
from tests.support.pdf import pdf_text


@pytest.fixture
def people(ctx):
    officer = staff("officer", "notice-officer@x.gov.uk")
    officer.post = "Senior Licensing Officer"
    return {"officer": officer, "chair": staff("panel", "notice-chair@x.gov.uk"),
            "member": staff("panel", "notice-member@x.gov.uk")}


def _letters(case, kind):
    return db.session.execute(sa.select(IssuedLetter).filter_by(case_id=case.id, kind=kind)
                              .order_by(IssuedLetter.id)).scalars().all()


def test_the_notice_of_hearing_says_everything_the_holder_needs(people):
    officer = people["officer"]
    case = awaiting_case(officer, "NOTE1")
    ops.list_case(officer, hearing(officer, people["chair"]), case, today=TODAY)
    text = pdf_text(_letters(case, "hearing_notice")[0].content)
    # The power relied on, from the statutory rule table, for a private hire driver's licence.
    assert "The power relied on" in text and "section 61" in text
    assert "take no action; give you a written warning; suspend your licence for a period; revoke your licence" in text
    assert "the officer's report on your case" in text and "the hearing bundle" in text
    # The agenda goes out 5 working days before Monday 30 March 2026: Monday 23 March.
    assert "no later than 23 March 2026" in text
    assert "paragraph 1 of Part 1 of Schedule 12A to the Local Government Act 1972" in text
    assert "public interest" in text
    assert "call witnesses" in text and "by 25 March 2026" in text
    assert "Contact officer" in text and "Notice-Officer, Senior Licensing Officer" in text
    assert "Telephone:" in text


def test_a_case_heard_in_public_says_so(people):
    officer = people["officer"]
    case = awaiting_case(officer, "NOTE2")
    ops.list_case(officer, hearing(officer, people["chair"]), case, today=TODAY, private_paragraph=None)
    text = pdf_text(_letters(case, "hearing_notice")[0].content)
    assert "Your case will be heard in public." in text and "Schedule 12A" not in text


def test_adjourning_needs_a_reason_and_tells_each_holder_then_a_new_date_sends_a_fresh_notice(people):
    officer = people["officer"]
    first, second = awaiting_case(officer, "ADJ1"), awaiting_case(officer, "ADJ2")
    sitting = hearing(officer, people["chair"])
    for case in (first, second):
        ops.list_case(officer, sitting, case, today=TODAY)
    with pytest.raises(HearingError, match="Give the reason the hearing is adjourned") as refused:
        ops.set_status(officer, sitting, "adjourned", today=TODAY)
    assert refused.value.field == "reason"
    ops.set_status(officer, sitting, "adjourned", "The chair is unwell", today=TODAY)
    assert sitting.status == HearingStatus.ADJOURNED and sitting.status_reason == "The chair is unwell"
    for case in (first, second):
        text = pdf_text(_letters(case, "hearing_notice_adjourned")[0].content)
        assert "Notice of adjournment" in text and "30 March 2026 at 10:00 has been adjourned" in text
        assert "Reason: The chair is unwell" in text
    with pytest.raises(HearingError, match="inside the notice period") as short:
        ops.reschedule(officer, sitting, dt.datetime(2026, 3, 10, 14), reason="Chair available", today=TODAY)
    assert short.value.field == "override_reason"
    ops.reschedule(officer, sitting, dt.datetime(2026, 4, 20, 14), reason="The chair is available again",
                   venue="Committee Room 2", today=TODAY)
    assert sitting.status == HearingStatus.SCHEDULED and sitting.starts_at == dt.datetime(2026, 4, 20, 14)
    text = pdf_text(_letters(first, "hearing_notice_new_date")[0].content)
    assert "Notice of hearing: new date" in text
    assert "on 30 March 2026 at 10:00 will not take place then. It will now be heard on 20 April 2026 at 14:00" in text
    assert "Venue: Committee Room 2" in text and "The power relied on" in text
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.rescheduled")).scalar_one()
    assert event.after["holders_notified"] == 2 and event.reason == "The chair is available again"


def test_a_deferral_sends_a_notice_with_the_new_date(people):
    officer, chair = people["officer"], people["chair"]
    case = awaiting_case(officer, "DEF1")
    listing = ops.list_case(officer, hearing(officer, chair), case, today=TODAY)
    decisions.record_decision(officer, listing, outcome="defer", reasons="Awaiting the police disclosure",
                              decided_by=chair, deferred_to=dt.date(2026, 5, 11), decision_date=dt.date(2026, 3, 30),
                              today=dt.date(2026, 3, 30))
    assert case.state == CaseState.AWAITING_DECISION
    text = pdf_text(_letters(case, "hearing_notice_deferred")[0].content)
    assert "Notice of deferral" in text and "deferred its decision on your case to 11 May 2026" in text
    assert "Reason: Awaiting the police disclosure" in text and "Nothing has been decided" in text


def test_cancelling_tells_the_holders_and_a_cancelled_hearing_offers_no_changes(app, client, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        chair = staff("panel", "cancel-chair@x.gov.uk")
        case = awaiting_case(officer, "CAN1")
        sitting = hearing(officer, chair, starts_at=dt.datetime.combine(dt.date.today() + dt.timedelta(days=40),
                                                                        dt.time(10)))
        ops.list_case(officer, sitting, case)
        hearing_id, version, case_id = sitting.id, sitting.version, case.id
        db.session.commit()
    login(client, users["officer"])
    no_reason = client.post(f"/hearings/{hearing_id}/status", data={"new_status": "cancelled", "version": version})
    assert no_reason.status_code == 200 and "Give the reason the hearing is cancelled" in no_reason.get_data(True)
    done = client.post(f"/hearings/{hearing_id}/status", data={"new_status": "cancelled", "version": version,
                                                               "reason": "Venue unavailable"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "The hearing is now cancelled; each listed holder has been sent a notice" in page
    assert "Venue unavailable" in page
    assert "List a case" not in page and "Hearing status" not in page and "new date" not in page
    with app.app_context():
        letters = db.session.execute(sa.select(IssuedLetter).filter_by(case_id=case_id,
                                                                       kind="hearing_notice_cancelled")).scalars()
        assert "has been cancelled" in pdf_text(next(letters).content)


def test_the_listing_form_finds_any_waiting_case_by_reference_name_or_licence(ctx, people):
    officer = people["officer"]
    for i in range(30):
        awaiting_case(officer, f"MANY{i:02d}")
    target = awaiting_case(officer, "FINDME")
    target.reference = "RC-2026-0999"
    db.session.flush()
    assert target not in queries.awaiting_cases()  # beyond the first page of waiting cases
    assert queries.awaiting_cases("rc-2026-0999") == [target]
    assert queries.awaiting_cases("driverfindme") == [target]  # the holder's last name
    assert queries.awaiting_cases("l-findme") == [target]  # the licence number


def test_attendance_can_be_changed_after_the_proposal(people):
    officer, chair = people["officer"], people["chair"]
    case = awaiting_case(officer, "ATT1")
    listing = ops.list_case(officer, hearing(officer, chair, starts_at=dt.datetime(2026, 3, 2, 0, 1)), case,
                            today=dt.date(2026, 2, 2))
    decisions.record_attendance(officer, listing, "did_not_attend", "revoke", chair,
                                now=dt.datetime(2026, 3, 2, 10))
    decisions.record_attendance(officer, listing, "attended", "revoke", None, now=dt.datetime(2026, 3, 2, 11))
    assert listing.attendance.value == "attended" and listing.proposed_by_id == chair.id


def test_the_hearing_page_lists_a_case_found_by_search(app, client, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        default_body(officer)
        chair = staff("panel", "search-chair@x.gov.uk")
        case = awaiting_case(officer, "SRCH1")
        sitting = hearing(officer, chair, starts_at=dt.datetime.combine(dt.date.today() + dt.timedelta(days=40),
                                                                        dt.time(10)))
        hearing_id, case_id = sitting.id, case.id
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/hearings/{hearing_id}?q=DriverSRCH1").get_data(as_text=True)
    assert "Cases matching DriverSRCH1" in page and f'value="{case_id}"' in page
    listed = client.post(f"/hearings/{hearing_id}/list", data={"case_id": str(case_id), "private_paragraph": "7"})
    assert listed.status_code == 302
    with app.app_context():
        from licensing.models import HearingListing
        listing = db.session.execute(sa.select(HearingListing).filter_by(case_id=case_id)).scalar_one()
        assert listing.private_paragraph == 7

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as ops
from licensing.hearings.errors import HearingError
from licensing.models import (
    ActionKind,
    ActionStatus,
    AuditEvent,
    CaseOutcome,
    CaseState,
    EnforcementAction,
    HearingStatus,
    IssuedLetter,
    LicenceStatus,
)
from tests.support.hearings import TODAY, awaiting_case, hearing, staff
from tests.support.pdf import pdf_text as _text


@pytest.fixture
def people(ctx):
    return {"officer": staff("officer", "off@x.gov.uk"), "chair": staff("panel", "chair@x.gov.uk"),
            "member": staff("panel", "member@x.gov.uk")}


def test_listing_issues_a_notice_and_moves_the_case(people):
    officer = people["officer"]
    case = awaiting_case(officer, "H1")
    sitting = hearing(officer, people["chair"], [people["member"]])
    listing = ops.list_case(officer, sitting, case, today=TODAY)
    assert case.state == CaseState.LISTED_FOR_HEARING
    letter = db.session.execute(sa.select(IssuedLetter).filter_by(case_id=case.id, kind="hearing_notice")).scalar_one()
    text = _text(letter.content)
    assert "30 March 2026 at 10:00" in text and "Committee Room 1" in text
    assert "Review of H1" in text
    assert "right to attend" in text and "represented" in text
    # Evidence deadline: 3 working days before Monday 30 March 2026 is Wednesday 25 March.
    assert "by 25 March 2026" in text
    assert listing.position == 1


def test_listing_inside_notice_period_needs_a_recorded_override(people):
    officer = people["officer"]
    case = awaiting_case(officer, "H2")
    sitting = hearing(officer, people["chair"], starts_at=dt.datetime(2026, 3, 13, 10))
    # 2 March to 13 March 2026 leaves 8 clear working days (3 to 12 March): short of 10.
    with pytest.raises(HearingError, match="notice period of 10 working days"):
        ops.list_case(officer, sitting, case, today=TODAY)
    assert case.state == CaseState.AWAITING_DECISION
    listing = ops.list_case(officer, sitting, case, today=TODAY, override_reason="Urgent safeguarding matter")
    assert listing.notice_override_reason == "Urgent safeguarding matter"
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.case_listed")).scalar_one()
    assert event.reason == "Urgent safeguarding matter"
    # 16 March leaves only 9 clear days (the hearing day does not count); 17 March leaves exactly 10.
    monday = hearing(officer, people["chair"], starts_at=dt.datetime(2026, 3, 16, 10))
    with pytest.raises(HearingError, match="1 short"):
        ops.list_case(officer, monday, awaiting_case(officer, "H2C"), today=TODAY)
    other = hearing(officer, people["chair"], starts_at=dt.datetime(2026, 3, 17, 10))
    ops.list_case(officer, other, awaiting_case(officer, "H2B"), today=TODAY)


def test_only_awaiting_cases_are_listed_and_removal_returns_them(people):
    officer = people["officer"]
    case = awaiting_case(officer, "H3")
    first, second = hearing(officer, people["chair"]), hearing(officer, people["chair"])
    listing = ops.list_case(officer, first, case, today=TODAY)
    with pytest.raises(HearingError, match="awaiting decision"):
        ops.list_case(officer, second, case, today=TODAY)
    moved = ops.move_listing(officer, listing, second, today=TODAY)
    assert listing.removed and moved.hearing_id == second.id and case.state == CaseState.LISTED_FOR_HEARING
    ops.remove_listing(officer, moved, "Not ready")
    assert case.state == CaseState.AWAITING_DECISION


def test_agenda_order_and_hearing_status_table(people):
    officer = people["officer"]
    sitting = hearing(officer, people["chair"])
    a = ops.list_case(officer, sitting, awaiting_case(officer, "H4A"), today=TODAY)
    b = ops.list_case(officer, sitting, awaiting_case(officer, "H4B"), today=TODAY)
    ops.move_in_agenda(officer, b, -1)
    assert (b.position, a.position) == (1, 2)
    ops.set_status(officer, sitting, "cancelled", "Room unavailable")
    assert a.removed and b.removed and a.case.state == CaseState.AWAITING_DECISION
    with pytest.raises(HearingError, match="cannot become scheduled"):
        ops.set_status(officer, sitting, "scheduled")


def test_panel_members_must_have_the_panel_role(people):
    with pytest.raises(HearingError, match="panel role"):
        hearing(people["officer"], people["chair"], [people["officer"]])


def _listed(people, ref, **kw):
    officer = people["officer"]
    sitting = hearing(officer, people["chair"], [people["member"]])
    return ops.list_case(officer, sitting, awaiting_case(officer, ref, **kw), today=TODAY)


def test_revocation_decision_with_proposal_creates_pending_action_and_letter(people):
    listing = _listed(people, "H5")
    decisions.record_attendance(people["officer"], listing, "attended", "revoke", people["member"])
    decision = decisions.record_decision(
        people["officer"], listing, outcome="revoke", reasons="Dishonesty <b>x</b>", decided_by=people["chair"],
        notice_date=dt.date(2026, 3, 31), safeguarding_or_road_safety=True)
    assert decision.agrees_with_proposal is True
    assert listing.case.state == CaseState.DECIDED and listing.case.outcome == CaseOutcome.REVOKED
    action = db.session.get(EnforcementAction, decision.action_id)
    assert action.kind == ActionKind.REVOCATION and action.status == ActionStatus.PENDING
    assert action.effective_date == dt.date(2026, 4, 22)
    assert listing.case.licences[0].status == LicenceStatus.ACTIVE
    assert listing.hearing.status == HearingStatus.HELD
    text = _text(decision.letter.content)
    assert "by 21 April 2026" in text and "Dishonesty <b>x</b>" in text and "NR3S" in text
    with pytest.raises(HearingError, match="Correct this decision"):
        decisions.record_decision(people["officer"], listing, outcome="warning", reasons="x",
                                  decided_by=people["chair"])


def test_immediate_suspension_changes_licence_at_once(people):
    listing = _listed(people, "H6")
    with pytest.raises(HearingError, match="public safety"):
        decisions.record_decision(people["officer"], listing, outcome="suspend", reasons="Risk",
                                  decided_by=people["chair"], immediate=True, suspension_to=dt.date(2026, 6, 1))
    decision = decisions.record_decision(
        people["officer"], listing, outcome="suspend", reasons="Risk", decided_by=people["chair"], immediate=True,
        public_safety_reason="Danger to passengers", suspension_to=dt.date(2026, 6, 1))
    assert listing.case.licences[0].status == LicenceStatus.SUSPENDED
    assert decision.effective_date == decision.decision_date
    assert "takes effect immediately" in _text(decision.letter.content)


def test_decision_rules(people):
    listing = _listed(people, "H7", licence_type=__import__("licensing.models", fromlist=["LicenceType"])
                      .LicenceType.PRIVATE_HIRE_VEHICLE)
    with pytest.raises(HearingError, match="driver licence"):
        decisions.record_decision(people["officer"], listing, outcome="revoke", reasons="x",
                                  decided_by=people["chair"], immediate=True, public_safety_reason="y")
    with pytest.raises(HearingError, match="reasons"):
        decisions.record_decision(people["officer"], listing, outcome="warning", reasons=" ",
                                  decided_by=people["chair"])
    with pytest.raises(HearingError, match="decision maker"):
        decisions.record_decision(people["officer"], listing, outcome="warning", reasons="x",
                                  decided_by=people["member"])
    first = decisions.record_decision(people["officer"], listing, outcome="warning", reasons="Late",
                                      decided_by=people["chair"])
    correction = decisions.record_decision(people["officer"], listing, outcome="warning", reasons="Late twice",
                                           decided_by=people["chair"], corrects=first,
                                           correction_reason="Reasons incomplete")
    assert correction.supersedes_id == first.id and first.reasons == "Late"
    assert decisions.current_decision(listing) is correction
    assert correction.letter_id != first.letter_id
    assert "replaces the letter HD-" in _text(correction.letter.content)


def test_defer_and_surrender(people):
    deferred = _listed(people, "H8")
    decisions.record_decision(people["officer"], deferred, outcome="defer", reasons="Awaiting court",
                              decided_by=people["chair"], deferred_to=dt.date(2026, 5, 1))
    assert deferred.case.state == CaseState.AWAITING_DECISION
    surrendered = _listed(people, "H9")
    decisions.record_decision(people["officer"], surrendered, outcome="surrendered", reasons="Handed in badge",
                              decided_by=None)
    assert surrendered.case.licences[0].status == LicenceStatus.SURRENDERED
    assert surrendered.case.state == CaseState.WITHDRAWN


def test_a_correction_cannot_change_the_outcome(people):
    listing = _listed(people, "H10")
    first = decisions.record_decision(people["officer"], listing, outcome="warning", reasons="Late",
                                      decided_by=people["chair"])
    with pytest.raises(HearingError, match="correction keeps the decision"):
        decisions.record_decision(people["officer"], listing, outcome="revoke", reasons="Late",
                                  decided_by=people["chair"], corrects=first, correction_reason="Wrong outcome")

"""Guard rails on a hearing decision's dates (D2, L8), proposals only at the hearing, and
corrected letters numbered in turn (D4, L7)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as ops
from licensing.hearings.errors import HearingError
from licensing.models import AuditEvent, IssuedLetter
from tests.support.hearings import HEARING_AT, TODAY, awaiting_case, default_body, hearing, staff
from tests.support.pdf import pdf_text

HEARING_DAY = HEARING_AT.date()  # 30 March 2026


@pytest.fixture
def listed(ctx):
    officer, chair = staff("officer", "guard-officer@x.gov.uk"), staff("panel", "guard-chair@x.gov.uk")
    listing = ops.list_case(officer, hearing(officer, chair), awaiting_case(officer, "GR1"), today=TODAY)
    return officer, chair, listing


def _decide(listed, **kw):
    officer, chair, listing = listed
    values = {"outcome": "warning", "reasons": "Late twice", "decided_by": chair, "decision_date": HEARING_DAY,
              "notice_date": HEARING_DAY, "today": dt.date(2026, 4, 30), **kw}
    return decisions.record_decision(officer, listing, **values)


@pytest.mark.parametrize(("kw", "field", "words"), [
    ({"decision_date": HEARING_DAY - dt.timedelta(days=1)}, "decision_date", "before the hearing"),
    ({"decision_date": dt.date(2026, 5, 1), "notice_date": dt.date(2026, 5, 1)}, "decision_date", "future"),
    ({"notice_date": HEARING_DAY - dt.timedelta(days=1)}, "notice_date", "before the decision"),
    ({"notice_date": HEARING_DAY + dt.timedelta(days=15)}, "late_notice_reason", "within 14 days"),
])
def test_decision_dates_out_of_bounds_are_refused_at_their_field(listed, kw, field, words):
    with pytest.raises(HearingError, match=words) as refused:
        _decide(listed, **kw)
    assert refused.value.field == field
    assert decisions.current_decision(listed[2]) is None


def test_a_late_notice_is_accepted_with_its_reason_and_on_the_14th_day_without(listed):
    on_time = _decide(listed, notice_date=HEARING_DAY + dt.timedelta(days=14))
    assert on_time.notice_date == dt.date(2026, 4, 13)
    late = _decide(listed, notice_date=HEARING_DAY + dt.timedelta(days=20), corrects=on_time,
                   correction_reason="Re-sent", late_notice_reason="Holder's address was wrong; re-sent")
    assert late.supersedes_id == on_time.id


def test_corrections_are_numbered_2_3_4(listed):
    first = _decide(listed)
    versions = []
    current = first
    for n in range(3):
        current = _decide(listed, reasons=f"Late, corrected {n}", corrects=current,
                          correction_reason="Wording")
        text = pdf_text(db.session.get(IssuedLetter, current.letter_id).content)
        versions.append(decisions.version_of(current))
        assert f"Corrected letter, version {n + 2}" in text
    assert versions == [2, 3, 4]


def test_a_proposal_waits_for_the_hearing_to_start(ctx):
    officer, member = staff("officer", "guard-o2@x.gov.uk"), staff("panel", "guard-member@x.gov.uk")
    chair = staff("panel", "guard-c2@x.gov.uk")
    listing = ops.list_case(officer, hearing(officer, chair, [member]), awaiting_case(officer, "GR2"), today=TODAY)
    with pytest.raises(HearingError, match="has not started") as refused:
        decisions.propose_decision(member, listing, "warning", now=HEARING_AT - dt.timedelta(minutes=1))
    assert refused.value.field == "proposed_outcome"
    with pytest.raises(HearingError, match="has not started"):
        decisions.record_attendance(officer, listing, "attended", "warning", member, now=dt.datetime(2026, 3, 29))
    decisions.propose_decision(member, listing, "warning", now=HEARING_AT)
    assert listing.proposed_outcome.value == "warning"


@pytest.mark.parametrize(("starts_at", "words"), [
    (dt.datetime(2026, 3, 2, 10), "in the past"),  # before TODAY
    (dt.datetime(2026, 4, 3, 10), "weekend or bank holiday"),  # Good Friday 2026
    (dt.datetime(2026, 4, 4, 10), "weekend or bank holiday"),  # a Saturday
])
def test_a_hearing_in_the_past_or_on_a_non_working_day_needs_a_reason(ctx, starts_at, words):
    officer, chair = staff("officer", "date-officer@x.gov.uk"), staff("panel", "date-chair@x.gov.uk")
    default_body(officer)
    args = (officer, starts_at, "Committee Room 1", "Licensing sub-committee", chair.id)
    with pytest.raises(HearingError, match=words) as refused:
        ops.create_hearing(*args, today=dt.date(2026, 3, 9))
    assert refused.value.field == "date_override_reason"
    sitting = ops.create_hearing(*args, today=dt.date(2026, 3, 9), date_override_reason="Entering the 2016 records")
    created = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.created",
                                                                 entity_id=sitting.id)).scalar_one()
    assert created.reason == "Entering the 2016 records" and words.split()[-1] in created.after["date_override"]
    assert ops.create_hearing(officer, dt.datetime(2026, 4, 7, 10), "Room 2", "Licensing sub-committee", chair.id,
                              today=dt.date(2026, 3, 9)).id  # a working day ahead needs nothing


def test_a_case_moves_only_to_a_scheduled_hearing_still_to_come(listed):
    from licensing.hearings.queries import other_hearings

    officer, chair, listing = listed
    earlier = hearing(officer, chair, starts_at=dt.datetime(2020, 1, 1, 10))
    later = hearing(officer, chair, starts_at=dt.datetime(2026, 5, 12, 10))
    cancelled = hearing(officer, chair, starts_at=dt.datetime(2026, 5, 14, 10))
    ops.set_status(officer, cancelled, "cancelled", reason="Room not available")
    offered = other_hearings(listing.hearing, today=dt.date(2026, 4, 1))
    assert [h.id for h in offered] == [later.id]  # neither the 2020 one nor the cancelled one
    assert earlier.id in [h.id for h in other_hearings(listing.hearing, today=dt.date(2019, 12, 1))]

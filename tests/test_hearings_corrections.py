"""A hearing decision is corrected only through "Correct this decision": a reason is required, the
decision is kept, the letter is a new version, and a new notice date re-runs the effect rule on the
enforcement action so that its dates are the corrected letter's (legal review L7, feature review D4)."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as ops
from licensing.models import (
    ActionStatus,
    AuditEvent,
    EnforcementAction,
    HearingDecision,
    HearingListing,
    IssuedLetter,
    User,
)
from licensing.policy.statutory import rule_for
from licensing.revocations.operations import appeal_is_late, lodge_appeal
from licensing.text import govuk_date
from tests.conftest import login
from tests.support.hearings import HEARING_AT, TODAY, awaiting_case, hearing, seated_ids, staff
from tests.support.pdf import pdf_text

DAY = HEARING_AT.date()  # 30 March 2026
NOTICE = dt.date(2026, 3, 31)
LATER_NOTICE = dt.date(2026, 4, 2)


def _parts(day):
    return [str(day.day), str(day.month), str(day.year)]


def _listed(app, users, ref="COR1"):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        chair = staff("panel", f"{ref.lower()}-chair@x.gov.uk")
        listing = ops.list_case(officer, hearing(officer, chair), awaiting_case(officer, ref), today=TODAY)
        db.session.commit()
        return listing.id


def _form(**extra):
    return {"outcome": "revoke", "reasons": "Dishonest conduct", "decision_date": _parts(DAY),
            "notice_date": _parts(NOTICE), **extra}


def _decided(app, client, users, ref="COR1", **extra):
    listing_id = _listed(app, users, ref)
    login(client, users["officer"])
    response = client.post(f"/hearings/listings/{listing_id}/decision",
                           data=_form(present_ids=seated_ids(app, listing_id), **extra))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        decision = decisions.current_decision(db.session.get(HearingListing, listing_id))
        return listing_id, decision.id


def _correct(client, listing_id, corrects_id, **extra):
    data = _form(correction_reason="The notice was handed over two days later", corrects_id=str(corrects_id),
                 notice_date=_parts(LATER_NOTICE))
    data.update(extra)
    return client.post(f"/hearings/listings/{listing_id}/correction", data=data)


def _counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count()).select_from(HearingDecision)),
                db.session.scalar(sa.select(sa.func.count()).select_from(IssuedLetter)))


def _action(decision_id):
    return db.session.get(EnforcementAction, db.session.get(HearingDecision, decision_id).action_id)


def test_reposting_the_decision_is_refused_and_changes_nothing(app, client, users):
    listing_id, first_id = _decided(app, client, users)
    page = client.get(f"/hearings/listings/{listing_id}").get_data(as_text=True)
    assert "Correct this decision" in page and "Issue corrected decision" in page
    assert "Record the decision maker&#39;s decision" not in page and "Issue decision<" not in page
    before = _counts(app)
    with app.app_context():
        action_before = _action(first_id).notice_date
    refused = client.post(f"/hearings/listings/{listing_id}/decision",
                          data=_form(notice_date=_parts(LATER_NOTICE), reasons="Re-submitted"))
    assert refused.status_code == 200
    assert "A decision has been issued. Use &#39;Correct this decision&#39; to correct it." in \
        refused.get_data(as_text=True)
    assert _counts(app) == before
    with app.app_context():
        listing = db.session.get(HearingListing, listing_id)
        assert decisions.current_decision(listing).id == first_id
        assert _action(first_id).notice_date == action_before == NOTICE


def test_a_correction_with_a_later_notice_redates_the_action_and_its_letter_agrees(app, client, users):
    listing_id, first_id = _decided(app, client, users)
    with app.app_context():
        action = _action(first_id)
        assert (action.effective_date, action.served_on) == (dt.date(2026, 4, 22), NOTICE)
    response = _correct(client, listing_id, first_id)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        correction = decisions.current_decision(db.session.get(HearingListing, listing_id))
        action = _action(correction.id)
        assert correction.supersedes_id == first_id and correction.action_id == _action(first_id).id
        assert (action.notice_date, action.served_on, action.status) == (LATER_NOTICE, LATER_NOTICE,
                                                                         ActionStatus.PENDING)
        deadline = rule_for(action.licence.licence_type, action.statutory_decision, DAY).appeal_deadline(
            action.served_on)
        assert deadline == dt.date(2026, 4, 23) and action.effective_date == dt.date(2026, 4, 24)
        letter_id = correction.letter_id
        redated = db.session.execute(sa.select(AuditEvent).filter_by(action="enforcement_action.redated")).scalar_one()
        assert redated.before["effective_date"] == "2026-04-22" and redated.after["effective_date"] == "2026-04-24"
        assert redated.before["served_on"] == "2026-03-31" and redated.after["served_on"] == "2026-04-02"
        audit = db.session.execute(sa.select(AuditEvent).filter_by(action="hearing.decision")
                                   .order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
        assert audit.after["correction_reason"] == "The notice was handed over two days later"
        assert audit.after["supersedes_id"] == first_id
    text = pdf_text(client.get(f"/hearings/letters/{letter_id}").data)
    assert "Corrected letter, version 2" in text
    assert f"appeal period ends on {govuk_date(deadline)}" in text
    assert f"takes effect on {govuk_date(action.effective_date)}" in text
    assert "22 April 2026" not in text

    # An appeal lodged on the corrected letter's last day is in time, and holds the action.
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        action = db.session.get(EnforcementAction, action.id)
        appeal = lodge_appeal(officer, action.licence, subject="", lodged_on=deadline, action=action,
                              today=dt.date(2026, 4, 30))
        assert appeal.notice_on == LATER_NOTICE and not appeal_is_late(appeal)
        assert action.status == ActionStatus.PENDING and action.effective_date is None  # held by the appeal


def test_a_letter_corrected_before_it_went_out_is_not_sent(app, client, users):
    from licensing.letters.issue import find_letter_email
    from licensing.models import EmailStatus, LicenceHolder

    listing_id = _listed(app, users, "COR9")
    with app.app_context():
        holder = db.session.get(HearingListing, listing_id).case.holder
        holder.email = "cor9@example.com"
        db.session.commit()
    login(client, users["officer"])
    client.post(f"/hearings/listings/{listing_id}/decision", data=_form(present_ids=seated_ids(app, listing_id)))
    with app.app_context():
        first = decisions.current_decision(db.session.get(HearingListing, listing_id))
        first_id, holder = first.id, db.session.get(LicenceHolder, first.listing.case.holder_id)
        assert find_letter_email(first.letter).status == EmailStatus.QUEUED  # not sent yet
        first_letter_id, channel = first.letter_id, find_letter_email(first.letter).channel
    assert _correct(client, listing_id, first_id).status_code == 302
    with app.app_context():
        correction = decisions.current_decision(db.session.get(HearingListing, listing_id))
        assert find_letter_email(db.session.get(IssuedLetter, first_letter_id)) is None
        assert find_letter_email(correction.letter).status == EmailStatus.QUEUED
        assert find_letter_email(correction.letter).channel == channel
        withdrawn = db.session.execute(sa.select(AuditEvent).filter_by(action="letter.send_withdrawn")).scalar_one()
        assert withdrawn.entity_id == first_letter_id and withdrawn.holder_id == holder.id
        assert f"#{correction.letter_id}" in withdrawn.reason
        assert db.session.get(IssuedLetter, first_letter_id) is not None  # the letter itself is kept


def test_a_third_version_says_version_3(app, client, users):
    listing_id, first_id = _decided(app, client, users)
    assert _correct(client, listing_id, first_id).status_code == 302
    with app.app_context():
        second_id = decisions.current_decision(db.session.get(HearingListing, listing_id)).id
    # The page opened before the second correction is stale.
    stale = _correct(client, listing_id, first_id, reasons="Dishonest conduct, corrected again")
    assert stale.status_code == 200
    assert "This decision has been corrected since you opened the page; reload" in stale.get_data(as_text=True)
    third = _correct(client, listing_id, second_id, reasons="Dishonest conduct, corrected again",
                     correction_reason="Reasons were incomplete")
    assert third.status_code == 302
    with app.app_context():
        current = decisions.current_decision(db.session.get(HearingListing, listing_id))
        assert decisions.version_of(current) == 3 and current.supersedes_id == second_id
        text = pdf_text(db.session.get(IssuedLetter, current.letter_id).content)
        assert "Corrected letter, version 3" in text and f"HD-{second_id:06d}" in text
        # The dates did not change this time, so the action was redated once only.
        assert len(db.session.execute(sa.select(AuditEvent).filter_by(
            action="enforcement_action.redated")).all()) == 1


def test_a_correction_without_a_reason_is_refused(app, client, users):
    listing_id, first_id = _decided(app, client, users)
    before = _counts(app)
    refused = _correct(client, listing_id, first_id, correction_reason="")
    assert refused.status_code == 200 and "Give the reason for the correction" in refused.get_data(as_text=True)
    assert _counts(app) == before
    with app.app_context():
        assert _action(first_id).notice_date == NOTICE
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        listing = db.session.get(HearingListing, listing_id)
        first = db.session.get(HearingDecision, first_id)
        try:
            decisions.record_decision(officer, listing, outcome="revoke", reasons="x", decided_by=listing.hearing.chair,
                                      decision_date=DAY, notice_date=NOTICE, corrects=first, correction_reason=" ")
        except decisions.HearingError as error:
            assert error.field == "correction_reason"
        else:
            raise AssertionError("a correction without a reason was accepted")


def test_an_immediate_action_in_effect_cannot_be_redated(app, client, users):
    extra = {"immediate": "y", "public_safety_reason": "Risk to passengers"}
    listing_id, first_id = _decided(app, client, users, "COR5", **extra)
    with app.app_context():
        action = _action(first_id)
        assert action.status == ActionStatus.EFFECTIVE and action.effective_date == NOTICE
    before = _counts(app)
    refused = _correct(client, listing_id, first_id, **extra)
    assert refused.status_code == 200
    assert "already taken effect" in refused.get_data(as_text=True)
    assert _counts(app) == before
    with app.app_context():
        action = _action(first_id)
        assert (action.notice_date, action.served_on, action.effective_date) == (NOTICE, NOTICE, NOTICE)
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="enforcement_action.redated")).first() \
            is None
    # Its wording can still be corrected when the dates stay.
    worded = _correct(client, listing_id, first_id, notice_date=_parts(NOTICE), reasons="Dishonest conduct (2)",
                      **extra)
    assert worded.status_code == 302


def test_a_suspension_keeps_its_length_when_redated(app, client, users):
    extra = {"outcome": "suspend", "suspension_to": _parts(dt.date(2026, 6, 30))}
    listing_id, first_id = _decided(app, client, users, "COR6", **extra)
    with app.app_context():
        action = _action(first_id)
        assert (action.suspension_from, action.suspension_to) == (dt.date(2026, 4, 22), dt.date(2026, 6, 30))
    assert _correct(client, listing_id, first_id, **extra).status_code == 302
    with app.app_context():
        correction = decisions.current_decision(db.session.get(HearingListing, listing_id))
        action = _action(correction.id)
        assert (action.suspension_from, action.suspension_to) == (dt.date(2026, 4, 24), dt.date(2026, 7, 2))
        assert correction.suspension_to == dt.date(2026, 7, 2)
        assert "The suspension lasts until 2 July 2026" in pdf_text(correction.letter.content)
    changed = _correct(client, listing_id, correction.id, outcome="suspend",
                       suspension_to=_parts(dt.date(2026, 8, 31)))
    assert changed.status_code == 200 and "keeps the length of the suspension" in changed.get_data(as_text=True)

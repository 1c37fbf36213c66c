"""Property-based: over decision, notice and service dates, immediate or not, an enforcement
action's dates always equal those its latest letter gives the holder (the last day to appeal, the
day it is treated as served and the day it takes effect), and after an appeal of any outcome, in
time or late, the action is where the effect rule (`licensing.revocations.effects.resolve`) says.

Three ways an action and its letter come about: an officer's immediate suspension or revocation
(`take_immediate_action`), an officer's refusal of an application (`decide_application`, any
method of service) and a hearing's decision (`record_decision`: suspension, revocation, or refusal
of a waiting application). Each example builds its own holder and licence inside a savepoint that
is rolled back after it."""

import datetime as dt
import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as hearing_ops
from licensing.holders.operations.licences import apply_for_licence, pending_application
from licensing.models import ActionStatus, EnforcementAction, LicenceType, VariedKind
from licensing.policy import service
from licensing.policy.service import deemed_served_on
from licensing.policy.statutory import rule_for
from licensing.reviews.operations import cases as review_ops
from licensing.revocations import effects
from licensing.revocations.immediate import take_immediate_action
from licensing.revocations.operations import appeal_is_late, lodge_appeal, record_appeal_outcome
from licensing.text import govuk_date
from tests.support import register
from tests.support.hearings import awaiting_case, hearing, staff
from tests.support.pdf import pdf_text
from tests.support.people import authoriser_for
from tests.support.reviews import holder

TODAY = dt.date.today()
APPEAL_DAYS = dt.timedelta(days=21)
DRIVERS = [t for t in LicenceType if t.is_driver]
ALL_TYPES = list(LicenceType)
METHODS = sorted(service.methods(TODAY))
REFS = itertools.count(1)
PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Decided within the last 200 days; at least 40 days ago, so that the 21-day appeal period (from
# service up to 14 days plus post after the decision) can run out and an appeal be late.
DAYS_AGO = st.integers(min_value=40, max_value=200)
NOTICE_AFTER = st.integers(min_value=0, max_value=14)
# Days from service to lodging an appeal: either side of the last day (21) as often as anywhere else.
LODGED_AFTER = st.one_of(st.sampled_from([20, 21, 22]), st.integers(min_value=0, max_value=45))
DATE = r"(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})"


@pytest.fixture
def team(ctx):
    return {"officer": staff("officer", "prop-officer@x.gov.uk"), "chair": staff("panel", "prop-chair@x.gov.uk")}


def _ref(prefix):
    return f"{prefix}{next(REFS):05d}"


def _date(text, pattern):
    """The one date the letter gives in the sentence `pattern` (with DATE where the date is)."""
    found = re.findall(pattern.replace("DATE", DATE), text)
    assert len(found) == 1, (pattern, text)
    return dt.datetime.strptime(found[0], "%d %B %Y").date()


def _latest_letter_text(action):
    db.session.refresh(action, ["letters"])
    assert action.letters, "the action has no letter"
    return pdf_text(action.letters[-1].content)


def _in_savepoint(body):
    savepoint = db.session.begin_nested()
    try:
        body()
    finally:
        savepoint.rollback()


# --- appeals ---------------------------------------------------------------------------------

def _draw_appeal(data, action):
    """None (no appeal), or (lodged_on, outcome or None, decided_on, varied terms) within what the
    court could have done by today: lodged up to 45 days after service, in time or late."""
    if not data.draw(st.booleans(), label="appealed"):
        return None
    lodged_on = min(action.served_on + dt.timedelta(days=data.draw(LODGED_AFTER, label="lodged_after")),
                    TODAY)
    outcomes = [None, *effects.OUTCOMES]
    if action.kind.value == "refusal":
        outcomes.remove(effects.VARIED)  # only a suspension or revocation can be varied
    outcome = data.draw(st.sampled_from(outcomes), label="outcome")
    decided_on = min(lodged_on + dt.timedelta(days=data.draw(st.integers(0, 60), label="decided_after")), TODAY)
    varied = {}
    if outcome == effects.VARIED:
        kind = data.draw(st.sampled_from(list(VariedKind)), label="varied_kind")
        varied = {"varied_kind": kind.value,
                  "varied_suspension_to": decided_on + dt.timedelta(days=28) if kind == VariedKind.SUSPENSION
                  else None}
    return lodged_on, outcome, decided_on, varied


def _check_appeal(team, action, drawn):
    """Lodge (and decide) the drawn appeal; the action then stands where `effects.resolve`,
    worked out here from the drawn dates alone, puts it."""
    if drawn is None:
        return
    lodged_on, outcome, decided_on, varied = drawn
    served_on, immediate, decision_date = action.served_on, action.immediate, action.decision_date
    officer = team["officer"]
    appeal = lodge_appeal(officer, action.licence, action=action, subject="", lodged_on=lodged_on, today=TODAY)
    assert appeal.notice_on == served_on
    assert appeal_is_late(appeal) == (lodged_on > served_on + APPEAL_DAYS)
    if outcome is not None:
        record_appeal_outcome(officer, appeal, outcome=outcome, decided_on=decided_on, today=TODAY, **varied)
    db.session.refresh(action)
    facts = effects.AppealFacts(lodged_on=lodged_on, outcome=outcome,
                                decided_on=decided_on if outcome is not None else None)
    # A refused new application has no s.77(2) stay: it stands from service whatever the appeal.
    stay = action.statutory_decision != "refuse_new"
    effect = effects.resolve(decision_date, served_on, immediate=immediate, appeals=[facts], stay=stay)
    context = {"lodged_on": lodged_on, "outcome": outcome, "decided_on": decided_on, "effect": effect,
               "action": (action.status, action.effective_date, action.cancelled_on)}
    if effect.cancelled_on is not None:
        assert action.status == ActionStatus.CANCELLED and action.cancelled_on == effect.cancelled_on, context
    elif effect.held:
        assert action.status == ActionStatus.PENDING and action.effective_date is None, context
    else:
        assert action.effective_date == effect.effective_on, context
        in_force = immediate or (action.service_recorded_on is not None and effect.effective_on <= TODAY)
        assert action.status == (ActionStatus.EFFECTIVE if in_force else ActionStatus.PENDING), context


# --- an officer's immediate action -------------------------------------------------------------

@PROPERTY
@given(data=st.data(), licence_type=st.sampled_from(DRIVERS), kind=st.sampled_from(["suspension", "revocation"]),
       days_ago=DAYS_AGO)
def test_an_officers_immediate_action_and_its_notice_agree(team, data, licence_type, kind, days_ago):
    day = TODAY - dt.timedelta(days=days_ago)

    def example():
        person = holder(_ref("IMM"), licence_type=licence_type)
        action = take_immediate_action(team["officer"], person.licences[0], kind, grounds="Arrested",
                                       public_safety_reason="Risk to passengers", police_information=True,
                                       authorised_by_id=authoriser_for(team["officer"]).id, today=day,
                                       suspension_to=day + dt.timedelta(days=28) if kind == "suspension" else None)
        rule = rule_for(licence_type, kind, day)
        assert action.immediate and action.decision_date == action.notice_date == day
        assert action.served_on == deemed_served_on("hand", day)
        text = _latest_letter_text(action)
        assert _date(text, r"takes effect immediately, on DATE,") == action.effective_date == action.served_on
        assert _date(text, r"that is by DATE\.") == rule.appeal_deadline(action.served_on)
        assert f"given by hand on {govuk_date(day)}" in text
        _check_appeal(team, action, _draw_appeal(data, action))

    _in_savepoint(example)


# --- an officer's refusal of an application ------------------------------------------------------

@PROPERTY
@given(data=st.data(), licence_type=st.sampled_from(ALL_TYPES), days_ago=DAYS_AGO, notice_after=NOTICE_AFTER,
       method=st.sampled_from(METHODS))
def test_an_officers_refusal_and_its_notice_agree(team, data, licence_type, days_ago, notice_after, method):
    decided_on = TODAY - dt.timedelta(days=days_ago)
    notice_date = decided_on + dt.timedelta(days=notice_after)

    def example():
        licence = _application(team["officer"], licence_type, decided_on)
        if method == "email":  # e-mail is good service only with the holder's agreement
            licence.holder.email = licence.holder.email or "holder@example.test"
            licence.holder.email_service_consent_on = decided_on
        result = decide_application(team["officer"], pending_application(licence), outcome="refused",
                                    capacity="delegated_officer", decided_on=decided_on,
                                    reasons="Not a fit and proper person", service_method=method,
                                    notice_date=notice_date)
        action = result.action
        rule = rule_for(licence_type, "refuse_new", decided_on)
        assert (action.decision_date, action.notice_date, action.service_method) == (decided_on, notice_date, method)
        assert action.served_on == deemed_served_on(method, notice_date)
        assert action.letters[-1].id == result.letter.id
        text = _latest_letter_text(action)
        assert _date(text, r"treated as served on DATE") == action.served_on
        assert _date(text, r"The last day to appeal is DATE:") == rule.appeal_deadline(action.served_on)
        assert _date(text, r"Date of notice: DATE") == notice_date
        _check_appeal(team, action, _draw_appeal(data, action))

    _in_savepoint(example)


def _application(officer, licence_type, decided_on):
    ref = _ref("APP")
    person = register.person(officer, last_name=f"Applicant{ref}")
    vehicle = register.vehicle(officer, person, registration=f"PR{ref[-4:]}X", plate=f"P{ref}") \
        if licence_type.is_vehicle else None
    return apply_for_licence(officer, person, licence_type=licence_type.value, licence_number=ref,
                             received_on=decided_on - dt.timedelta(days=10), vehicle=vehicle)


# --- a hearing's decision ------------------------------------------------------------------------

HEARING_OUTCOMES = {"suspend": "suspension", "revoke": "revocation", "refuse": "refuse_new"}


@st.composite
def hearing_decisions(draw, outcomes):
    outcome = draw(st.sampled_from(outcomes))
    licence_type = draw(st.sampled_from(ALL_TYPES))
    immediate = outcome != "refuse" and licence_type.is_driver and draw(st.booleans())
    return outcome, licence_type, immediate


@PROPERTY
@given(data=st.data(), decision=hearing_decisions(["suspend", "revoke"]), days_ago=DAYS_AGO,
       notice_after=NOTICE_AFTER)
def test_a_hearings_suspension_or_revocation_and_its_letter_agree(team, data, decision, days_ago, notice_after):
    _check_hearing_decision(team, data, decision, days_ago, notice_after)


# A hearing's refusal of a new application: no s.77(2) stay, so it takes effect when its notice is
# served, and the hearing's letter gives the action's date (this once disagreed).
@settings(PROPERTY)
@given(data=st.data(), decision=hearing_decisions(["refuse"]), days_ago=DAYS_AGO, notice_after=NOTICE_AFTER)
def test_a_hearings_refusal_and_its_letter_agree(team, data, decision, days_ago, notice_after):
    _check_hearing_decision(team, data, decision, days_ago, notice_after)


def _check_hearing_decision(team, data, decision, days_ago, notice_after):
    outcome, licence_type, immediate = decision
    decision_date = TODAY - dt.timedelta(days=days_ago)
    notice_date = decision_date + dt.timedelta(days=notice_after)

    def example():
        officer, chair = team["officer"], team["chair"]
        case = _refusal_case(officer, licence_type, decision_date) if outcome == "refuse" else \
            awaiting_case(officer, _ref("HRG"), licence_type=licence_type)
        sitting = hearing(officer, chair, starts_at=dt.datetime.combine(decision_date, dt.time(10)))
        listing = hearing_ops.list_case(officer, sitting, case, today=decision_date - dt.timedelta(days=35))
        extra = {"suspension_to": decision_date + dt.timedelta(days=90)} if outcome == "suspend" else {}
        if immediate:
            extra["public_safety_reason"] = "Risk to passengers"
        made = decisions.record_decision(officer, listing, outcome=outcome, reasons="Reasons given at the hearing",
                                         decided_by=chair, decision_date=decision_date, notice_date=notice_date,
                                         immediate=immediate, today=TODAY, **extra)
        action = db.session.get(EnforcementAction, made.action_id)
        rule = rule_for(licence_type, HEARING_OUTCOMES[outcome], decision_date)
        assert (action.decision_date, action.notice_date, action.immediate) == (decision_date, notice_date, immediate)
        assert action.served_on == deemed_served_on("hand", notice_date)
        assert action.letters[-1].id == made.letter_id
        text = _latest_letter_text(action)
        deadline = rule.appeal_deadline(action.served_on)
        assert _date(text, r"that is by DATE\.") == deadline
        if immediate:
            assert _date(text, r"takes effect immediately, on DATE,") == action.effective_date
        else:
            assert _date(text, r"appeal period ends on DATE\.") == deadline
            assert _date(text, r"If you do not appeal it takes effect on DATE\.") == action.effective_date, (
                action.kind, action.decision, action.effective_date, deadline)
        _check_appeal(team, action, _draw_appeal(data, action))

    _in_savepoint(example)


def _refusal_case(officer, licence_type, decision_date):
    licence = _application(officer, licence_type, decision_date)
    case = review_ops.open_case(officer, licence.holder, "audit", "New application", licences=[licence])
    review_ops.transition(officer, case, review_ops.CaseState.AWAITING_DECISION, "Ready for decision")
    return case

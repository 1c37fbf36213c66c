"""Officers' written warnings, and suspensions and revocations with notice, under delegated powers:
the dates from the rule table, the delegation recorded, the notices, the refusals and the pages."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    ActionStatus,
    AuditEvent,
    EnforcementAction,
    IssuedLetter,
    Licence,
    LicenceStatus,
    LicenceType,
    Role,
    User,
)
from licensing.reviews.operations import cases as case_operations
from licensing.revocations import delegated
from licensing.revocations.errors import RevocationError
from tests.conftest import login
from tests.support import reviews as build
from tests.support.pdf import pdf_text

TODAY = dt.date(2026, 3, 2)  # a Monday: a notice handed over is served the same day
DEADLINE = dt.date(2026, 3, 23)  # 21 days from service
EFFECT = dt.date(2026, 3, 24)  # the day after the time to appeal ends
SCHEME = "Constitution Part 3, Scheme of Delegation to Officers"


def _manager():
    return db.session.execute(sa.select(User).filter_by(role=Role.MANAGER)).scalars().first()


def _act(officer, licence, kind, **overrides):
    fields = dict(grounds="Repeated complaints of overcharging", authorised_by_id=_manager().id, today=TODAY,
                  suspension_to=EFFECT + dt.timedelta(days=13) if kind == "suspension" else None)
    fields.update(overrides)
    return delegated.take_delegated_action(officer, licence, kind, **fields)


def _letter(action):
    return db.session.execute(sa.select(IssuedLetter).filter_by(action_id=action.id)).scalar_one()


def test_a_suspension_takes_effect_after_the_time_to_appeal_and_its_notice_says_so(officer, users):
    licence = build.holder("S1").licences[0]
    action = _act(officer, licence, "suspension")
    db.session.commit()
    assert (action.origin, action.immediate, action.status) == ("officer", False, ActionStatus.PENDING)
    assert action.decision_date == action.notice_date == action.served_on == TODAY
    assert action.effective_date == action.suspension_from == EFFECT
    assert action.suspension_to == EFFECT + dt.timedelta(days=13)
    assert licence.status == LicenceStatus.ACTIVE  # nothing changes until the stay ends
    delegation = db.session.execute(
        sa.select(AuditEvent).filter_by(action="enforcement_action.delegated")).scalar_one()
    assert delegation.after["delegation"] == f"{SCHEME}, delegation LIC/04"
    assert delegation.after["appeal_deadline"] == DEADLINE.isoformat()
    letter = _letter(action)
    assert letter.kind == "delegated_suspension_notice" and letter.filename == f"notice-EA-{action.id:06d}.pdf"
    text = pdf_text(letter.content)
    assert f"EA-{action.id:06d}" in text
    assert ("The council has decided to suspend your licence under section 61(1) of the Local Government "
            "(Miscellaneous Provisions) Act 1976") in text
    assert "Your licence is suspended" not in text  # nothing has happened until it takes effect
    assert "takes effect on 24 March 2026, the day after the time to appeal ends" in text
    assert "The suspension lasts until 6 April 2026" in text
    assert "appeal against this decision to the magistrates' court within 21 days" in text
    assert "that is by 23 March 2026" in text and "section 77(2)" in text
    assert "immediate effect" not in text and "interests of public safety" not in text
    assert "within 7 days of the day the decision takes effect" in text
    assert "Test Manager" in text and f"{SCHEME}, delegation LIC/04" in text


def test_a_revocation_of_a_vehicle_licence_cites_its_own_section_and_the_plates(officer, users):
    licence = build.holder("V1", licence_type=LicenceType.PRIVATE_HIRE_VEHICLE).licences[0]
    action = _act(officer, licence, "revocation")
    assert (action.status, action.effective_date, action.suspension_to) == (ActionStatus.PENDING, EFFECT, None)
    text = pdf_text(_letter(action).content)
    assert ("The council has decided to revoke your licence under section 60(1) of the Local Government "
            "(Miscellaneous Provisions) Act 1976") in text
    assert "that is by 23 March 2026" in text and "the vehicle licence plates" in text
    assert f"{SCHEME}, delegation LIC/05" in text
    assert action.can_be_appealed()


def test_a_warning_takes_effect_when_served_and_carries_no_appeal(officer, users):
    licence = build.holder("W1").licences[0]
    action = _act(officer, licence, "warning", grounds="Parked on the taxi rank while off duty")
    db.session.commit()
    assert (action.kind, action.origin, action.status) == ("warning", "officer", ActionStatus.EFFECTIVE)
    assert action.effective_date == action.served_on == TODAY and action.return_due_on is None
    assert licence.status == LicenceStatus.ACTIVE and not action.can_be_appealed()
    letter = _letter(action)
    assert letter.kind == "delegated_warning_notice" and letter.filename == f"warning-EA-{action.id:06d}.pdf"
    text = pdf_text(letter.content)
    assert "Written warning about your private hire driver licence" in text
    assert "Parked on the taxi rank while off duty" in text
    assert "takes effect when this notice is served on you, on 2 March 2026" in text
    assert "There is no right of appeal to a court against a written warning" in text
    assert "Your right of appeal" not in text and "section 61" not in text
    assert f"{SCHEME}, delegation LIC/06" in text


def test_a_notice_posted_waits_for_service_and_counts_from_deemed_service(officer, users):
    licence = build.holder("P1").licences[0]
    action = _act(officer, licence, "revocation", service_method="first_class_post")
    assert action.served_on > TODAY and action.service_recorded_on is None
    assert action.effective_date == action.served_on + dt.timedelta(days=22)


def _refused(officer, licence, kind, field, match, **overrides):
    with pytest.raises(RevocationError, match=match) as refused:
        _act(officer, licence, kind, **overrides)
    assert refused.value.field == field


def test_refusals_are_at_their_fields_and_write_nothing(officer, users):
    holder = build.holder("R1")
    licence = holder.licences[0]
    other = build.holder("R2")
    case = case_operations.open_case(officer, other, "complaint", "Another driver", licences=[other.licences[0]])
    panel = db.session.execute(sa.select(User).filter_by(role=Role.PANEL)).scalar_one()
    db.session.commit()
    _refused(officer, licence, "warning", "grounds", "Enter the grounds", grounds="  ")
    _refused(officer, licence, "suspension", "suspension_to", "Enter the last day", suspension_to=None)
    _refused(officer, licence, "suspension", "suspension_to", "on or after 24 March 2026",
             suspension_to=EFFECT - dt.timedelta(days=1))
    _refused(officer, licence, "revocation", "suspension_to", "blank for a revocation", suspension_to=EFFECT)
    _refused(officer, licence, "revocation", "authorised_by_id", "you cannot authorise an action you record",
             authorised_by_id=officer.id)
    _refused(officer, licence, "revocation", "authorised_by_id", "Choose the officer who authorised",
             authorised_by_id=panel.id)
    _refused(officer, licence, "refusal", "kind", "Choose a warning, a suspension or a revocation")
    _refused(officer, licence, "warning", "case_id", "about the licence holder", case=case)
    _refused(officer, licence, "warning", "service_method", "not agreed to be served notices by e-mail",
             service_method="email")
    _refused(officer, licence, "warning", "decision_date", "future", decision_date=TODAY + dt.timedelta(days=1))
    db.session.rollback()
    lapsed = build.holder("R3", status=LicenceStatus.EXPIRED).licences[0]
    _refused(officer, lapsed, "warning", "kind", "not in force")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(EnforcementAction.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(IssuedLetter.id))) == 0
    assert db.session.execute(sa.select(AuditEvent).filter(
        AuditEvent.action.in_(["enforcement_action.taken", "enforcement_action.delegated"]))).first() is None


def _answers(manager_id, kind="suspension", **extra):
    end = dt.date.today() + dt.timedelta(days=60)
    answers = {"kind": kind, "grounds": "Failed to report a conviction", "service_method": "hand",
               "authorised_by_id": str(manager_id), "version": "1"}
    if kind == "suspension":
        answers["suspension_to"] = [str(end.day), str(end.month), str(end.year)]
    return {**answers, **extra}


def test_the_pages_check_then_confirm_then_show_the_action_and_its_notice(app, client, users):
    with app.app_context():
        licence_id = build.holder("F1").licences[0].id
        officer_id, manager_id = build.user(users["officer"]).id, build.user(users["manager"]).id
        db.session.commit()
    login(client, users["officer"])
    licence_page = client.get(f"/holders/licences/{licence_id}").get_data(as_text=True)
    url = f"/revocations/licences/{licence_id}/delegated-action"
    assert url in licence_page and "Warn, suspend or revoke under delegated powers" in licence_page
    html = client.get(url).get_data(as_text=True)
    # The last day is revealed under "Suspension" only, and the recorder is not offered as authoriser.
    reveal = html.index('class="govuk-radios__conditional')
    assert html.index('value="warning"') < html.index('value="suspension"') < reveal < html.index(
        'name="suspension_to"') < html.index('value="revocation"')
    choices = re.search(r'<select[^>]*id="authorised_by_id".*?</select>', html, re.S).group(0)
    assert f'value="{manager_id}"' in choices and f'value="{officer_id}"' not in choices

    refused = client.post(url, data=_answers(manager_id, suspension_to=""))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and text.count("Enter the last day of the suspension") == 2

    check = client.post(url, data=_answers(manager_id)).get_data(as_text=True)
    assert "Check the suspension before you issue it" in check
    assert "delegation LIC/04" in check and "No right of appeal" not in check
    with app.app_context():
        assert db.session.execute(sa.select(EnforcementAction)).first() is None
    back = client.post(url, data=_answers(manager_id, step="change")).get_data(as_text=True)
    assert "Warn, suspend or revoke under delegated powers" in back and "Failed to report a conviction" in back

    done = client.post(url, data=_answers(manager_id, step="confirm"))
    assert done.status_code == 302
    with app.app_context():
        action = db.session.execute(sa.select(EnforcementAction)).scalar_one()
        action_id, letter_id = action.id, action.letters[0].id
        assert (action.kind, action.origin, action.immediate) == ("suspension", "officer", False)
        assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE
    assert done.location.endswith(f"/revocations/actions/{action_id}")
    page = client.get(done.location).get_data(as_text=True)
    assert "Failed to report a conviction" in page and f"/reviews/letters/{letter_id}" in page
    notice = pdf_text(client.get(f"/reviews/letters/{letter_id}").data)
    assert "delegation LIC/04" in notice and "section 77(2)" in notice


def test_a_warning_through_the_pages_and_who_may_use_them(app, client, users):
    with app.app_context():
        licence_id = build.holder("F2").licences[0].id
        manager_id = build.user(users["manager"]).id
        db.session.commit()
    url = f"/revocations/licences/{licence_id}/delegated-action"
    login(client, users["panel"])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, data=_answers(manager_id, "warning", step="confirm")).status_code in (403, 404)
    client.post("/auth/logout")
    login(client, users["officer"])
    check = client.post(url, data=_answers(manager_id, "warning")).get_data(as_text=True)
    assert "Check the written warning before you issue it" in check and "No right of appeal" in check
    assert client.post(url, data=_answers(manager_id, "warning", step="confirm")).status_code == 302
    with app.app_context():
        action = db.session.execute(sa.select(EnforcementAction)).scalar_one()
        assert (action.kind, action.status) == ("warning", ActionStatus.EFFECTIVE)
        assert action.letters[0].kind == "delegated_warning_notice"

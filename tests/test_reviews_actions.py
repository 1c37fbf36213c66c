"""Officers' immediate suspension or revocation and the notice letter."""

import datetime as dt
import hashlib
import re

import pytest
import sqlalchemy as sa
from flask import current_app

from licensing.extensions import db
from licensing.letters.immediate_action import ImmediateActionNotice, build_immediate_action_notice
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
from licensing.reviews.operations import cases as ops
from licensing.reviews.queries import case_timeline
from licensing.revocations import immediate as actions
from licensing.revocations.errors import RevocationError
from tests.conftest import login
from tests.support import reviews as build
from tests.support.pdf import pdf_text as _text

TODAY = dt.date(2026, 3, 2)
PAYLOAD = '<font color="[[[x]]]">Arrested</font> & <b>charged</b>'


def _authoriser():
    """An account other than the recording officer's: the policy forbids authorising one's own action."""
    return db.session.execute(sa.select(User).filter_by(role=Role.MANAGER)).scalars().first()


def _act(officer, licence, **overrides):
    fields = dict(grounds="Charged with assault on a passenger", public_safety_reason="Risk to passengers",
                  police_information=True, authorised_by_id=_authoriser().id, today=TODAY,
                  suspension_to=TODAY + dt.timedelta(days=28))
    if overrides.get("kind") == "revocation" or overrides.get("interim_pending_hearing"):
        fields["suspension_to"] = None
    fields.update(overrides)
    return actions.take_immediate_action(officer, licence, fields.pop("kind", "suspension"), **fields)


def test_immediate_revocation_changes_the_licence_and_issues_the_notice(officer, users):
    holder = build.holder("D1")
    licence = holder.licences[0]
    case = ops.open_case(officer, holder, "police_information", "Arrest", licences=[licence])
    manager = build.user(users["manager"])
    action = _act(officer, licence, kind="revocation", case=case, authorised_by_id=manager.id, grounds=PAYLOAD)
    db.session.commit()
    assert licence.status == LicenceStatus.REVOKED
    assert (action.status, action.immediate, action.police_information) == (ActionStatus.EFFECTIVE, True, True)
    assert action.effective_date == action.notice_date == TODAY and action.authorised_by_id == manager.id
    change = db.session.execute(sa.select(AuditEvent).filter_by(action="licence.status")).scalar_one()
    assert (change.before, change.after) == ({"status": "active"}, {"status": "revoked"})
    letter = db.session.execute(sa.select(IssuedLetter)).scalar_one()
    assert letter.sha256 == hashlib.sha256(letter.content).hexdigest() and letter.case_id == case.id
    text = _text(letter.content)
    assert PAYLOAD in text  # the markup is printed literally, not interpreted
    assert "takes effect immediately" in text and "interests of public safety" in text
    assert "Risk to passengers" in text
    assert "magistrates' court within 21 days" in text and "right of appeal remains" in text
    assert "section 61(1) and (2B)" in text and "Test Manager" in text
    actions_on_timeline = [e["action"] for e in case_timeline(case)]
    assert actions_on_timeline == ["case.opened", "enforcement_action.taken"]


def test_interim_suspension_is_refused_unless_the_council_allows_it(officer):
    licence = build.holder("D2").licences[0]
    assert current_app.config["ALLOW_INTERIM_SUSPENSION"] is False
    with pytest.raises(RevocationError, match="does not allow interim suspension") as refused:
        _act(officer, licence, interim_pending_hearing=True)
    assert refused.value.field == "interim_pending_hearing" and licence.status == LicenceStatus.ACTIVE


def test_interim_suspension_pending_a_hearing(officer):
    current_app.config["ALLOW_INTERIM_SUSPENSION"] = True  # the council's policy switch, on
    licence = build.holder("D2").licences[0]
    action = _act(officer, licence, interim_pending_hearing=True)
    db.session.commit()
    assert licence.status == LicenceStatus.SUSPENDED and action.suspension_from == TODAY
    assert action.suspension_to is None and action.interim_pending_hearing
    text = _text(action.letters[0].content)
    assert "interim suspension pending a hearing" in text and "within 21 days" in text
    revoked = _act(officer, licence, kind="revocation")  # a suspended licence may then be revoked
    assert revoked.licence.status == LicenceStatus.REVOKED


@pytest.mark.parametrize(("setup", "overrides", "message"), [
    ({"status": LicenceStatus.REVOKED}, {}, "cannot be given a suspension"),
    ({"licence_type": LicenceType.PRIVATE_HIRE_VEHICLE}, {}, "driver licences only"),
    ({}, {"grounds": " "}, "grounds"),
    ({}, {"public_safety_reason": ""}, "public safety"),
    ({}, {"authorised_by_id": None}, "authorised"),
    ({}, {"kind": "warning"}, "suspension or revocation"),
    ({}, {"kind": "revocation", "interim_pending_hearing": True}, "Only a suspension"),
    ({}, {"suspension_to": dt.date(2026, 3, 1)}, "today or later"),
    ({}, {"suspension_to": None}, "last day of the suspension"),
])
def test_refused_actions_leave_the_licence_alone(officer, setup, overrides, message):
    licence = build.holder("D3", **setup).licences[0]
    db.session.commit()
    status = licence.status
    with pytest.raises(RevocationError, match=message):
        _act(officer, licence, **overrides)
    db.session.rollback()
    assert licence.status == status
    assert db.session.scalar(sa.select(sa.func.count(EnforcementAction.id))) == 0


def test_panel_members_cannot_be_authorisers(ctx, users):
    officer, panel = build.user(users["officer"]), build.user(users["panel"])
    with pytest.raises(RevocationError, match="authorised"):
        _act(officer, build.holder("D4").licences[0], authorised_by_id=panel.id)


def test_letter_builder_escapes_every_field():
    notice = ImmediateActionNotice(
        council_name="Council <b>", holder_name='<font color="[[[x]]]">Pat</font>', holder_address="1 <i>Road",
        licence_number="L1", licence_type="Private hire driver", kind="suspension", notice_date=TODAY,
        effective_date=TODAY, grounds="a < b", public_safety_reason="<br/>", immediate=True,
        interim_pending_hearing=False, suspension_to=dt.date(2026, 4, 1), authorised_by="Officer", reference="EA-1")
    text = _text(build_immediate_action_notice(notice))
    assert '<font color="[[[x]]]">Pat</font>' in text and "a < b" in text and "<br/>" in text
    assert "The suspension lasts until 1 April 2026" in text


def test_action_pages_and_letter_download(app, client, users):
    with app.app_context():
        licence_id = build.holder("D5").licences[0].id
        officer_id = build.user(users["manager"]).id  # the authoriser: not the officer recording it
        db.session.commit()
    login(client, users["officer"])
    form = client.get(f"/reviews/licences/{licence_id}/immediate-action")
    assert form.status_code == 200
    # The suspension's last day is revealed under "Suspension", not shown for a revocation.
    html = form.get_data(as_text=True)
    reveal = html.index('class="govuk-radios__conditional')
    assert html.index('value="suspension"') < reveal < html.index('name="suspension_to"') < html.index(
        'value="revocation"')
    response = client.post(f"/reviews/licences/{licence_id}/immediate-action",
                           data={"kind": "suspension", "grounds": "g", "public_safety_reason": "",
                                 "authorised_by_id": officer_id, "version": "1"})
    assert response.status_code == 200 and "Explain why immediate effect is needed" in response.get_data(as_text=True)
    response = client.post(f"/reviews/licences/{licence_id}/immediate-action",
                           data={"kind": "suspension", "grounds": "Police report", "public_safety_reason": "Danger",
                                 "police_information": "y", "authorised_by_id": officer_id, "version": "1"})
    # An officer's suspension has an end (legal review E7): a date, or an interim suspension's hearing.
    assert response.status_code == 200 and "Enter the last day of the suspension" in response.get_data(as_text=True)
    assert "Interim suspension pending a hearing" not in response.get_data(as_text=True)  # off by default (H6)
    end = dt.date.today() + dt.timedelta(days=28)
    response = client.post(f"/reviews/licences/{licence_id}/immediate-action",
                           data={"kind": "suspension", "grounds": "Police report", "public_safety_reason": "Danger",
                                 "police_information": "y", "authorised_by_id": officer_id, "version": "1",
                                 "suspension_to": [str(end.day), str(end.month), str(end.year)]})
    # Check before an irreversible action: the answers are shown back, nothing has changed yet.
    check = response.get_data(as_text=True)
    assert response.status_code == 200 and "Check before you suspend this licence" in check
    with app.app_context():
        assert db.session.execute(sa.select(EnforcementAction)).first() is None
    response = client.post(f"/reviews/licences/{licence_id}/immediate-action",
                           data={"kind": "suspension", "grounds": "Police report", "public_safety_reason": "Danger",
                                 "police_information": "y", "authorised_by_id": officer_id, "version": "1",
                                 "suspension_to": [str(end.day), str(end.month), str(end.year)],
                                 "step": "confirm"})
    assert response.status_code == 302
    with app.app_context():
        action = db.session.execute(sa.select(EnforcementAction)).scalar_one()
        letter_id = action.letters[0].id
        assert action.licence.status == LicenceStatus.SUSPENDED
    page = client.get(f"/revocations/actions/{action.id}").get_data(as_text=True)
    assert "Suspended" in page and "Police report" in page
    assert f"/reviews/letters/{letter_id}" in page and "Authorised by" in page  # one page: the action and its notice
    download = client.get(f"/reviews/letters/{letter_id}")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    assert "Police report" in _text(download.data)
    client.post("/auth/logout")
    login(client, users["panel"])
    assert client.get(f"/reviews/letters/{letter_id}").status_code == 404


def test_an_action_taken_earlier_is_dated_that_day_and_its_late_recording_audited(officer):
    licence = build.holder("D9").licences[0]
    with pytest.raises(RevocationError, match="future") as refused:
        _act(officer, licence, taken_on=TODAY + dt.timedelta(days=1))
    assert refused.value.field == "taken_on"
    action = _act(officer, licence, kind="revocation", taken_on=TODAY - dt.timedelta(days=3))
    assert action.decision_date == action.notice_date == action.effective_date == TODAY - dt.timedelta(days=3)
    assert action.taken_on == TODAY
    taken = db.session.execute(sa.select(AuditEvent).filter_by(action="enforcement_action.taken")).scalar_one()
    assert taken.after["recorded_later_on"] == TODAY.isoformat()


def test_an_officer_cannot_authorise_an_action_they_record(officer):
    licence = build.holder("D10").licences[0]
    db.session.commit()
    with pytest.raises(RevocationError, match="you cannot authorise an action you record") as refused:
        _act(officer, licence, authorised_by_id=officer.id)
    assert refused.value.field == "authorised_by_id"
    db.session.rollback()
    assert licence.status == LicenceStatus.ACTIVE
    assert db.session.scalar(sa.select(sa.func.count(EnforcementAction.id))) == 0


def test_the_policy_can_let_the_recording_officer_authorise(officer, monkeypatch):
    monkeypatch.setattr(actions, "authoriser_may_record", lambda on=None: True)
    action = _act(officer, build.holder("D11").licences[0], authorised_by_id=officer.id)
    assert action.authorised_by_id == officer.id


def test_the_policy_data_forbids_self_authorisation():
    from licensing.policy.delegations import authoriser_may_record

    assert authoriser_may_record(TODAY) is False


def test_self_authorisation_is_refused_at_the_field_and_nothing_is_written(app, client, users):
    with app.app_context():
        licence_id = build.holder("D12").licences[0].id
        officer_id, manager_id = build.user(users["officer"]).id, build.user(users["manager"]).id
        db.session.commit()
    login(client, users["officer"])
    form = client.get(f"/reviews/licences/{licence_id}/immediate-action").get_data(as_text=True)
    choices = re.search(r'<select[^>]*id="authorised_by_id".*?</select>', form, re.S).group(0)
    assert f'value="{manager_id}"' in choices and f'value="{officer_id}"' not in choices  # not offered to oneself
    end = dt.date.today() + dt.timedelta(days=28)
    answers = {"kind": "suspension", "grounds": "Police report", "public_safety_reason": "Danger",
               "police_information": "y", "authorised_by_id": officer_id, "version": "1",
               "suspension_to": [str(end.day), str(end.month), str(end.year)]}
    message = "Choose another officer to authorise this: you cannot authorise an action you record"
    for step in ("", "confirm"):  # at the check step, and if the confirmation is posted anyway
        page = client.post(f"/reviews/licences/{licence_id}/immediate-action", data={**answers, "step": step})
        text = page.get_data(as_text=True)
        assert "Check before you suspend this licence" not in text
        assert text.count(message) == 2  # in the error summary and at the field
        assert 'href="#authorised_by_id"' in text and 'id="authorised_by_id-error"' in text
    with app.app_context():
        assert db.session.execute(sa.select(EnforcementAction)).first() is None
        assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE

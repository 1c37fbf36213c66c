"""Section 68: an authorised officer's notice after inspection suspends a vehicle licence until the
defects are put right; not put right within two months of the notice, the licence is deemed
revoked, with a reminder to the holder before (legal review E6)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    ActionKind,
    ActionStatus,
    AuditEvent,
    EnforcementAction,
    IssuedLetter,
    Licence,
    LicenceStatus,
    LicenceType,
)
from licensing.revocations import defects
from licensing.revocations.errors import RevocationError
from licensing.text import govuk_date
from tests.conftest import login
from tests.support.pdf import pdf_text
from tests.support.register import date_parts
from tests.support.training_data import make_driver

TODAY = dt.date.today()


def _vehicle(ref, licence_type=LicenceType.PRIVATE_HIRE_VEHICLE):
    return make_driver(ref, issued_on=TODAY - dt.timedelta(days=100), expires_on=TODAY + dt.timedelta(days=200),
                       licence_type=licence_type)[1]


def test_add_months_keeps_the_day_or_the_months_last_day():
    assert defects.add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert defects.add_months(dt.date(2026, 3, 15), 2) == dt.date(2026, 5, 15)
    assert defects.add_months(dt.date(2026, 11, 30), 2) == dt.date(2027, 1, 30)


def test_officer_suspends_from_the_licence_page_and_records_the_remedy(app, client, users):
    with app.app_context():
        licence_id = _vehicle("V68A").id
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/holders/licences/{licence_id}").get_data(as_text=True)
    assert f"/revocations/licences/{licence_id}/vehicle-defect" in page
    empty = client.post(f"/revocations/licences/{licence_id}/vehicle-defect",
                        data={"version": "1", "inspected_on": date_parts(TODAY), "defects": " "})
    assert empty.status_code == 200 and "Describe the defects" in empty.get_data(as_text=True)
    response = client.post(f"/revocations/licences/{licence_id}/vehicle-defect", data={
        "version": "1", "inspected_on": date_parts(TODAY), "defects": "Nearside front tyre below legal tread",
        "service_method": "hand"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        licence = db.session.get(Licence, licence_id)
        action = db.session.execute(sa.select(EnforcementAction)).scalar_one()
        assert licence.status == LicenceStatus.SUSPENDED
        assert (action.decision, action.status, action.effective_date, action.end_event) == \
            ("vehicle_defect_suspension", ActionStatus.EFFECTIVE, TODAY, "remedy")
        assert action.remedy_by == defects.add_months(TODAY, 2)
        letter = db.session.execute(sa.select(IssuedLetter).filter_by(action_id=action.id)).scalar_one()
        text = pdf_text(letter.content)
        action_id, version = action.id, action.version
    assert "section 68 of the Local Government (Miscellaneous Provisions) Act 1976" in text
    assert "Nearside front tyre below legal tread" in text
    assert f"not put right by {govuk_date(defects.add_months(TODAY, 2))}" in text and "deemed revoked" in text
    detail = client.get(f"/revocations/actions/{action_id}").get_data(as_text=True)
    assert "Section 68: defects to put right" in detail and "No statutory power" not in detail
    response = client.post(f"/revocations/actions/{action_id}/remedied", data={
        "version": str(version), "remedied_on": date_parts(TODAY), "note": "Re-inspected: new tyre fitted"})
    assert response.status_code == 302
    with app.app_context():
        action = db.session.get(EnforcementAction, action_id)
        assert action.remedied_on == TODAY and action.ended_on == TODAY
        assert db.session.get(Licence, licence_id).status == LicenceStatus.ACTIVE
        assert db.session.execute(sa.select(AuditEvent).filter_by(
            action="enforcement_action.ended_on_event", entity_id=action_id)).scalar_one().reason == \
            "Defects put right: Re-inspected: new tyre fitted"


@pytest.mark.parametrize("licence_type", [LicenceType.PRIVATE_HIRE_DRIVER, LicenceType.PRIVATE_HIRE_OPERATOR])
def test_section_68_is_for_vehicle_licences_only(officer, licence_type):
    with pytest.raises(RevocationError, match="vehicle licences only"):
        defects.suspend_for_defect(officer, _vehicle("V68B", licence_type), inspected_on=TODAY, defects="Brakes")


def test_not_put_right_in_two_months_it_is_deemed_revoked_after_a_reminder(officer):
    licence = _vehicle("V68C", LicenceType.HACKNEY_CARRIAGE_VEHICLE)
    notice_on = TODAY - dt.timedelta(days=70)
    action = defects.suspend_for_defect(officer, licence, inspected_on=notice_on, defects="Corroded sill",
                                        today=notice_on)
    remedy_by = defects.add_months(notice_on, 2)
    assert action.remedy_by == remedy_by and licence.status == LicenceStatus.SUSPENDED
    assert defects.send_reminders(None, remedy_by - dt.timedelta(days=15)) == 0
    assert defects.send_reminders(None, remedy_by - dt.timedelta(days=14)) == 1
    assert defects.send_reminders(None, remedy_by - dt.timedelta(days=13)) == 0  # once only
    reminder = db.session.execute(sa.select(IssuedLetter).filter_by(
        action_id=action.id, kind=defects.REMINDER_KIND)).scalar_one()
    assert reminder.issued_by_id == officer.id
    assert f"not put right by {govuk_date(remedy_by)}" in pdf_text(reminder.content)
    assert defects.deem_revocations(None, remedy_by) == 0
    with pytest.raises(RevocationError, match="deemed revoked after"):
        defects.record_remedy(officer, action, remedied_on=remedy_by + dt.timedelta(days=1), note="Fixed",
                              today=remedy_by + dt.timedelta(days=1))
    assert defects.deem_revocations(None, remedy_by + dt.timedelta(days=1)) == 1
    assert (action.kind, licence.status) == (ActionKind.REVOCATION, LicenceStatus.REVOKED)
    assert defects.deem_revocations(None, remedy_by + dt.timedelta(days=2)) == 0


def test_a_manager_cannot_suspend_for_a_defect(app, client, users):
    with app.app_context():
        licence_id = _vehicle("V68D").id
        db.session.commit()
    login(client, users["manager"])
    assert client.get(f"/revocations/licences/{licence_id}/vehicle-defect").status_code == 403


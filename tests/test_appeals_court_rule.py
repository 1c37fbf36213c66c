"""The appeals register and the return tracker read the statutory rule table (legal review L4, L5):
a first appeal goes to the court the rule names (the Crown Court for a refused new hackney
carriage vehicle licence, PHAA 1890 s.7), a further appeal goes from the magistrates' court to the
Crown Court, a Crown Court first appeal has no further appeal here, a decision with no right of
appeal cannot be appealed, and a badge or plate (never an operator's document) is tracked for
return within the rule's days."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.holders.operations.licences import apply_for_licence, pending_application
from licensing.models import ActionStatus, Appeal, AppealCourt, LicenceType
from licensing.policy.statutory import rule_for
from licensing.revocations.errors import RevocationError
from licensing.revocations.operations import (
    apply_due,
    lodge_appeal,
    record_appeal_outcome,
    return_item,
    take_action,
)
from tests.conftest import login
from tests.support import register
from tests.support.register import TODAY


def _licence(officer, licence_type, number):
    holder = register.person(officer, last_name=f"Appellant{number}") if LicenceType(licence_type).is_driver \
        else register.organisation(officer, name=f"Appellant {number} Ltd")
    vehicle = register.vehicle(officer, holder, registration=f"AP{number[-2:]} CDE", plate=f"P{number}") \
        if LicenceType(licence_type).is_vehicle else None
    licence = apply_for_licence(officer, holder, licence_type=licence_type, licence_number=number,
                                received_on=TODAY - dt.timedelta(days=30), vehicle=vehicle)
    register.add_required_checks(officer, licence)
    return licence


def _refused_new(officer, licence_type, number):
    licence = _licence(officer, licence_type, number)
    result = decide_application(officer, pending_application(licence), outcome="refused",
                                capacity="delegated_officer", decided_on=TODAY, reasons="Vehicle unsuitable",
                                service_method="hand", issue_notice=False)
    assert result.action.decision == "refuse_new"
    return licence, result.action


def _granted(officer, licence_type, number):
    licence = _licence(officer, licence_type, number)
    decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                       decided_on=TODAY - dt.timedelta(days=5), reasons="Granted", issue_notice=False)
    return licence


def _appeal(officer, licence, action, **kw):
    return lodge_appeal(officer, licence, action=action, subject="", lodged_on=TODAY, today=TODAY, **kw)


def test_a_refused_new_hackney_carriage_vehicle_licence_is_appealed_to_the_crown_court(app, client, users):
    assert rule_for("hackney_carriage_vehicle", "refuse_new").appeal_court == "crown"
    with app.app_context():
        officer = register.user(users["officer"])
        licence, action = _refused_new(officer, "hackney_carriage_vehicle", "HCV001")
        appeal = _appeal(officer, licence, action)
        assert appeal.court == AppealCourt.CROWN_COURT
        record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=TODAY, today=TODAY,
                              version=appeal.version)
        assert not appeal.can_be_appealed_further()
        with pytest.raises(RevocationError, match="decided by the Crown Court"):
            lodge_appeal(officer, licence, parent=appeal, subject="", lodged_on=TODAY, today=TODAY)
        db.session.commit()
        appeal_id = appeal.id
    login(client, users["officer"])
    register_page = client.get("/revocations/appeals").get_data(as_text=True)
    row = register_page[register_page.index(f"/revocations/appeals/{appeal_id}"):]
    row = row[:row.index("</tr>")]
    assert "Crown Court" in row and "Magistrates" not in row
    page = client.get(f"/revocations/appeals/{appeal_id}").get_data(as_text=True)
    assert '<span class="govuk-caption-l">Crown Court</span>' in page
    assert "Further appeal to the Crown Court" not in page


def test_a_refused_new_private_hire_vehicle_licence_is_appealed_to_the_magistrates(ctx, officer):
    assert rule_for("private_hire_vehicle", "refuse_new").appeal_court == "magistrates"
    licence, action = _refused_new(officer, "private_hire_vehicle", "PHV001")
    appeal = _appeal(officer, licence, action)
    assert appeal.court == AppealCourt.MAGISTRATES
    record_appeal_outcome(officer, appeal, outcome="dismissed", decided_on=TODAY, today=TODAY, version=appeal.version)
    assert appeal.can_be_appealed_further()
    further = lodge_appeal(officer, licence, parent=appeal, subject="", lodged_on=TODAY, today=TODAY)
    assert further.court == AppealCourt.CROWN_COURT and further.parent_id == appeal.id
    record_appeal_outcome(officer, further, outcome="dismissed", decided_on=TODAY, today=TODAY,
                          version=further.version)
    assert not further.can_be_appealed_further()
    with pytest.raises(RevocationError):
        lodge_appeal(officer, licence, parent=further, subject="", lodged_on=TODAY, today=TODAY)


def test_a_decision_with_no_right_of_appeal_is_refused_clearly(ctx, officer):
    licence = _granted(officer, "hackney_carriage_vehicle", "HCV002")
    suspension = take_action(officer, licence, kind="suspension", origin="officer", decision_date=TODAY,
                             grounds="Defective brakes", authorised_by=officer,
                             suspension_to=TODAY + dt.timedelta(days=7), decision="vehicle_defect_suspension")
    assert rule_for("hackney_carriage_vehicle", "vehicle_defect_suspension").appeal_court is None
    with pytest.raises(RevocationError, match="no right of appeal to a court against a vehicle defect suspension"):
        _appeal(officer, licence, suspension)
    warning = take_action(officer, licence, kind="warning", origin="officer", decision_date=TODAY,
                          grounds="Late for a test", authorised_by=officer)
    with pytest.raises(RevocationError, match="no right of appeal"):
        _appeal(officer, licence, warning)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Appeal)) == 0


@pytest.mark.parametrize("licence_type, item", [("private_hire_driver", "badge"), ("private_hire_vehicle", "plate"),
                                                ("private_hire_operator", None)])
def test_the_return_tracker_follows_the_rule_table(ctx, officer, licence_type, item):
    licence = _granted(officer, licence_type, "RT0001")
    rule = rule_for(licence_type, "revocation", TODAY)
    assert return_item(licence) == rule.tracked_return == item
    action = take_action(officer, licence, kind="revocation", origin="officer", decision_date=TODAY,
                         grounds="Unsafe", authorised_by=officer, immediate=licence.licence_type.is_driver,
                         public_safety_reason="Risk to passengers" if licence.licence_type.is_driver else None)
    if action.status != ActionStatus.EFFECTIVE:
        apply_due(officer, action.effective_date, [licence.id])
    assert action.status == ActionStatus.EFFECTIVE
    expected = action.effective_date + dt.timedelta(days=rule.return_days) if item else None
    assert action.return_due_on == expected

"""A decision takes effect only once its notice has been served, and officers record service from
a work queue (issue: service of notice). A refusal posted today is deemed served the second
working day; until service is recorded it is listed, and nothing follows from it."""

import datetime as dt

import sqlalchemy as sa

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.holders.operations.licences import apply_for_licence, pending_application
from licensing.models import AuditEvent, EnforcementAction, Licence
from licensing.policy.service import deemed_served_on
from tests.conftest import login
from tests.support import register
from tests.support.register import TODAY


def _posted_refusal(officer, number):
    holder = register.person(officer, last_name=f"Posted{number}")
    licence = apply_for_licence(officer, holder, licence_type="private_hire_driver", licence_number=number,
                                received_on=TODAY - dt.timedelta(days=20))
    result = decide_application(officer, pending_application(licence), outcome="refused",
                                capacity="delegated_officer", decided_on=TODAY, reasons="Not fit and proper",
                                service_method="first_class_post")
    db.session.commit()
    return result.action.id


def test_posted_notice_waits_for_service_and_is_recorded_from_the_queue(app, client, users):
    with app.app_context():
        action_id = _posted_refusal(register.user(users["officer"]), "SV0001")
    login(client, users["officer"])
    page = client.get("/revocations/unserved").get_data(as_text=True)
    reference = f"EA-{action_id:06d}"
    assert reference in page and "1 notice waiting for service" in page
    assert "By first-class post" in page
    detail = client.get(f"/revocations/actions/{action_id}").get_data(as_text=True)
    assert "Service not recorded" in detail

    response = client.post("/revocations/unserved", data={"action_ids": [str(action_id)]})
    assert response.status_code == 302
    with app.app_context():
        action = db.session.get(EnforcementAction, action_id)
        assert action.service_recorded_on == dt.date.today()
        assert action.served_on == deemed_served_on("first_class_post", TODAY)
        audit = db.session.execute(sa.select(AuditEvent).where(
            AuditEvent.action == "enforcement_action.service_recorded",
            AuditEvent.entity_id == action_id)).scalar_one()
        assert audit.after["service_method"] == "first_class_post"
    page = client.get("/revocations/unserved").get_data(as_text=True)
    assert reference not in page and "Every notice has been served" in page


def test_recording_service_twice_is_refused_at_the_field(app, client, users):
    with app.app_context():
        action_id = _posted_refusal(register.user(users["officer"]), "SV0002")
    login(client, users["officer"])
    assert client.post("/revocations/unserved", data={"action_ids": [str(action_id)]}).status_code == 302
    again = client.post("/revocations/unserved", data={"action_ids": [str(action_id)]})
    assert again.status_code == 200
    assert "has already been recorded" in again.get_data(as_text=True)
    nothing = client.post("/revocations/unserved", data={})
    assert "Select at least one notice" in nothing.get_data(as_text=True)


def test_manager_reads_the_queue_but_cannot_record_service(app, client, users):
    with app.app_context():
        action_id = _posted_refusal(register.user(users["officer"]), "SV0003")
    login(client, users["manager"])
    assert f"EA-{action_id:06d}" in client.get("/revocations/unserved").get_data(as_text=True)
    assert client.post("/revocations/unserved", data={"action_ids": [str(action_id)]}).status_code == 403
    with app.app_context():
        assert db.session.get(EnforcementAction, action_id).service_recorded_on is None
        assert db.session.get(Licence, db.session.get(EnforcementAction, action_id).licence_id) is not None


def test_e_mail_service_needs_the_holders_agreement(ctx, users):
    from licensing.decisions.operations import DecisionError
    from licensing.revocations.errors import RevocationError

    officer = register.user(users["officer"])
    holder = register.person(officer, last_name="Emailed", email="emailed@example.test")
    licence = apply_for_licence(officer, holder, licence_type="private_hire_driver", licence_number="SV0009",
                                received_on=TODAY - dt.timedelta(days=20))
    try:
        decide_application(officer, pending_application(licence), outcome="refused", capacity="delegated_officer",
                           decided_on=TODAY, reasons="Not fit", service_method="email")
    except (DecisionError, RevocationError) as refused:
        assert refused.field == "service_method" and "not agreed" in refused.message
    else:
        raise AssertionError("e-mail service without agreement was accepted")
    holder.email_service_consent_on = TODAY - dt.timedelta(days=30)
    result = decide_application(officer, pending_application(licence), outcome="refused",
                                capacity="delegated_officer", decided_on=TODAY, reasons="Not fit",
                                service_method="email")
    assert result.action.service_method == "email"
    assert result.action.served_on == deemed_served_on("email", TODAY)

"""Applying online: an applicant with no record yet applies for a private hire driver licence with
its documents (save and return, check your answers, declaration), the application lands in the
officers' queue as made online, the officer accepts the documents and grants it on the one
decision path, and the applicant then sees the licence and what is next due."""

import datetime as dt
import io
import re

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import (
    ApplicationOutcome,
    ComplianceCheck,
    Licence,
    LicenceHolder,
    OnlineApplication,
    SubmittedEvidence,
)
from tests.conftest import login
from tests.support import register
from tests.support.portal import create_account, jpeg_with_metadata, pay_online, sign_in
from tests.support.register import TODAY, date_parts

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
ANSWERS = {
    "about-you": {"first_name": "Łukasz", "last_name": "Żółć", "date_of_birth": date_parts(dt.date(1988, 4, 2)),
                  "address": "4 Station Road, Exampleton", "postcode": "EX1 4AB", "phone": "07700 900123"},
    "driving-licence": {"dvla_licence_number": "ZOLCL804028LU9AB", "dvla_check_code": "Ab12Cd34"},
    "convictions": {"has_convictions": "no"},
    "dbs": {"dbs_update_service": "yes", "dbs_certificate_number": "001234567890", "dbs_consent": "y"},
}
DOCUMENTS = {"dbs_enhanced": PDF, "medical_group2": PDF, "right_to_work": PDF, "photo": None}


def _start(client):
    page = client.get("/account/apply").get_data(as_text=True)
    assert "A new private hire driver licence" in page
    response = client.post("/account/apply", data={"choice": "private_hire_driver"})
    assert response.status_code == 302
    return int(re.search(r"/applications/(\d+)", response.location).group(1))


def _fill(client, application_id, skip=()):
    for section, data in ANSWERS.items():
        if section not in skip:
            response = client.post(f"/account/applications/{application_id}/{section}", data=data)
            assert response.status_code == 302, (section, response.get_data(as_text=True)[-2000:])
    for code, content in DOCUMENTS.items():
        response = client.post(f"/account/applications/{application_id}/documents/{code}",
                               content_type="multipart/form-data",
                               data={"document": (io.BytesIO(content or jpeg_with_metadata()), f"{code}.pdf")})
        assert response.status_code == 302, (code, response.get_data(as_text=True)[-2000:])


def test_an_applicant_applies_online_and_an_officer_grants_it(app, users, fake_pay):
    applicant = app.test_client()
    create_account(applicant, "lukasz@example.com", name="Łukasz Żółć")
    sign_in(applicant, "lukasz@example.com")
    application_id = _start(applicant)
    _fill(applicant, application_id, skip=("dbs",))
    tasks = applicant.get(f"/account/applications/{application_id}").get_data(as_text=True)
    assert tasks.count("Completed") == 3 and tasks.count("Uploaded") == 4  # saved: come back any time
    refused = applicant.post(f"/account/applications/{application_id}/check", data={"declaration": "y"})
    assert refused.status_code == 200 and "Finish every section" in refused.get_data(as_text=True)
    applicant.post(f"/account/applications/{application_id}/dbs", data=ANSWERS["dbs"])
    check_page = applicant.get(f"/account/applications/{application_id}/check").get_data(as_text=True)
    assert "Łukasz Żółć" in check_page and "2 April 1988" in check_page and "section 57" in check_page
    undeclared = applicant.post(f"/account/applications/{application_id}/check", data={})
    assert "Confirm the declaration" in undeclared.get_data(as_text=True)
    sent = applicant.post(f"/account/applications/{application_id}/check", data={"declaration": "y"})
    assert sent.status_code == 302
    assert f"APP-{application_id:06d}" in applicant.get(sent.location).get_data(as_text=True)
    with app.app_context():
        application = db.session.get(OnlineApplication, application_id)
        licence = db.session.get(Licence, application.licence_id)
        assert licence.licence_number == f"PHD-{application_id:06d}" and licence.status.value == "applied"
        assert licence.holder.last_name == "Żółć" and licence.holder.email == "lukasz@example.com"
        assert licence.applications[-1].received_by_id is None  # received online, not by an officer
        assert licence.applications[-1].origin.value == "online"
        licence_id, holder_id = licence.id, licence.holder_id
        documents = db.session.execute(sa.select(SubmittedEvidence.id, SubmittedEvidence.requirement)
                                       .where(SubmittedEvidence.online_application_id == application_id)).all()
    assert applicant.post(f"/account/applications/{application_id}/about-you",
                          data=ANSWERS["about-you"]).status_code == 200  # sent: no longer changed

    officer = app.test_client()
    login(officer, users["officer"])
    queue = officer.get("/holders/online-applications").get_data(as_text=True)
    assert f"APP-{application_id:06d}" in queue
    item = officer.get(f"/holders/online-applications/{application_id}").get_data(as_text=True)
    assert "made online" in item and "ZOLCL804028LU9AB" in item
    for submission_id, code in documents:
        result = "clear" if code == "dbs_enhanced" else ("accepted" if code == "photo" else "pass")
        response = officer.post(f"/holders/online-documents/{submission_id}/accept", data={
            "result": result, "completed_on": date_parts(TODAY - dt.timedelta(days=2)),
            "expires_on": date_parts(TODAY + dt.timedelta(days=365)) if code != "right_to_work" else ""})
        assert response.status_code == 302, (code, response.get_data(as_text=True)[-1500:])
    with app.app_context():
        officer_user = register.user(users["officer"])
        licence = db.session.get(Licence, licence_id)
        register.add_required_checks(officer_user, licence, skip=("dbs_enhanced", "medical_group2", "right_to_work"))
        db.session.commit()
        kinds = {c.kind.value for c in db.session.execute(
            sa.select(ComplianceCheck).filter_by(holder_id=holder_id)).scalars()}
        assert {"dbs_enhanced", "medical_group2", "right_to_work"} <= kinds
        version = licence.version
    assert "Payment received" in pay_online(applicant, application_id).get_data(as_text=True)
    decided = officer.post(f"/holders/licences/{licence_id}/decision", data={
        "version": version, "outcome": "granted", "decided_on": date_parts(TODAY),
        "reasons": "All checks complete", "service_method": "first_class_post", "notice_date": date_parts(TODAY)})
    assert decided.status_code == 302, decided.get_data(as_text=True)[-2000:]
    with app.app_context():
        licence = db.session.get(Licence, licence_id)
        assert licence.status.value == "active"
        assert licence.applications[-1].outcome == ApplicationOutcome.GRANTED
    home = applicant.get("/account/").get_data(as_text=True)
    assert f"PHD-{application_id:06d}" in home and "Active" in home
    assert "Licence renewal" in home  # the next due date, from the same rules as the officers' queue


def test_the_officer_asks_for_more_and_the_applicant_answers(app, users):
    applicant = app.test_client()
    create_account(applicant, "more@example.com")
    sign_in(applicant, "more@example.com")
    application_id = _start(applicant)
    _fill(applicant, application_id)
    applicant.post(f"/account/applications/{application_id}/check", data={"declaration": "y"})
    officer = app.test_client()
    login(officer, users["officer"])
    asked = officer.post(f"/holders/online-applications/{application_id}/more-information",
                         data={"request_text": "Your medical report is not signed. Upload a signed copy."})
    assert asked.status_code == 302
    tasks = applicant.get(f"/account/applications/{application_id}").get_data(as_text=True)
    assert "Your medical report is not signed" in tasks
    _fill(applicant, application_id, skip=tuple(ANSWERS))
    assert applicant.post(f"/account/applications/{application_id}/check",
                          data={"declaration": "y"}).status_code == 302
    with app.app_context():
        application = db.session.get(OnlineApplication, application_id)
        assert application.status.value == "submitted"
        assert len(db.session.get(Licence, application.licence_id).applications) == 1  # the same application


def test_a_possible_duplicate_record_is_shown_to_the_officer(app, users):
    with app.app_context():
        existing = register.person(register.user(users["officer"]), last_name="Żółć", born=dt.date(1988, 4, 2))
        db.session.commit()
        existing_ref = db.session.get(LicenceHolder, existing.id).holder_ref
    applicant = app.test_client()
    create_account(applicant, "dup@example.com")
    sign_in(applicant, "dup@example.com")
    application_id = _start(applicant)
    _fill(applicant, application_id)
    applicant.post(f"/account/applications/{application_id}/check", data={"declaration": "y"})
    officer = app.test_client()
    login(officer, users["officer"])
    item = officer.get(f"/holders/online-applications/{application_id}").get_data(as_text=True)
    assert "Possibly the same person" in item and existing_ref in item


def test_a_holder_renews_online(app, users):
    from tests.support.portal import linked_holder

    holder_client, holder_id = linked_holder(app, users["officer"], "R-1", "renew@example.com")
    with app.app_context():
        licence = db.session.execute(sa.select(Licence).filter_by(holder_id=holder_id)).scalar_one()
        licence_id = licence.id
    page = holder_client.get("/account/apply").get_data(as_text=True)
    assert "Renew my private hire driver licence L-R-1" in page
    response = holder_client.post("/account/apply", data={"choice": f"renew:{licence_id}"})
    application_id = int(re.search(r"/applications/(\d+)", response.location).group(1))
    about = holder_client.get(f"/account/applications/{application_id}/about-you").get_data(as_text=True)
    assert 'value="Pat"' in about  # what the register knows is not asked again
    _fill(holder_client, application_id)
    assert holder_client.post(f"/account/applications/{application_id}/check",
                              data={"declaration": "y"}).status_code == 302
    with app.app_context():
        licence = db.session.get(Licence, licence_id)
        assert [a.kind.value for a in licence.applications] == ["renewal"]


VEHICLE_ANSWERS = {
    "about-you": ANSWERS["about-you"],
    "vehicle": {"registration": "ab12 cde", "make": "Toyota", "model": "Corolla", "colour": "Silver", "seats": "4",
                "wheelchair_accessible": "no"},
}
OPERATOR_ANSWERS = {
    "about-you": ANSWERS["about-you"],
    "operating-centre": {"operating_centre_address": "Unit 3, Mill Lane, Exampleton", "operating_centre_postcode":
                         "EX2 9ZZ", "trading_name": "Exampleton Cars", "vehicles_expected": "12"},
    "convictions": {"has_convictions": "no"},
}


def _apply_for(client, choice, answers, documents):
    response = client.post("/account/apply", data={"choice": choice})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    application_id = int(re.search(r"/applications/(\d+)", response.location).group(1))
    for section, data in answers.items():
        response = client.post(f"/account/applications/{application_id}/{section}", data=data)
        assert response.status_code == 302, (section, response.get_data(as_text=True)[-2000:])
    for code in documents:
        response = client.post(f"/account/applications/{application_id}/documents/{code}",
                               content_type="multipart/form-data", data={"document": (io.BytesIO(PDF), f"{code}.pdf")})
        assert response.status_code == 302, (code, response.get_data(as_text=True)[-2000:])
    return application_id


def test_a_proprietor_applies_online_for_a_vehicle_licence(app, users):
    applicant = app.test_client()
    create_account(applicant, "keeper@example.com", name="Kim Keeper")
    sign_in(applicant, "keeper@example.com")
    assert "A new private hire vehicle licence" in applicant.get("/account/apply").get_data(as_text=True)
    application_id = _apply_for(applicant, "private_hire_vehicle", VEHICLE_ANSWERS,
                                ("v5c", "insurance", "mot", "vehicle_photo"))
    tasks = applicant.get(f"/account/applications/{application_id}").get_data(as_text=True)
    assert "The vehicle" in tasks and "Your driving licence" not in tasks and "Incomplete" not in tasks
    # A driver's questions are not asked of a vehicle.
    assert applicant.get(f"/account/applications/{application_id}/driving-licence").status_code == 404
    check = applicant.get(f"/account/applications/{application_id}/check").get_data(as_text=True)
    assert "AB12CDE" in check and "Toyota Corolla" in check and "Insurance certificate for hire and reward" in check
    assert applicant.post(f"/account/applications/{application_id}/check",
                          data={"declaration": "y"}).status_code == 302
    with app.app_context():
        application = db.session.get(OnlineApplication, application_id)
        licence = db.session.get(Licence, application.licence_id)
        assert licence.licence_number == f"PHV-{application_id:06d}" and licence.status.value == "applied"
        assert licence.vehicle.registration == "AB12CDE" and licence.vehicle.seats == 4
        assert licence.vehicle.proprietor_id == licence.holder_id
        assert licence.applications[-1].origin.value == "online"
        mot = db.session.execute(sa.select(SubmittedEvidence).filter_by(
            online_application_id=application_id, requirement="mot")).scalar_one()
        licence_id, mot_id = licence.id, mot.id
    officer = app.test_client()
    login(officer, users["officer"])
    item = officer.get(f"/holders/online-applications/{application_id}").get_data(as_text=True)
    assert "AB12CDE" in item and "Carries a wheelchair user" in item
    accepted = officer.post(f"/holders/online-documents/{mot_id}/accept", data={
        "result": "pass", "completed_on": date_parts(TODAY), "expires_on": date_parts(TODAY + dt.timedelta(days=365))})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[-1500:]
    with app.app_context():
        check = db.session.execute(sa.select(ComplianceCheck).filter_by(kind="mot")).scalar_one()
        assert check.licence_id == licence_id  # an MOT is the vehicle licence's check, not the holder's


def test_a_registration_under_another_keeper_is_refused_at_the_field(app, users):
    from licensing.models import Vehicle
    from tests.support.reviews import holder

    with app.app_context():
        owner = holder("KEEP-1")
        db.session.add(Vehicle(registration="XY99ZZZ", make="Ford", model="Galaxy", seats=6, proprietor_id=owner.id))
        db.session.commit()
    applicant = app.test_client()
    create_account(applicant, "other@example.com")
    sign_in(applicant, "other@example.com")
    response = applicant.post("/account/apply", data={"choice": "hackney_carriage_vehicle"})
    application_id = int(re.search(r"/applications/(\d+)", response.location).group(1))
    refused = applicant.post(f"/account/applications/{application_id}/vehicle",
                             data={**VEHICLE_ANSWERS["vehicle"], "registration": "xy99 zzz"})
    assert refused.status_code == 200
    assert "under another keeper" in (register.field_error(refused.get_data(as_text=True), "registration") or "")
    with app.app_context():
        assert "registration" not in db.session.get(OnlineApplication, application_id).answers


def test_an_operator_applies_online_with_the_operating_centre(app, users):
    applicant = app.test_client()
    create_account(applicant, "operator@example.com", name="Olu Operator")
    sign_in(applicant, "operator@example.com")
    application_id = _apply_for(applicant, "private_hire_operator", OPERATOR_ANSWERS, ("dbs_basic", "right_to_work"))
    tasks = applicant.get(f"/account/applications/{application_id}").get_data(as_text=True)
    assert "Your operating centre" in tasks and "Basic DBS certificate" in tasks and "Enhanced DBS" not in tasks
    assert applicant.get(f"/account/applications/{application_id}/dbs").status_code == 404
    assert applicant.post(f"/account/applications/{application_id}/check",
                          data={"declaration": "y"}).status_code == 302
    with app.app_context():
        licence = db.session.get(Licence, db.session.get(OnlineApplication, application_id).licence_id)
        assert licence.licence_number == f"PHO-{application_id:06d}"
        assert licence.licence_type.value == "private_hire_operator" and licence.vehicle is None
    officer = app.test_client()
    login(officer, users["officer"])
    item = officer.get(f"/holders/online-applications/{application_id}").get_data(as_text=True)
    assert "Unit 3, Mill Lane, Exampleton EX2 9ZZ" in item and "Exampleton Cars" in item and "Basic DBS" in item

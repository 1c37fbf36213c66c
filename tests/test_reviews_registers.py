"""Complaints register and enforcement checks."""

import datetime as dt
import io

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, CaseOrigin, Complaint, ComplaintStatus, EnforcementCheck
from licensing.policy.complaints import response_due
from licensing.policy.working_days import add_working_days
from licensing.reviews.errors import ReviewError
from licensing.reviews.operations import cases as ops
from licensing.reviews.operations import registers
from tests.conftest import login
from tests.support import reviews as build


@pytest.mark.parametrize(("received", "due"), [
    (dt.date(2026, 3, 2), dt.date(2026, 3, 16)),   # Monday -> Monday two weeks on
    (dt.date(2026, 3, 6), dt.date(2026, 3, 20)),   # Friday
    (dt.date(2026, 3, 7), dt.date(2026, 3, 20)),   # Saturday counts from the next working day
    (dt.date(2026, 12, 17), dt.date(2027, 1, 5)),  # Christmas, Boxing Day (substitute 28th) and New Year skipped
    (dt.date(2026, 4, 2), dt.date(2026, 4, 20)),   # Good Friday and Easter Monday skipped
])
def test_response_due_is_ten_working_days(received, due):
    assert response_due(received) == due
    assert add_working_days(received, 0) == received


def test_complaint_about_a_vehicle_finds_its_proprietor_and_hides_the_complainant(officer):
    owner = build.holder("C1")
    vehicle = build.vehicle("AB12CDE", owner)
    complaint = registers.record_complaint(
        officer, received_on=dt.date(2026, 3, 2), channel="email", category="overcharging",
        details="Charged double", vehicle_id=vehicle.id, complainant_name="Jo Public",
        complainant_contact="jo@example.com")
    db.session.commit()
    assert complaint.holder_id == owner.id and complaint.response_due_on == dt.date(2026, 3, 16)
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="complaint.recorded")).scalar_one()
    assert "complainant_name" not in event.after and event.holder_id == owner.id
    with pytest.raises(ReviewError, match="who or what"):
        registers.record_complaint(officer, received_on=dt.date(2026, 3, 2), channel="email",
                                   category="other", details="x")


def test_complaint_opens_or_joins_a_case_and_moves_status(officer):
    holder = build.holder("C2")
    existing = ops.open_case(officer, holder, "police_information", "Earlier matter")
    first = registers.record_complaint(officer, received_on=dt.date(2026, 3, 2), channel="phone",
                                       category="driver_conduct", details="Rude", holder_id=holder.id)
    second = registers.record_complaint(officer, received_on=dt.date(2026, 3, 3), channel="phone",
                                        category="safeguarding", details="Concern", holder_id=holder.id)
    case = registers.complaint_to_case(officer, first)
    assert case.origin == CaseOrigin.COMPLAINT and first.case_id == case.id
    assert registers.complaint_to_case(officer, second, existing.id) is existing
    with pytest.raises(ReviewError, match="already part of a case"):
        registers.complaint_to_case(officer, second)
    with pytest.raises(ReviewError, match="outcome before closing"):
        registers.update_complaint(officer, first, "closed", None)
    registers.update_complaint(officer, first, "closed", "upheld")
    with pytest.raises(ReviewError, match="cannot become"):
        registers.update_complaint(officer, first, "investigating", "upheld")
    assert first.status == ComplaintStatus.CLOSED


def test_complainant_details_are_for_officers_only(app, client, users):
    with app.app_context():
        officer = build.user(users["officer"])
        complaint = registers.record_complaint(
            officer, received_on=dt.date(2026, 3, 2), channel="web_form", category="refusal_to_carry",
            details="Refused a guide dog", holder_id=build.holder("C3").id, complainant_name="Jo Secret")
        db.session.commit()
        complaint_id = complaint.id
    login(client, users["manager"])
    page = client.get(f"/reviews/complaints/{complaint_id}").get_data(as_text=True)
    assert "Refused a guide dog" in page and "Jo Secret" not in page
    client.post("/auth/logout")
    login(client, users["officer"])
    assert "Jo Secret" in client.get(f"/reviews/complaints/{complaint_id}").get_data(as_text=True)
    response = client.post("/reviews/complaints/new", data={
        "received_on": ["2", "3", "2026"], "channel": "email", "category": "other", "details": "x",
        "holder_ref": "missing"})
    assert "No licence holder matches that" in response.get_data(as_text=True)
    response = client.post(f"/reviews/complaints/{complaint_id}/case", data={"case_id": ""})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Complaint, complaint_id).case_id is not None


def test_enforcement_checks_and_mystery_shops_open_cases(officer):
    driver = build.holder("K1")
    owner = build.holder("K2")
    car = build.vehicle("XY99ZZZ", owner)
    with pytest.raises(ReviewError, match="Describe the issues"):
        registers.record_enforcement_check(officer, checked_on=dt.date(2026, 3, 2), check_type="joint_operation",
                                           officer_id=officer.id, result="unsatisfactory", vehicle_id=car.id)
    shop = registers.record_enforcement_check(
        officer, checked_on=dt.date(2026, 3, 2), check_type="mystery_shop", officer_id=officer.id,
        result="unsatisfactory", driver_id=driver.id, issues_found="Refused a short fare")
    check = registers.record_enforcement_check(
        officer, checked_on=dt.date(2026, 3, 3), check_type="unannounced_vehicle_check", officer_id=officer.id,
        result="fair", vehicle_id=car.id, issues_found="Worn tyre")
    shop_case, check_case = registers.check_to_case(officer, shop), registers.check_to_case(officer, check)
    db.session.commit()
    assert (shop_case.origin, shop_case.holder_id) == (CaseOrigin.MYSTERY_SHOP, driver.id)
    assert (check_case.origin, check_case.holder_id) == (CaseOrigin.ENFORCEMENT_CHECK, owner.id)
    with pytest.raises(ReviewError, match="already has a case"):
        registers.check_to_case(officer, shop)
    lone = registers.record_enforcement_check(officer, checked_on=dt.date(2026, 3, 3), check_type="internal_audit",
                                              officer_id=officer.id, result="satisfactory")
    with pytest.raises(ReviewError, match="needs a licence holder"):
        registers.check_to_case(officer, lone)


def test_recording_a_check_through_the_page(app, client, users):
    with app.app_context():
        build.vehicle("AA11AAA", build.holder("K3"))
        db.session.commit()
    login(client, users["officer"])
    with app.app_context():
        officer_id = build.user(users["officer"]).id
    response = client.post("/reviews/checks/new", data={
        "checked_on": ["3", "3", "2026"], "check_type": "unannounced_vehicle_check", "officer_id": officer_id,
        "registration": "aa11 aaa", "result": "satisfactory"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.execute(sa.select(EnforcementCheck)).scalar_one()
        assert check.vehicle.registration == "AA11AAA"
    assert "Unannounced vehicle check" in client.get("/reviews/checks").get_data(as_text=True)


PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a PNG's signature is how an upload is recognised


def _street_check(client, officer_id, **extra):
    return client.post("/reviews/checks/new", content_type="multipart/form-data", data={
        "checked_on": ["3", "3", "2026"], "check_type": "unannounced_vehicle_check", "officer_id": str(officer_id),
        "result": "unsatisfactory", "issues_found": "Nearside tyre worn", **extra})


def test_a_street_check_keeps_a_photo_as_evidence_under_the_proprietor(app, client, users):
    with app.app_context():
        build.vehicle("PH11OTO", build.holder("K4"))
        db.session.commit()
        officer_id = build.user(users["officer"]).id
    login(client, users["officer"])
    response = _street_check(client, officer_id, registration="PH11OTO",
                             evidence=(io.BytesIO(PHOTO), "tyre photo.png"))
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        check = db.session.execute(sa.select(EnforcementCheck)).scalar_one()
        [document] = check.documents
        assert (document.holder_id, document.content_type, document.original_name) == (
            check.vehicle.proprietor_id, "image/png", "tyre photo.png")
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="evidence.upload")).scalar_one(
            ).after["enforcement_check_id"] == check.id
        check_id, document_id = check.id, document.id
    page = client.get(f"/reviews/checks/{check_id}").get_data(as_text=True)
    assert f"/holders/evidence/{document_id}" in page and "tyre photo.png" in page
    assert client.get(f"/holders/evidence/{document_id}").data == PHOTO


def test_a_street_check_photo_needs_someone_to_keep_it_under_and_a_real_image(app, client, users):
    with app.app_context():
        build.vehicle("PH22OTO", build.holder("K5"))
        db.session.commit()
        officer_id = build.user(users["officer"]).id
    login(client, users["officer"])
    nobody = _street_check(client, officer_id, evidence=(io.BytesIO(PHOTO), "p.png")).get_data(as_text=True)
    assert "Enter the driver or a licensed vehicle" in nobody and "There is a problem" in nobody
    not_image = _street_check(client, officer_id, registration="PH22OTO",
                              evidence=(io.BytesIO(b"MZ not a photo"), "p.png")).get_data(as_text=True)
    assert "must be a PDF, JPG or PNG" in not_image
    with app.app_context():  # nothing half-saved: neither check was kept
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EnforcementCheck)) == 0

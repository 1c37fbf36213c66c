"""Holder, vehicle, check and conviction pages: validation at the field, locking, audit, access."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.checks import missing_for_decision
from licensing.models import AuditEvent, ComplianceCheck, Conviction, LicenceHolder, Vehicle
from tests.conftest import login
from tests.support import register
from tests.support.database import count_rows
from tests.support.people import authoriser_for
from tests.support.register import TODAY, date_parts, field_error


def _holder(app, users, **extra):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer, **extra)
        db.session.commit()
        return holder.id


def _count(app, model):
    with app.app_context():
        return count_rows(model)


def test_create_a_person_and_an_organisation(app, client, users):
    login(client, users["officer"])
    response = client.post("/holders/new", data={
        "kind": "person", "first_name": "Ada", "last_name": "Lovelace", "date_of_birth": ["10", "12", "1985"],
        "postcode": "sw1a 1aa", "dvla_licence_number": "LOVEL812105AA9AB", "email": "ada@example.com",
    })
    assert response.status_code == 302
    response = client.post("/holders/new", data={"kind": "organisation", "organisation_name": "Acme Cars Ltd"})
    assert response.status_code == 302
    with app.app_context():
        ada = db.session.execute(sa.select(LicenceHolder).filter_by(last_name="Lovelace")).scalar_one()
        assert ada.postcode == "SW1A 1AA" and ada.date_of_birth == dt.date(1985, 12, 10)
        org = db.session.execute(sa.select(LicenceHolder).filter_by(kind="organisation")).scalar_one()
        assert org.display_name == "Acme Cars Ltd" and org.holder_ref == "ORG00001"
        creates = db.session.scalars(sa.select(AuditEvent.holder_id).filter_by(action="holder.create")).all()
        assert sorted(creates) == sorted([ada.id, org.id])


def test_holder_form_rejects_impossible_data_at_the_field(app, client, users):
    login(client, users["officer"])
    page = client.post("/holders/new", data={
        "kind": "person", "first_name": "Ada", "last_name": "", "email": "not-an-email",
    }).get_data(as_text=True)
    assert field_error(page, "last_name") == "Enter the last name"
    assert field_error(page, "email") == "Enter an email address in the correct format"
    future = TODAY + dt.timedelta(days=3)
    page = client.post("/holders/new", data={
        "kind": "person", "first_name": "Ada", "last_name": "L", "date_of_birth": date_parts(future),
    }).get_data(as_text=True)
    assert field_error(page, "date_of_birth") == "Date of birth must be today or in the past"
    page = client.post("/holders/new", data={
        "kind": "person", "first_name": "Ada", "last_name": "L", "date_of_birth": ["31", "2", "1990"],
    }).get_data(as_text=True)
    assert field_error(page, "date_of_birth") == "Date of birth must be a real date"
    page = client.post("/holders/new", data={"kind": "robot", "last_name": "L"}).get_data(as_text=True)
    assert field_error(page, "kind") == "Select type of licence holder"
    assert _count(app, LicenceHolder) == 0


def test_duplicate_dvla_number_is_refused(app, client, users):
    _holder(app, users, dvla_licence_number="ABCDE123456")
    login(client, users["officer"])
    page = client.post("/holders/new", data={
        "kind": "person", "first_name": "B", "last_name": "C", "dvla_licence_number": "abcde 123456",
    }).get_data(as_text=True)
    assert field_error(page, "dvla_licence_number") == "Another holder already has this DVLA licence number"
    assert _count(app, LicenceHolder) == 1


def test_edit_saves_and_audits_only_what_changed(app, client, users):
    holder_id = _holder(app, users)
    login(client, users["officer"])
    form = client.get(f"/holders/{holder_id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    response = client.post(f"/holders/{holder_id}/edit", data={
        "version": "1", "kind": "person", "first_name": "Dana", "last_name": "Driver",
        "date_of_birth": ["17", "5", "1980"], "phone": "01632 960 001",
    })
    assert response.status_code == 302
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="holder.update")).scalar_one()
        assert event.before == {"phone": None} and event.after == {"phone": "01632 960 001"}
        assert event.holder_id == holder_id


def test_optimistic_lock_conflict_names_what_changed(app, client, users):
    holder_id = _holder(app, users)
    login(client, users["officer"])
    base = {"kind": "person", "first_name": "Dana", "last_name": "Driver", "date_of_birth": ["17", "5", "1980"]}
    first = client.post(f"/holders/{holder_id}/edit", data={**base, "version": "1", "phone": "0161 000 0000"})
    assert first.status_code == 302
    # A second editor who loaded the form at version 1 tries to save over the newer record.
    page = client.post(f"/holders/{holder_id}/edit", data={**base, "version": "1", "address": "1 High St"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    message = field_error(html, "version") or html
    assert "was changed by Test Licensing officer while you were editing it (changed: phone)" in html
    assert "Your changes have not been saved" in message
    assert 'name="version" type="hidden" value="2"' in html  # the form now carries the current version
    assert "0161 000 0000" in html and "1 High St" not in html  # and shows the record as it now is
    with app.app_context():
        holder = db.session.get(LicenceHolder, holder_id)
        assert holder.address is None and holder.phone == "0161 000 0000"


def test_date_of_birth_under_driver_age_refused_for_a_driver(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        register.driver_application(officer, holder)
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    young = TODAY.replace(year=TODAY.year - 19)
    page = client.post(f"/holders/{holder_id}/edit", data={
        "version": "1", "kind": "person", "first_name": "Dana", "last_name": "Driver",
        "date_of_birth": date_parts(young),
    }).get_data(as_text=True)
    assert field_error(page, "date_of_birth") == "This holder has a driver licence: drivers must be at least 21"


def test_driver_application_under_minimum_age_shows_at_the_field(app, client, users):
    holder_id = _holder(app, users)
    with app.app_context():  # held from before new holders had to be 21 (an import, say)
        db.session.get(LicenceHolder, holder_id).date_of_birth = TODAY.replace(year=TODAY.year - 20)
        db.session.commit()
    login(client, users["officer"])
    page = client.post(f"/holders/{holder_id}/licences/new", data={
        "licence_type": "private_hire_driver", "licence_number": "DL1", "received_on": date_parts(TODAY),
        "vehicle_id": "",
    }).get_data(as_text=True)
    assert "A driver must be at least 21: this applicant was 20" in field_error(page, "licence_type")
    page = client.post(f"/holders/{holder_id}/licences/new", data={
        "licence_type": "taxi_boat", "licence_number": "DL1", "received_on": date_parts(TODAY), "vehicle_id": "",
    }).get_data(as_text=True)
    assert field_error(page, "licence_type") == "Choose licence type from the list"


def test_vehicle_registration_is_normalised_and_unique(app, client, users):
    holder_id = _holder(app, users)
    login(client, users["officer"])
    data = {"registration": "ab12 cde", "make": "Skoda", "model": "Octavia", "seats": "4", "plate_number": "p1"}
    assert client.post(f"/holders/{holder_id}/vehicles/new", data=data).status_code == 302
    page = client.post(f"/holders/{holder_id}/vehicles/new", data={**data, "registration": "AB12CDE",
                                                                   "plate_number": "P2"}).get_data(as_text=True)
    assert field_error(page, "registration") == "Another vehicle already has this registration"
    page = client.post(f"/holders/{holder_id}/vehicles/new", data={**data, "registration": "XY1", "seats": "40"})
    assert field_error(page.get_data(as_text=True), "seats") == "Seats must be between 1 and 16"
    with app.app_context():
        vehicle = db.session.execute(sa.select(Vehicle)).scalar_one()
        assert vehicle.registration == "AB12CDE" and vehicle.plate_number == "P1"
        vehicle_id = vehicle.id
        created = db.session.execute(sa.select(AuditEvent).filter_by(action="vehicle.create")).scalar_one()
        assert created.entity_id == vehicle_id and created.holder_id == holder_id
    response = client.post(f"/holders/vehicles/{vehicle_id}/edit", data={**data, "version": "1", "colour": "Blue",
                                                                         "camera_fitted": "y"})
    assert response.status_code == 302
    with app.app_context():
        vehicle = db.session.get(Vehicle, vehicle_id)
        assert vehicle.colour == "Blue" and vehicle.camera_fitted is True
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="vehicle.update")).scalar_one().after == {
            "colour": "Blue", "camera_fitted": True}


def test_check_form_rejects_impossible_data(app, client, users):
    holder_id = _holder(app, users)
    login(client, users["officer"])
    base = {"kind": "dvla", "licence_id": "", "result": "pass", "completed_on": date_parts(TODAY)}
    page = client.post(f"/holders/{holder_id}/checks/new", data={
        **base, "expires_on": date_parts(TODAY - dt.timedelta(days=1))}).get_data(as_text=True)
    assert field_error(page, "expires_on") == "The expiry date must be on or after the date completed"
    page = client.post(f"/holders/{holder_id}/checks/new", data={
        **base, "completed_on": date_parts(TODAY + dt.timedelta(days=1))}).get_data(as_text=True)
    assert field_error(page, "completed_on") == "The date completed must be today or in the past"
    page = client.post(f"/holders/{holder_id}/checks/new", data={**base, "kind": "nr3s_search"}).get_data(as_text=True)
    assert field_error(page, "result") == "For this check, the result must be: no match, match found, pending"
    page = client.post(f"/holders/{holder_id}/checks/new", data={**base, "kind": "mot"}).get_data(as_text=True)
    assert field_error(page, "licence_id") == "Choose the vehicle licence this MOT is for"
    assert _count(app, ComplianceCheck) == 0
    # The form for a medical has no points field, so points sent with one are not taken.
    assert client.post(f"/holders/{holder_id}/checks/new", data={
        **base, "kind": "medical_group2", "points": "3"}).status_code == 302
    with app.app_context():
        medical = db.session.execute(sa.select(ComplianceCheck)).scalar_one()
        assert medical.kind == "medical_group2" and medical.points is None
    response = client.post(f"/holders/{holder_id}/checks/new", data={**base, "points": "6", "reference": "CODE1"})
    assert response.status_code == 302
    with app.app_context():
        check = db.session.execute(sa.select(ComplianceCheck).filter_by(kind="dvla")).scalar_one()
        assert check.points == 6 and check.reference == "CODE1" and check.recorded_by_id is not None
        events = db.session.execute(sa.select(AuditEvent).filter_by(action="check.record")).scalars().all()
        assert [e.holder_id for e in events] == [holder_id, holder_id]


def test_conviction_form_rejects_impossible_data(app, client, users):
    holder_id = _holder(app, users)
    login(client, users["officer"])
    base = {"category": "dishonesty", "disposal": "conviction", "offence": "Theft", "source": "dbs",
            "conviction_date": date_parts(TODAY - dt.timedelta(days=100))}
    page = client.post(f"/holders/{holder_id}/convictions/new", data={**base, "category": "jaywalking"})
    assert field_error(page.get_data(as_text=True), "category") == "Choose category from the list"
    page = client.post(f"/holders/{holder_id}/convictions/new", data={
        **base, "offence_date": date_parts(TODAY - dt.timedelta(days=50))})
    assert field_error(page.get_data(as_text=True), "offence_date") == (
        "The offence date must be on or before the conviction date")
    page = client.post(f"/holders/{holder_id}/convictions/new", data={
        **base, "conviction_date": date_parts(TODAY + dt.timedelta(days=5))})
    assert field_error(page.get_data(as_text=True), "conviction_date") == (
        "The conviction date must be today or in the past")
    page = client.post(f"/holders/{holder_id}/convictions/new", data={
        **base, "sentence_end_date": date_parts(TODAY - dt.timedelta(days=200))})
    assert "The sentence cannot end before the conviction" in field_error(page.get_data(as_text=True),
                                                                          "sentence_end_date")
    page = client.post(f"/holders/{holder_id}/convictions/new", data={**base, "source": "rumour"})
    assert field_error(page.get_data(as_text=True), "source") == "Choose source from the list"
    assert _count(app, Conviction) == 0
    assert client.post(f"/holders/{holder_id}/convictions/new", data=base).status_code == 302
    with app.app_context():
        conviction = db.session.execute(sa.select(Conviction)).scalar_one()
        assert conviction.category == "dishonesty" and conviction.source == "dbs"
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="conviction.record")).scalar_one()


def test_grant_on_the_web_shows_the_missing_list_then_succeeds(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        licence = register.driver_application(officer, holder)
        db.session.commit()
        licence_id, holder_id = licence.id, holder.id
    login(client, users["officer"])
    decision = {"version": "1", "outcome": "granted", "capacity": "delegated_officer",
                "decided_on": date_parts(TODAY), "expires_on": date_parts(TODAY + dt.timedelta(days=1095)),
                "reasons": "Fit and proper"}
    page = client.post(f"/holders/licences/{licence_id}/decision", data=decision).get_data(as_text=True)
    message = field_error(page, "outcome")
    # A short message with a count and a pointer; the list itself is on the page, with links.
    with app.app_context():
        count = len(missing_for_decision(db.session.get(type(licence), licence_id), TODAY))
    assert message == (f"This licence cannot be granted until the {count} checks listed under ‘What is missing’ "
                       "are in place")
    assert count > 1 and "none recorded" not in message
    listed = page.split('id="missing-checks"', 1)[1].split("</div>", 1)[0]
    assert "What is missing" in listed and "Enhanced DBS certificate: none recorded" in listed
    assert f"/holders/{holder_id}/checks/new?kind=dbs_enhanced" in listed
    with app.app_context():
        register.add_required_checks(register.user(users["officer"]), db.session.get(type(licence), licence_id))
        db.session.commit()
    response = client.post(f"/holders/licences/{licence_id}/decision", data=decision)
    assert response.status_code == 302
    page = client.get(f"/holders/licences/{licence_id}").get_data(as_text=True)
    assert "Active" in page and "Officer under delegated powers" in page and "Fit and proper" in page


def test_status_change_page_offers_only_allowed_moves(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        licence = register.driver_application(officer, register.person(officer))
        db.session.commit()
        licence_id = licence.id
    login(client, users["officer"])
    page = client.post(f"/holders/licences/{licence_id}/status", data={
        "version": "1", "new_status": "surrendered", "reason": "x"}).get_data(as_text=True)
    assert "cannot change status here" in page
    with app.app_context():
        officer = register.user(users["officer"])
        licence = db.session.get(type(licence), licence_id)
        register.add_required_checks(officer, licence)
        from licensing.holders.operations.licences import decide_application, pending_application
        decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                           decided_on=TODAY, reasons="ok", version=licence.version,
                           expires_on=TODAY + dt.timedelta(days=365))
        db.session.commit()
        version = licence.version
    form = client.get(f"/holders/licences/{licence_id}/status").get_data(as_text=True)
    assert 'value="surrendered"' in form and 'value="expired"' in form
    assert 'value="suspended"' not in form and 'value="revoked"' not in form
    page = client.post(f"/holders/licences/{licence_id}/status", data={
        "version": str(version), "new_status": "expired", "reason": "x"}).get_data(as_text=True)
    assert "it can be marked expired only after that date" in field_error(page, "new_status")
    response = client.post(f"/holders/licences/{licence_id}/status", data={
        "version": str(version), "new_status": "surrendered", "reason": "Handed in"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(type(licence), licence_id).status == "surrendered"


def test_holder_page_shows_the_whole_record(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        licence = register.driver_application(officer, holder)
        register.vehicle(officer, holder)
        register.add_check(officer, holder, "dvla", expires_on=TODAY + dt.timedelta(days=20))
        register.add_check(officer, holder, "dbs_enhanced", expires_on=TODAY + dt.timedelta(days=400))
        register.add_check(officer, holder, "medical_group2", completed_on=TODAY - dt.timedelta(days=900),
                           expires_on=TODAY - dt.timedelta(days=1))
        from licensing.holders.operations.holders import record_conviction
        record_conviction(officer, holder, {"category": "minor_traffic", "disposal": "conviction",
                                            "offence": "Speeding (SP30)", "source": "dvla",
                                            "conviction_date": TODAY - dt.timedelta(days=300)})
        db.session.commit()
        holder_id, number = holder.id, licence.licence_number
    login(client, users["manager"])
    page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert number in page and "Applied" in page and "AB12CDE" in page and "Speeding (SP30)" in page
    assert "Due soon" in page and "Expired" in page and "Valid" in page
    assert "Right to work" in page and "Required but not recorded" in page  # missing for the driver licence
    assert "Licence holder created by Test Licensing officer" in page  # the timeline
    assert f"/holders/{holder_id}/edit" not in page  # managers read only
    assert "Intelligence" not in page


def test_panel_members_cannot_open_holder_pages(app, client, users):
    holder_id = _holder(app, users)
    login(client, users["panel"])
    assert client.get(f"/holders/{holder_id}").status_code == 404
    assert client.get(f"/holders/{holder_id}/edit").status_code == 404


def test_missing_records_answer_404(client, users):
    login(client, users["officer"])
    assert client.get("/holders/424242").status_code == 404
    assert client.get("/holders/licences/424242").status_code == 404
    assert client.get("/holders/evidence/424242").status_code == 404



def _queries_for(app, client, url):
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_holder_page_query_count_does_not_grow_with_the_record(app, client, users):
    with app.app_context():
        officer = register.user(users["officer"])
        small, large = register.person(officer, last_name="Small"), register.person(officer, last_name="Large")
        register.driver_application(officer, small, number="DL-S")
        register.add_check(officer, small, "dvla")
        register.vehicle(officer, small, registration="XY91ABC", plate="PL9")  # the same kinds of record, fewer
        licence = register.driver_application(officer, large, number="DL-L")
        register.add_required_checks(officer, licence)
        for plate in range(3):
            register.vehicle(officer, large, registration=f"XY{plate}1ABC", plate=f"PL{plate}")
        db.session.commit()
        small_id, large_id = small.id, large.id
    login(client, users["officer"])
    assert _queries_for(app, client, f"/holders/{large_id}") == _queries_for(app, client, f"/holders/{small_id}")


def test_holder_page_brings_in_compliance_cases_and_decisions(app, client, users):
    import datetime as dt

    from licensing.reviews.operations import cases as review_ops
    from licensing.revocations import immediate as action_operations
    from tests.support import reviews as review_data

    with app.app_context():
        officer = review_data.user(users["officer"])
        person = review_data.holder("SECT1")
        case = review_ops.open_case(officer, person, "police_information", "Arrest reported",
                                    licences=person.licences)
        action_operations.take_immediate_action(
            officer, person.licences[0], "suspension", grounds="Arrested on suspicion",
            public_safety_reason="Risk to passengers", police_information=True,
            authorised_by_id=authoriser_for(officer).id,
            suspension_to=dt.date.today() + dt.timedelta(days=30))
        db.session.commit()
        holder_id, case_ref = person.id, case.reference
    login(client, users["officer"])
    html = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert "Compliance" in html and "Not compliant" in html  # no checks recorded at all
    assert case_ref in html
    assert "Decisions and enforcement action" in html and "(immediate effect)" in html
    assert dt.date.today().strftime("%B %Y") in html

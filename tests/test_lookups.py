"""Lookups in DVLA, DVSA MOT history and the DBS Update Service, against a local server answering with
recorded responses (tests/fixtures/integrations/): what each adapter asks, what is kept, errors,
time-outs, retries and the circuit breaker; each lookup is audited and its result becomes a check
with its source; the officer can always record by hand."""

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.operations.licences import apply_for_licence
from licensing.integrations.breaker import CircuitBreaker, reset_breakers
from licensing.integrations.mot import forget_tokens
from licensing.integrations.operations import (
    LookupRefused,
    dbs_status_check,
    mot_history,
    record_dbs_consent,
    record_driver_check,
    vehicle_enquiry,
)
from licensing.jobs.runner import run_job
from licensing.models import AuditEvent, CheckKind, CheckResult, ComplianceCheck, DbsConsent, ServiceLookup
from tests.conftest import login
from tests.support import register
from tests.support.register import date_parts
from tests.support.services import FakeService, fixture, fixture_json

TODAY = dt.date.today()


@pytest.fixture
def service(app):
    reset_breakers()
    forget_tokens()
    fake = FakeService()
    app.config.update(
        DVLA_VES_API_KEY="ves-key", DVLA_VES_URL=fake.url + "/vehicle-enquiry/v1/vehicles",
        MOT_API_KEY="mot-key", MOT_API_URL=fake.url + "/v1/trade/vehicles/registration/", MOT_CLIENT_ID="client",
        MOT_CLIENT_SECRET="client-secret", MOT_TOKEN_URL=fake.url + "/oauth2/v2.0/token",
        DBS_UPDATE_URL=fake.url + "/crsc/api/status/", DBS_ORGANISATION_NAME="Example Borough Council",
        DBS_CHECKER_FORENAME="Lee", DBS_CHECKER_SURNAME="Officer", LOOKUP_TIMEOUT=0.5, LOOKUP_RETRIES=0,
        BREAKER_FAILURES=3, BREAKER_RESET_SECONDS=60)
    yield fake
    fake.stop()
    reset_breakers()


def _ves(fake):
    def answer(request):
        registration = json.loads(request["body"])["registrationNumber"]
        status = {"ER19NFD": 404, "ER19BAD": 400, "ER19MNT": 503}.get(registration, 200)
        name = f"dvla_ves_{registration if status != 200 else 'AA19AAA'}.json"
        return status, {"Content-Type": "application/json"}, fixture(name)
    fake.routes[("POST", "/vehicle-enquiry/v1/vehicles")] = answer


def _audits(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


# DVLA Vehicle Enquiry --------------------------------------------------------------------------

def test_vehicle_enquiry_asks_as_the_api_documents_and_keeps_what_the_council_uses(app, officer, service):
    _ves(service)
    holder = register.person(officer)
    lookup = vehicle_enquiry(officer, app.config, "aa19 aaa", holder=holder)
    [request] = service.requests
    assert request["method"] == "POST" and request["headers"]["x-api-key"] == "ves-key"
    assert json.loads(request["body"]) == {"registrationNumber": "AA19AAA"}
    assert lookup.outcome.value == "found" and lookup.query_ref == "AA19AAA"
    assert lookup.result["make"] == "FORD" and lookup.result["taxStatus"] == "Taxed"
    assert "co2Emissions" not in lookup.result
    [audit] = _audits("lookup.dvla_vehicle")
    assert audit.holder_id == holder.id and audit.after["outcome"] == "found"


@pytest.mark.parametrize(("registration", "outcome"), [("ER19NFD", "not_found"), ("ER19BAD", "refused"),
                                                       ("ER19MNT", "unavailable")])
def test_vehicle_enquiry_errors_are_kept_as_their_outcome(app, officer, service, registration, outcome):
    _ves(service)
    lookup = vehicle_enquiry(officer, app.config, registration, holder=register.person(officer))
    assert lookup.outcome.value == outcome and lookup.result is None
    assert len(_audits("lookup.dvla_vehicle")) == 1


def test_a_time_out_is_retried_then_the_breaker_opens_and_answers_at_once(app, officer, service):
    _ves(service)
    holder = register.person(officer)
    service.delay = 1.0  # longer than LOOKUP_TIMEOUT
    app.config["LOOKUP_RETRIES"] = 1
    lookup = vehicle_enquiry(officer, app.config, "AA19AAA", holder=holder)
    assert lookup.outcome.value == "unavailable" and len(service.requests) == 2  # one try and one retry
    [audit] = _audits("lookup.dvla_vehicle")
    assert audit.after["reason"] == "time-out"
    for _ in range(2):
        vehicle_enquiry(officer, app.config, "AA19AAA", holder=holder)
    asked = len(service.requests)
    service.delay = 0
    refused_fast = vehicle_enquiry(officer, app.config, "AA19AAA", holder=holder)
    assert refused_fast.outcome.value == "unavailable" and len(service.requests) == asked  # not even asked
    assert _audits("lookup.dvla_vehicle")[-1].after["reason"] == "breaker open"


def test_the_breaker_lets_one_call_through_after_its_pause():
    now = [0.0]
    breaker = CircuitBreaker(failures_to_open=2, reset_seconds=30, clock=lambda: now[0])
    breaker.failed()
    assert breaker.allow()
    breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    now[0] = 31
    assert breaker.state == "half_open" and breaker.allow()
    breaker.failed()  # the trial call failed: open again at once
    assert not breaker.allow()
    now[0] = 62
    breaker.succeeded()
    assert breaker.state == "closed"


def test_a_lookup_that_is_not_configured_says_so_and_points_to_recording_by_hand(app, client, users):
    with app.app_context():
        holder = register.person(register.user(users["officer"]))
        db.session.commit()
        holder_id = holder.id
    app.config["DVLA_VES_API_KEY"] = ""
    login(client, users["officer"])
    page = client.get(f"/integrations/holders/{holder_id}/vehicle-enquiry").get_data(as_text=True)
    assert "is not connected on this system" in page and f"/holders/{holder_id}/checks/new" in page
    response = client.post(f"/integrations/holders/{holder_id}/vehicle-enquiry", data={"registration": "AA19AAA"})
    assert "is not connected on this system" in response.get_data(as_text=True)


def test_the_officer_looks_up_a_new_vehicle_and_adds_it_with_the_details_filled_in(app, client, users, service):
    _ves(service)
    with app.app_context():
        holder = register.person(register.user(users["officer"]))
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    response = client.post(f"/integrations/holders/{holder_id}/vehicle-enquiry", data={"registration": "AA19 AAA"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "FORD" in page and "Taxed" in page and "1 June 2027" in page
    add = re.search(r'href="([^"]*/vehicles/new[^"]*)"', page).group(1).replace("&amp;", "&")
    form = client.get(add).get_data(as_text=True)
    assert 'value="AA19AAA"' in form and 'value="FORD"' in form and 'value="RED"' in form


def test_a_registered_vehicle_is_checked_against_the_register(app, client, users, service):
    _ves(service)
    with app.app_context():
        officer = register.user(users["officer"])
        vehicle = register.vehicle(officer, register.person(officer), registration="AA19 AAA")
        db.session.commit()
        vehicle_id = vehicle.id
    login(client, users["officer"])
    response = client.post(f"/integrations/vehicles/{vehicle_id}/dvla_vehicle", data={})
    page = client.get(response.location).get_data(as_text=True)
    assert "The register differs from the DVLA" in page
    assert "Make is Skoda on the register and FORD at the DVLA" in page


# DVSA MOT history ------------------------------------------------------------------------------

def _mot(fake, registration="AB12CDE", expires=None):
    body = fixture_json("mot_AB12CDE.json")
    expires = expires or TODAY + dt.timedelta(days=200)
    body["motTests"][1].update(completedDate=f"{(expires - dt.timedelta(days=365)).isoformat()}T09:00:00.000Z",
                               expiryDate=expires.isoformat())
    fake.answer("POST", "/oauth2/v2.0/token", 200, fixture_json("mot_token.json"))
    fake.answer("GET", f"/v1/trade/vehicles/registration/{registration}", 200, body)


def _licensed_vehicle(officer, registration="AB12 CDE"):
    holder = register.person(officer)
    vehicle = register.vehicle(officer, holder, registration=registration)
    apply_for_licence(officer, holder, licence_type="private_hire_vehicle", licence_number="PV100",
                      received_on=TODAY - dt.timedelta(days=3), vehicle=vehicle)
    return vehicle


def test_mot_history_takes_a_token_then_records_the_latest_test_as_a_check(app, officer, service):
    _mot(service)
    vehicle = _licensed_vehicle(officer)
    lookup = mot_history(officer, app.config, vehicle)
    token, history = service.requests
    assert token["path"] == "/oauth2/v2.0/token"
    assert parse_qs(token["body"].decode()) == {"grant_type": ["client_credentials"], "client_id": ["client"],
                                                "client_secret": ["client-secret"],
                                                "scope": ["https://tapi.dvsa.gov.uk/.default"]}
    assert history["path"] == "/v1/trade/vehicles/registration/AB12CDE"
    assert history["headers"]["Authorization"] == "Bearer " + fixture_json("mot_token.json")["access_token"]
    assert history["headers"]["X-API-Key"] == "mot-key"
    assert lookup.outcome.value == "found" and len(lookup.result["tests"]) == 2
    check = db.session.scalars(sa.select(ComplianceCheck).where(ComplianceCheck.lookup_id == lookup.id)).one()
    assert (check.kind, check.result) == (CheckKind.MOT, CheckResult.PASS)
    assert check.expires_on == TODAY + dt.timedelta(days=200) and check.reference == "192837465099"
    assert check.source == "DVSA MOT history" and "brake pad" in check.notes.lower()
    mot_history(officer, app.config, vehicle)
    assert [r["path"] for r in service.requests].count("/oauth2/v2.0/token") == 1  # the token is kept


def test_an_expired_mot_is_recorded_as_failed_and_no_record_as_not_found(app, officer, service):
    _mot(service, expires=TODAY - dt.timedelta(days=3))
    vehicle = _licensed_vehicle(officer)
    mot_history(officer, app.config, vehicle)
    assert db.session.scalars(sa.select(ComplianceCheck.result).where(ComplianceCheck.kind == CheckKind.MOT)).one() \
        == CheckResult.FAIL
    service.answer("GET", "/v1/trade/vehicles/registration/AB12CDE", 404, fixture_json("mot_not_found.json"))
    assert mot_history(officer, app.config, vehicle).outcome.value == "not_found"


def test_mot_history_down_records_no_check_and_the_officer_can_record_by_hand(app, officer, service):
    service.answer("POST", "/oauth2/v2.0/token", 200, fixture_json("mot_token.json"))
    service.answer("GET", "/v1/trade/vehicles/registration/", 503, b"Service Unavailable", "text/plain")
    vehicle = _licensed_vehicle(officer)
    assert mot_history(officer, app.config, vehicle).outcome.value == "unavailable"
    assert db.session.scalar(sa.select(sa.func.count(ComplianceCheck.id))) == 0
    licence_id = db.session.scalars(sa.select(ServiceLookup.vehicle_id)).one()
    assert licence_id == vehicle.id
    by_hand = register.add_check(officer, vehicle.proprietor, "mot", licence=vehicle_licence(vehicle))
    assert by_hand.source is None  # keyed in by the officer


def vehicle_licence(vehicle):
    from licensing.models import Licence

    return db.session.scalars(sa.select(Licence).where(Licence.vehicle_id == vehicle.id)).one()


# DBS Update Service ----------------------------------------------------------------------------

def _dbs(fake, name="dbs_blank_no_new_info.xml"):
    fake.answer("GET", "/crsc/api/status/", 200, fixture(name), "application/xml")


def test_a_dbs_status_check_needs_consent_asks_as_documented_and_becomes_a_check(app, officer, service):
    _dbs(service)
    holder = register.person(officer)
    with pytest.raises(LookupRefused, match="12-digit"):
        record_dbs_consent(officer, holder, {"certificate_number": "1234", "consent_given_on": TODAY})
    consent = record_dbs_consent(officer, holder, {"certificate_number": "0012 3456 7890",
                                                   "consent_given_on": TODAY})
    lookup = dbs_status_check(officer, app.config, consent, today=TODAY)
    [request] = service.requests
    url = urlsplit(request["path"])
    assert url.path == "/crsc/api/status/001234567890"
    assert parse_qs(url.query) == {"dateOfBirth": ["17/05/1980"], "surname": ["DRIVER"],
                                   "hasAgreedTermsAndConditions": ["true"],
                                   "organisationName": ["Example Borough Council"], "employeeForename": ["Lee"],
                                   "employeeSurname": ["Officer"]}
    check = db.session.scalars(sa.select(ComplianceCheck).where(ComplianceCheck.lookup_id == lookup.id)).one()
    assert (check.kind, check.result, check.source) == (CheckKind.DBS_UPDATE_SERVICE, CheckResult.CLEAR,
                                                        "DBS Update Service")
    assert consent.next_check_on.month == (TODAY.month + 5) % 12 + 1  # six months on, by policy


def test_new_information_leaves_the_requirement_unmet(app, officer, service):
    _dbs(service, "dbs_new_info.xml")
    consent = record_dbs_consent(officer, register.person(officer), {"certificate_number": "001234567890",
                                                                     "consent_given_on": TODAY})
    dbs_status_check(officer, app.config, consent)
    check = db.session.scalars(sa.select(ComplianceCheck)).one()
    assert check.result == CheckResult.PENDING and "no longer current" in check.notes


def test_withdrawn_consent_stops_the_check(app, officer, service):
    from licensing.integrations.operations import withdraw_dbs_consent

    consent = record_dbs_consent(officer, register.person(officer), {"certificate_number": "001234567890",
                                                                     "consent_given_on": TODAY})
    withdraw_dbs_consent(officer, consent)
    with pytest.raises(LookupRefused, match="withdrawn"):
        dbs_status_check(officer, app.config, consent)
    assert service.requests == []


@pytest.mark.clean_database
def test_the_scheduler_rechecks_due_certificates_and_waits_out_an_outage(app, service):
    from tests.conftest import make_user

    with app.app_context():
        officer = db.session.get(register.User, make_user("officer"))
        holder = register.person(officer)
        consent = record_dbs_consent(officer, holder, {"certificate_number": "001234567890",
                                                       "consent_given_on": TODAY - dt.timedelta(days=200)})
        consent.next_check_on = TODAY - dt.timedelta(days=1)
        db.session.commit()
        service.answer("GET", "/crsc/api/status/", 500, b"error", "text/plain")
        assert run_job("dbs_rechecks", TODAY).counts == {"checked": 0, "unavailable": 1}
        assert db.session.get(DbsConsent, consent.id).next_check_on == TODAY - dt.timedelta(days=1)  # still due
        reset_breakers()
        _dbs(service)
        assert run_job("dbs_rechecks", TODAY).counts == {"checked": 1, "unavailable": 0}
        assert run_job("dbs_rechecks", TODAY).counts == {"checked": 0, "unavailable": 0}
        check = db.session.scalars(sa.select(ComplianceCheck)).one()
        assert check.recorded_by_id is None and check.source == "DBS Update Service"


# DVLA check code -------------------------------------------------------------------------------

def test_a_driver_check_by_code_records_what_the_officer_read(app, officer):
    holder = register.person(officer)
    with pytest.raises(LookupRefused, match="check code"):
        record_driver_check(officer, holder, {"check_code": "short", "checked_on": TODAY, "points": 0,
                                              "entitlements": "B"})
    check = record_driver_check(officer, holder, {"check_code": "Kd 7h Xw 2p", "checked_on": TODAY, "points": 3,
                                                  "entitlements": "B, BE", "result": "pass"})
    assert (check.kind, check.points, check.reference) == (CheckKind.DVLA, 3, "Kd7hXw2p")
    assert check.source.startswith("DVLA check code") and check.notes == "Entitlements: B, BE"
    lookup = db.session.get(ServiceLookup, check.lookup_id)
    assert lookup.result == {"points": 3, "entitlements": "B, BE", "checked_on": TODAY.isoformat()}


def test_the_holder_page_links_every_lookup_and_the_pages_work(app, client, users, service):
    _dbs(service)
    with app.app_context():
        officer = register.user(users["officer"])
        vehicle = _licensed_vehicle(officer)
        holder_id = vehicle.proprietor_id
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/holders/{holder_id}").get_data(as_text=True)
    assert "Lookups" in page and "MOT history" in page and "Record consent to DBS Update Service checks" in page
    response = client.post(f"/integrations/holders/{holder_id}/dbs-consent", data={
        "certificate_number": "001234567890", "consent_given_on": date_parts(TODAY)})
    assert response.status_code == 302
    with app.app_context():
        consent_id = db.session.scalars(sa.select(DbsConsent.id)).one()
    response = client.post(f"/integrations/dbs-consents/{consent_id}/check", data={})
    result = client.get(response.location).get_data(as_text=True)
    assert "no information and is still current" in result and "Recorded as a check" in result
    response = client.post(f"/integrations/holders/{holder_id}/driver-check", data={
        "check_code": "Kd7hXw2p", "checked_on": date_parts(TODAY), "points": "0", "entitlements": "B",
        "result": "pass"})
    assert response.status_code == 302

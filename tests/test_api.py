"""The HTTP API: its OpenAPI document, scoped tokens, each endpoint and what it releases."""

import datetime as dt

import pytest
import sqlalchemy as sa
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from licensing.api.tokens import hash_token
from licensing.extensions import db
from licensing.holders.operations.licences import decide_application
from licensing.models import (
    ApiClient,
    ApplicationOrigin,
    AuditEvent,
    LicenceApplication,
    LicenceHolder,
)
from tests.support import register
from tests.support.api import bearer, client_token, granted_driver, suspend
from tests.support.register import TODAY

PERSONAL = {"date_of_birth", "address", "postcode", "email", "phone", "dvla_licence_number"}
APPLICANT = {"first_name": "Priya", "last_name": "Portal", "date_of_birth": "1985-02-03",
             "email": "priya@example.com", "address": "2 Low Road", "postcode": "ab1 2cd"}


@pytest.fixture
def crm(ctx, officer):
    return client_token(officer)


def _spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _check_against_spec(spec, path, method, response):
    """The response's body matches the schema the document gives for its status (or `default`)."""
    responses = spec["paths"][path][method]["responses"]
    declared = responses.get(str(response.status_code)) or responses["default"]
    if "$ref" in declared:
        declared = spec["components"]["responses"][declared["$ref"].rsplit("/", 1)[1]]
    schema = {"components": spec["components"], **declared["content"]["application/json"]["schema"]}
    errors = list(OAS31Validator(schema).iter_errors(response.get_json()))
    assert errors == [], (path, method, response.status_code, [e.message for e in errors])


def test_the_openapi_document_is_valid_openapi_3_1(app, client):
    spec = _spec(client)
    assert spec["openapi"] == "3.1.0"
    validate_spec(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def test_every_listed_path_answers_as_the_document_says(app, client, officer, crm):
    spec = _spec(client)
    _, token, _ = crm
    granted_driver(officer, badge="B100")
    with app.app_context():
        sent = client.post("/api/v1/applications", headers=bearer(token),
                           json={"licence_type": "private_hire_driver", "applicant": APPLICANT})
    application_id = sent.get_json()["id"]
    calls = {
        ("/api/v1/validity", "get"): ["/api/v1/validity?by=licence&number=DL0001",
                                     "/api/v1/validity?by=badge&number=b100",
                                     "/api/v1/validity?by=licence&number=NOPE",
                                     "/api/v1/validity?by=colour&number=red"],
        ("/api/v1/public-register", "get"): ["/api/v1/public-register", "/api/v1/public-register?q=Driver"],
        ("/api/v1/register/licences", "get"): ["/api/v1/register/licences?limit=1",
                                               "/api/v1/register/licences?status=active"],
        ("/api/v1/register/licences/{licence_number}", "get"): ["/api/v1/register/licences/DL0001",
                                                               "/api/v1/register/licences/NOPE"],
        ("/api/v1/applications/{application_id}", "get"): [f"/api/v1/applications/{application_id}",
                                                           "/api/v1/applications/999999"],
    }
    assert set(calls) | {("/api/v1/applications", "post")} == {
        (path, method) for path, item in spec["paths"].items() for method in item if method != "parameters"}
    seen = set()
    for (path, method), urls in calls.items():
        for url in urls:
            response = client.get(url, headers=bearer(token))
            assert response.is_json, url
            _check_against_spec(spec, path, method, response)
            seen.add(response.status_code)
    _check_against_spec(spec, "/api/v1/applications", "post", sent)
    refused = client.post("/api/v1/applications", headers=bearer(token), json={"licence_type": "private_hire_driver"})
    assert refused.status_code == 422
    _check_against_spec(spec, "/api/v1/applications", "post", refused)
    anonymous = client.get("/api/v1/validity?by=licence&number=DL0001")
    _check_against_spec(spec, "/api/v1/validity", "get", anonymous)
    assert seen >= {200, 404, 422}


def test_a_token_is_stored_only_as_its_hash_and_revoked_tokens_stop_working(app, client, officer, crm):
    from licensing.api.operations import revoke_client

    api_client, token, _ = crm
    assert api_client.token_hash == hash_token(token) and token not in (api_client.token_prefix, api_client.scopes)
    assert token.startswith(api_client.token_prefix)
    granted_driver(officer)
    assert client.get("/api/v1/validity?by=licence&number=DL0001", headers=bearer(token)).status_code == 200
    revoke_client(officer, api_client, "Contract ended")
    db.session.commit()
    response = client.get("/api/v1/validity?by=licence&number=DL0001", headers=bearer(token))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity_type == "api_clients")).all()
    assert actions == ["api_client.create", "api_client.revoke"]


def test_a_worker_keeps_a_tokens_client_for_a_few_seconds_and_its_last_use_is_written_once(
        app, client, officer, monkeypatch):
    """Another worker's revocation (here, written straight to the database) reaches this one when
    its cached answer runs out, API_TOKEN_CACHE_SECONDS later; its own revocation at once."""
    import licensing.api.queries as queries

    api_client, token, _ = client_token(officer, scopes=["validity:read"], name="Rank marshals")
    granted_driver(officer)
    path = "/api/v1/validity?by=licence&number=DL0001"
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get(path, headers=bearer(token)).status_code == 200
        assert any(sql.lstrip().upper().startswith("UPDATE API_CLIENTS") for sql in statements)
        statements.clear()
        assert client.get(path, headers=bearer(token)).status_code == 200
        assert statements and not any("api_clients" in sql for sql in statements)  # not read or written again
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert db.session.get(ApiClient, api_client.id).last_used_at is not None
    db.session.execute(sa.update(ApiClient).where(ApiClient.id == api_client.id)
                       .values(revoked_at=dt.datetime(2026, 1, 1)))
    db.session.commit()
    assert client.get(path, headers=bearer(token)).status_code == 200
    now = queries.monotonic()
    monkeypatch.setattr(queries, "monotonic", lambda: now + app.config["API_TOKEN_CACHE_SECONDS"] + 0.1)
    assert client.get(path, headers=bearer(token)).status_code == 401


def test_no_token_a_wrong_token_or_a_staff_session_gets_401(app, client, users):
    from tests.conftest import login

    for headers in ({}, bearer("tlk_not-a-real-token"), {"Authorization": "Basic abc"}):
        assert client.get("/api/v1/register/licences", headers=headers).status_code == 401
    login(client, users["officer"])
    assert client.get("/api/v1/register/licences").status_code == 401


def test_a_token_without_the_scope_gets_403_and_the_refusal_is_audited(app, client, officer):
    _, token, _ = client_token(officer, scopes=["validity:read"], name="Rank marshals")
    response = client.get("/api/v1/register/licences", headers=bearer(token))
    assert response.status_code == 403
    assert "register:read" in response.get_json()["message"]
    denied = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api.denied")).one()
    assert "/api/v1/register/licences" in denied.reason


def test_validity_by_licence_badge_and_plate_carries_no_personal_data(app, client, officer):
    _, token, _ = client_token(officer, scopes=["validity:read"], name="Rank marshals")
    licence = granted_driver(officer, badge="B100")
    holder = register.person(officer, last_name="Owner")
    vehicle = register.vehicle(officer, holder, registration="XY12 ZZZ", plate="HC42")
    db.session.commit()
    answer = client.get("/api/v1/validity?by=licence&number=dl0001", headers=bearer(token)).get_json()
    assert answer["valid"] is True and answer["status"] == "active"
    assert answer["licence_type_label"] == "Private hire driver"
    assert answer["expires_on"] == (TODAY + dt.timedelta(days=3 * 365)).isoformat()
    assert not PERSONAL & set(answer) and "Driver" not in str(answer) and "Dana" not in str(answer)
    assert client.get("/api/v1/validity?by=badge&number=B100", headers=bearer(token)).get_json()["valid"] is True
    suspend(officer, licence)
    assert client.get("/api/v1/validity?by=badge&number=B100", headers=bearer(token)).get_json()["valid"] is False
    from licensing.holders.operations.licences import apply_for_licence

    apply_for_licence(officer, holder, licence_type="hackney_carriage_vehicle", licence_number="HV1",
                      received_on=TODAY, vehicle=vehicle)
    db.session.commit()
    plate = client.get("/api/v1/validity?by=plate&number=hc42", headers=bearer(token)).get_json()
    assert plate["licence_number"] == "HV1" and plate["valid"] is False and plate["status"] == "applied"
    assert plate["vehicle_registration"] == "XY12ZZZ"


def test_register_reads_give_reference_and_name_only_and_are_audited(app, client, officer, crm):
    _, token, _ = crm
    granted_driver(officer, number="DL0001", last_name="First")
    granted_driver(officer, number="DL0002", last_name="Second")
    first = client.get("/api/v1/register/licences?limit=1", headers=bearer(token)).get_json()
    assert [item["licence_number"] for item in first["items"]] == ["DL0001"]
    assert first["items"][0]["holder_name"] == "Dana First"
    assert not PERSONAL & set(first["items"][0])
    rest = client.get(f"/api/v1/register/licences?after={first['next_after']}", headers=bearer(token)).get_json()
    assert [item["licence_number"] for item in rest["items"]] == ["DL0002"] and rest["next_after"] is None
    reads = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "api.register_read")).all()
    assert len(reads) == 2


def test_the_public_register_needs_no_token_and_publishes_only_what_the_pages_do(app, client, officer):
    granted_driver(officer)
    body = client.get("/api/v1/public-register?q=Driver").get_json()
    assert [entry["licence_number"] for entry in body["entries"]] == ["DL0001"]
    assert set(body["entries"][0]) == {"name", "licence_number", "licence_type", "status", "expires_on",
                                       "vehicle_registration", "vehicle_make", "plate_number"}


def test_a_portal_application_waits_for_the_normal_decision(app, client, officer, crm):
    api_client, token, _ = crm
    sent = client.post("/api/v1/applications", headers=bearer(token), json={
        "licence_type": "private_hire_driver", "portal_reference": "PORTAL-77", "applicant": APPLICANT})
    assert sent.status_code == 201, sent.get_data(as_text=True)
    body = sent.get_json()
    assert body["origin"] == "portal" and body["outcome"] == "pending" and body["licence_status"] == "applied"
    application = db.session.get(LicenceApplication, body["id"])
    assert application.origin == ApplicationOrigin.PORTAL and application.api_client_id == api_client.id
    holder = db.session.get(LicenceHolder, application.licence.holder_id)
    assert holder.postcode == "AB1 2CD" and holder.date_of_birth == dt.date(1985, 2, 3)
    receipt = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "licence_application.receive")).one()
    assert receipt.actor_id is None and "PORTAL-77" in receipt.reason and "Council CRM" in receipt.reason
    decide_application(officer, application, outcome="refused", capacity="delegated_officer", decided_on=TODAY,
                       reasons="Not a fit and proper person", version=application.licence.version)
    db.session.commit()
    status = client.get(f"/api/v1/applications/{body['id']}", headers=bearer(token)).get_json()
    assert status["outcome"] == "refused" and status["licence_status"] == "refused"
    _, other, _ = client_token(officer, name="Another portal")
    assert client.get(f"/api/v1/applications/{body['id']}", headers=bearer(other)).status_code == 404


def test_a_portal_application_is_refused_by_the_register_rules(app, client, officer, crm):
    _, token, _ = crm
    young = {**APPLICANT, "date_of_birth": (TODAY - dt.timedelta(days=365 * 18)).isoformat()}
    refused = client.post("/api/v1/applications", headers=bearer(token),
                          json={"licence_type": "private_hire_driver", "applicant": young})
    assert refused.status_code == 422
    assert "at least 21" in refused.get_json()["message"]
    assert db.session.scalar(sa.select(sa.func.count(LicenceApplication.id))) == 0


def test_api_limits_count_per_token_and_answer_json(app, officer, crm):
    _, token, _ = crm
    app.config.update(RATE_LIMITS=True, RATELIMIT_API="2 per minute")
    try:
        client = app.test_client()
        codes = [client.get("/api/v1/validity?by=licence&number=X", headers=bearer(token)).status_code
                 for _ in range(3)]
        assert codes == [404, 404, 429]
        limited = client.get("/api/v1/validity?by=licence&number=X", headers=bearer(token))
        assert limited.is_json and limited.headers["Retry-After"]
    finally:
        app.config.update(RATE_LIMITS=False, RATELIMIT_API="120 per minute")
        from licensing.extensions import limiter

        limiter.reset()


def test_the_token_is_shown_once_on_the_admin_page_and_can_be_revoked(app, ctx, client, users):
    from tests.conftest import login

    login(client, users["admin"])
    page = client.post("/admin/api-clients/new", data={
        "name": "Council portal", "scopes": ["applications:write", "validity:read"],
        "webhook_url": "https://portal.example.gov.uk/hooks"})
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    html = page.get_data(as_text=True)
    stored = db.session.scalars(sa.select(ApiClient)).one()
    token = html.split('id="api-token">', 1)[1].split("<", 1)[0]
    assert hash_token(token) == stored.token_hash and stored.webhook_secret in html
    listing = client.get("/admin/api-clients/").get_data(as_text=True)
    assert stored.token_prefix in listing and token not in listing
    done = client.post(f"/admin/api-clients/{stored.id}/revoke", data={"reason": "Replaced"})
    assert done.status_code == 302
    db.session.refresh(stored)
    assert stored.revoked_at is not None and stored.revoked_reason == "Replaced"


def test_the_command_line_creates_and_revokes_clients(app, officer):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-clients", "create", "--name", "Rank marshals", "--scope", "validity:read"])
    assert created.exit_code == 0, created.output
    token = created.output.split("Token (shown once): ", 1)[1].split()[0]
    stored = db.session.scalars(sa.select(ApiClient)).one()
    assert stored.token_hash == hash_token(token)
    listed = runner.invoke(args=["api-clients", "list"])
    assert "Rank marshals" in listed.output and token not in listed.output
    revoked = runner.invoke(args=["api-clients", "revoke", str(stored.id), "--reason", "Lost phone"])
    assert revoked.exit_code == 0, revoked.output
    db.session.expire_all()
    assert db.session.get(ApiClient, stored.id).revoked_at is not None

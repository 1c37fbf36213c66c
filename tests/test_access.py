"""Every route declares who may use it, and the declaration is what happens."""

import datetime
import io
import re

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import ApiScope, AuditEvent, Permission, Role
from licensing.models.users import permissions_for
from licensing.permissions import AUTHENTICATED, HOLDER, PUBLIC, requires, roles_granted
from tests.conftest import build_app, login
from tests.support import register
from tests.support import reviews as build
from tests.support.hearings import sample_route_args as sample_hearing_args
from tests.support.portal import sample_route_args as sample_online_args
from tests.support.reviews import sample_route_args
from tests.support.revocations import sample_route_args as sample_revocation_args
from tests.support.training_data import sample_training_records

ROLES = ["officer", "panel", "manager", "admin", "officer_no_clearance"]
# The test account behind each name: its role and whether it holds intelligence clearance.
ACCOUNTS = {"officer": (Role.OFFICER, True), "officer_no_clearance": (Role.OFFICER, False),
            "panel": (Role.PANEL, False), "manager": (Role.MANAGER, False), "admin": (Role.ADMIN, False)}
# Example values for URL parameters, by name.
SAMPLE_ARGS = {"filename": "manifest.json", "user_id": "1", "action": "disable", "service": "dvla_vehicle"}
# Public routes that outside services call with a bearer token of their own (not a session):
# without the token they answer 401, or 404 while the connection is not configured.
SERVICE_CALLBACKS = {"integrations.notify_receipt"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        # The local fake payment service stands for GOV.UK Pay (development and tests only): its
        # API answers a bearer key, not a sign-in (tests/test_portal_payments.py).
        if rule.endpoint == "static" or rule.endpoint.startswith("fake_pay."):
            continue
        yield rule


MISSING_ID = 999999


def _url(rule, records=None):
    """The rule with each <converter:name> filled: ids of records the test created for the route's
    blueprint (then for any blueprint), else samples; a missing id where none was created."""
    records = records or {}
    values = {**SAMPLE_ARGS}
    for group in records.values():
        values.update({name: str(value) for name, value in group.items()})
    values.update({name: str(value) for name, value in records.get(rule.endpoint.split(".")[0], {}).items()})
    return re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: values.get(m.group(1), str(MISSING_ID)), rule.rule)


def _sample_records(app, officer_email):
    """Real records for every route parameter, created through the operations, by blueprint."""
    from werkzeug.datastructures import FileStorage

    from licensing.holders.operations.holders import add_evidence

    with app.app_context():
        officer = register.user(officer_email)
        holder = register.person(officer)
        licence = register.driver_application(officer, holder)
        vehicle = register.vehicle(officer, holder)
        check = register.add_check(officer, holder, "dvla")
        pdf = FileStorage(io.BytesIO(b"%PDF-1.4 sample"), filename="sample.pdf")
        document = add_evidence(officer, check, pdf, 1024 * 1024)
        conviction = build.conviction(holder, "violence", datetime.date(2018, 3, 1))
        db.session.commit()
        holders = {"holder_id": holder.id, "licence_id": licence.id, "vehicle_id": vehicle.id,
                   "check_id": check.id, "document_id": document.id, "conviction_id": conviction.id}
    with app.app_context():
        training = sample_training_records()
    hearings = sample_hearing_args(app)
    revocations = sample_revocation_args(app)
    with app.app_context():
        import datetime as dt

        from licensing.models.base import utcnow
        from licensing.reports.exports import request_export
        from licensing.reports.periods import Quarter

        export = request_export(register.user(officer_email), Quarter.parse("2016-17-Q2"), "csv")
        export.status, export.content, export.size, export.filename = "done", b"a\r\n", 3, "sample.csv"
        export.finished_at = export.expires_at = utcnow() + dt.timedelta(days=1)
        db.session.commit()
        reports = {"token": export.token}
        from tests.support.api import client_token

        api_clients = {"client_id": client_token(register.user(officer_email), name="Sample portal")[0].id}
    return {"holders": holders, "reviews": sample_route_args(app), "training": training, "hearings": hearings,
            "reports": reports, "api_clients": api_clients,
            "revocations": revocations, "safeguarding": _sample_safeguarding(app, officer_email, holders["holder_id"]),
            "integrations": _sample_lookups(app, officer_email, holders["holder_id"]),
            "online_accounts": sample_online_args(app, holders["holder_id"])}


def _sample_lookups(app, officer_email, holder_id):
    """A DBS consent and a recorded check-code lookup (no outside service is asked)."""
    import datetime as dt

    from licensing.integrations.operations import record_dbs_consent, record_driver_check
    from licensing.models import LicenceHolder

    with app.app_context():
        officer = register.user(officer_email)
        holder = db.session.get(LicenceHolder, holder_id)
        today = dt.date.today()
        consent = record_dbs_consent(officer, holder, {"certificate_number": "001234567890", "consent_given_on": today})
        check = record_driver_check(officer, holder, {"check_code": "Kd7hXw2p", "checked_on": today, "points": 0,
                                                      "entitlements": "B"})
        db.session.commit()
        return {"consent_id": consent.id, "lookup_id": check.lookup_id}


def _sample_safeguarding(app, officer_email, holder_id):
    """Non-conviction information, an incoming s.5 concern and a released subject access request."""
    import datetime as dt

    from licensing.models import LicenceHolder
    from licensing.safeguarding.operations import disclosure, nr3s, records

    with app.app_context():
        officer = register.user(officer_email)
        holder = db.session.get(LicenceHolder, holder_id)
        today = dt.date.today()
        information = records.record_non_conviction(officer, holder, {
            "kind": "arrest", "source": "police", "handling_code": "B2 P", "occurred_on": today,
            "received_on": today, "summary": "Arrested"})
        concern = nr3s.record_incoming_concern(officer, holder, {
            "sending_authority": "Leeds City Council", "received_on": today, "information": "Seen plying for hire"})
        request = disclosure.draft_subject_access(officer, holder, received_on=today)
        for item in request.items:
            disclosure.review_item(officer, item, decision="disclose")
        disclosure.release(officer, request, released_on=today)
        db.session.commit()
        return {"information_id": information.id, "concern_id": concern.id, "sar_id": request.id}


def test_every_route_declares_an_access_rule():
    app = build_app("sqlite://")
    missing = [
        rule.rule for rule in _routes(app)
        if getattr(app.view_functions[rule.endpoint], "access_rule", None) is None
    ]
    assert missing == [], f"routes without an access rule: {missing}"


def test_a_route_without_a_rule_is_refused_at_runtime(tmp_path):
    app = build_app(f"sqlite:///{tmp_path}/x.db")
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert app.test_client().get("/forgotten").status_code == 403


def test_every_private_route_requires_a_named_permission():
    app = build_app("sqlite://")
    rules = {rule.endpoint: app.view_functions[rule.endpoint].access_rule for rule in _routes(app)}
    odd = {endpoint: rule for endpoint, rule in rules.items()
           if rule not in (PUBLIC, AUTHENTICATED, HOLDER) and not isinstance(rule, Permission | ApiScope)}
    assert odd == {}
    assert sum(isinstance(rule, Permission) for rule in rules.values()) >= 100


def test_a_misspelt_permission_cannot_be_declared():
    with pytest.raises(AttributeError):
        Permission.HOLDERS_RAED  # noqa: B018
    with pytest.raises(ValueError, match="holders:raed"):
        requires("holders:raed")


def test_every_permission_is_held_by_some_role():
    assert [p for p in Permission if not roles_granted(p)] == []


def _roles(rule_value):
    """The roles a route's rule admits (none named for public and any-signed-in pages, nor for the
    API's routes, which admit client tokens only)."""
    if rule_value in (PUBLIC, AUTHENTICATED, HOLDER) or isinstance(rule_value, ApiScope):
        return ()
    return roles_granted(rule_value)


def _expected(rule_value, role):
    """Allowed status codes: public pages may redirect a signed-in user onwards."""
    if rule_value == PUBLIC:
        return {200, 302}
    if rule_value == AUTHENTICATED:
        return {200}
    if rule_value == HOLDER:
        return {302}  # a staff sign-in is not an online account: to the holders' sign-in
    if isinstance(rule_value, ApiScope):
        return {401}  # a staff sign-in is no API token
    if rule_value in permissions_for(*ACCOUNTS[role]):
        return {200}
    return {404} if role == "panel" else {403}  # panel members must not learn what exists


def test_anonymous_users_are_sent_to_sign_in_for_every_private_route(app):
    client = app.test_client()
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access_rule
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(rule), method=method)
        if rule.endpoint in SERVICE_CALLBACKS:
            assert response.status_code in (401, 404), rule.rule
        elif access == PUBLIC:
            assert response.status_code in (200, 302), rule.rule
            if response.status_code == 302:
                assert any(to in response.location for to in ("/auth/login", "/home", "/account/sign-in"))
        elif access == HOLDER:
            assert response.status_code == 302 and "/account/sign-in" in response.location, rule.rule
        elif isinstance(access, ApiScope):
            assert response.status_code == 401 and response.is_json, rule.rule  # no token: JSON, no sign-in page
        else:
            assert response.status_code == 302, rule.rule
            assert "/auth/login" in response.location, rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rule_says(app, users, role):
    records = _sample_records(app, users["officer"])
    client = app.test_client()
    login(client, users[role])
    for rule in _routes(app):
        if "GET" not in rule.methods:
            continue
        access = app.view_functions[rule.endpoint].access_rule
        response = client.get(_url(rule, records))
        assert response.status_code in _expected(access, role), (role, rule.rule, response.status_code)
        _assert_security_headers(response, rule.rule)
        response.close()  # as a browser does: a streamed download ends its request


def _assert_security_headers(response, where):
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], where
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"], where
    assert headers["X-Content-Type-Options"] == "nosniff", where
    assert headers["Referrer-Policy"], where
    if response.mimetype == "text/html":
        assert headers["Cache-Control"] == "no-store", where  # signed in: never cached


def test_routes_with_record_ids_answer_404_for_missing_records(app, users):
    client = app.test_client()
    login(client, users["officer"])
    checked = 0
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access_rule
        if "GET" not in rule.methods or "<int:" not in rule.rule or "officer" not in _roles(access):
            continue
        response = client.get(re.sub(r"<int:\w+>", str(MISSING_ID), rule.rule))
        assert response.status_code == 404, (rule.rule, response.status_code)
        checked += 1
    assert checked > 0


def test_refusals_are_recorded_in_the_audit_trail(app, client, users):
    login(client, users["manager"])
    assert client.get("/holders/new").status_code == 403
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="access.denied")).scalar_one()
        assert "/holders/new" in event.reason
        assert event.actor_id is not None


def test_panel_refusals_are_404_and_still_recorded(app, client, users):
    login(client, users["panel"])
    assert client.get("/holders/").status_code == 404
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="access.denied")).scalar_one()
        assert "/holders/" in event.reason
        assert event.actor_id is not None


def test_reports_are_for_managers_and_officers_only():
    app = build_app("sqlite://")
    rules = {rule.endpoint: app.view_functions[rule.endpoint].access_rule for rule in _routes(app)
             if rule.endpoint.startswith("reports.")}
    assert len(rules) >= 11
    assert set(rules.values()) == {Permission.REPORTS_READ}
    assert {_roles(rule) for rule in rules.values()} == {("manager", "officer")}


def test_every_api_route_takes_a_client_token_or_is_public():
    """The API's routes are reached with a scoped token (or are public: the public register and the
    OpenAPI document); no staff permission opens any of them, and each scope guards some route."""
    app = build_app("sqlite://")
    rules = {rule.rule: app.view_functions[rule.endpoint].access_rule for rule in _routes(app)
             if rule.rule.startswith("/api/")}
    public_api = {path for path, rule in rules.items() if rule == PUBLIC}
    assert public_api == {"/api/v1/public-register", "/api/v1/openapi.json"}
    assert all(isinstance(rule, ApiScope) for path, rule in rules.items() if path not in public_api)
    assert {rule for rule in rules.values() if isinstance(rule, ApiScope)} == set(ApiScope)

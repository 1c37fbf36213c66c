"""Every route declares who may use it, and the declaration is what happens."""

import re

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent
from licensing.permissions import AUTHENTICATED, PUBLIC
from tests.conftest import build_app, login

ROLES = ["officer", "panel", "manager", "admin"]
# Example values for URL parameters, by name; the `records` fixture supplies real ids for
# signed-in requests (anonymous ones are redirected before any record is loaded).
SAMPLE_ARGS = {"filename": "manifest.json", "session_id": 1, "booking_id": 1, "proposal_id": 1, "holder_id": 1}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def _url(rule, args=None):
    url = rule.rule
    for name, value in {**SAMPLE_ARGS, **(args or {})}.items():
        url = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), url)
    return url


@pytest.fixture
def records(app):
    """Real records for routes with parameters, created afresh for each test."""
    from tests.support.training_data import sample_training_records

    with app.app_context():
        return sample_training_records()


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


def _expected(rule_value, role):
    if rule_value in (PUBLIC, AUTHENTICATED):
        return 200
    return 200 if role in rule_value else 403


def test_anonymous_users_are_sent_to_sign_in_for_every_private_route(app):
    client = app.test_client()
    for rule in _routes(app):
        access = app.view_functions[rule.endpoint].access_rule
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(rule), method=method)
        if access == PUBLIC:
            assert response.status_code in (200, 302), rule.rule
            if response.status_code == 302:
                assert "/auth/login" in response.location or "/home" in response.location
        else:
            assert response.status_code == 302, rule.rule
            assert "/auth/login" in response.location, rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rule_says(app, users, records, role):
    client = app.test_client()
    login(client, users[role])
    for rule in _routes(app):
        if "GET" not in rule.methods or rule.endpoint in ("main.index", "auth.login"):
            continue
        access = app.view_functions[rule.endpoint].access_rule
        response = client.get(_url(rule, records))
        assert response.status_code == _expected(access, role), (role, rule.rule, response.status_code)


def test_routes_with_parameters_answer_404_for_a_missing_record(app, users, records):
    client = app.test_client()
    login(client, users["officer"])
    missing = {name: 999999 for name in records}
    for rule in _routes(app):
        if "GET" in rule.methods and rule.arguments & set(records):
            assert client.get(_url(rule, missing)).status_code == 404, rule.rule


def test_refusals_are_recorded_in_the_audit_trail(app, client, users):
    login(client, users["panel"])
    assert client.get("/holders/").status_code == 403
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="access.denied")).scalar_one()
        assert "/holders/" in event.reason
        assert event.actor_id is not None

"""Every route declares who may use it, and the declaration is what happens."""

import io
import re

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent
from licensing.permissions import AUTHENTICATED, PUBLIC
from tests.conftest import build_app, login
from tests.support import register

ROLES = ["officer", "panel", "manager", "admin"]
# Example values for URL parameters, by name.
SAMPLE_ARGS = {"filename": "manifest.json"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


MISSING_ID = 999999


def _url(rule, ids=None):
    """The rule with sample values: record ids from `ids` (a missing id where none is given)."""
    url = rule.rule.replace("<path:filename>", SAMPLE_ARGS["filename"])
    return re.sub(r"<int:(\w+)>", lambda m: str((ids or {}).get(m.group(1), MISSING_ID)), url)


def _sample_records(app, officer_email):
    """One real record of each kind the register routes take, created through its operations."""
    from werkzeug.datastructures import FileStorage

    from licensing.holders.operations import add_evidence

    with app.app_context():
        officer = register.user(officer_email)
        holder = register.person(officer)
        licence = register.driver_application(officer, holder)
        vehicle = register.vehicle(officer, holder)
        check = register.add_check(officer, holder, "dvla")
        pdf = FileStorage(io.BytesIO(b"%PDF-1.4 sample"), filename="sample.pdf")
        document = add_evidence(officer, check, pdf, 1024 * 1024)
        db.session.commit()
        return {"holder_id": holder.id, "licence_id": licence.id, "vehicle_id": vehicle.id,
                "check_id": check.id, "document_id": document.id}


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
def test_each_role_gets_what_the_rule_says(app, users, role):
    ids = _sample_records(app, users["officer"])
    client = app.test_client()
    login(client, users[role])
    for rule in _routes(app):
        if "GET" not in rule.methods or rule.endpoint in ("main.index", "auth.login"):
            continue
        access = app.view_functions[rule.endpoint].access_rule
        response = client.get(_url(rule, ids))
        assert response.status_code == _expected(access, role), (role, rule.rule, response.status_code)


def test_refusals_are_recorded_in_the_audit_trail(app, client, users):
    login(client, users["panel"])
    assert client.get("/holders/").status_code == 403
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="access.denied")).scalar_one()
        assert "/holders/" in event.reason
        assert event.actor_id is not None


def test_register_routes_answer_404_for_missing_records(app, users):
    client = app.test_client()
    login(client, users["officer"])
    for rule in _routes(app):
        if "GET" in rule.methods and "<int:" in rule.rule:
            assert client.get(_url(rule)).status_code == 404, rule.rule

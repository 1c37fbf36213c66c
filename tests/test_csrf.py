"""With CSRF protection on (as in production), every state-changing route refuses a request
without a valid token — enumerated from the url_map, so new routes are covered automatically."""

import re

import pytest

from licensing.models import ApiScope
from tests.conftest import TEST_PASSWORD, build_app, totp_code_for
from tests.test_access import SERVICE_CALLBACKS, _routes, _url

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def csrf_app(database_url):
    return build_app(database_url, WTF_CSRF_ENABLED=True)


def _token(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _login_with_tokens(client, email):
    client.post("/auth/login", data={"email": email, "password": TEST_PASSWORD,
                                     "csrf_token": _token(client, "/auth/login")})
    client.post("/auth/two-factor", data={"code": totp_code_for(client.application, email),
                                          "csrf_token": _token(client, "/auth/two-factor")})
    assert client.get("/home").status_code == 200


def test_every_state_changing_route_refuses_a_missing_or_forged_token(csrf_app, users):
    client = csrf_app.test_client()
    _login_with_tokens(client, users["admin"])
    checked = 0
    for rule in _routes(csrf_app):
        if rule.endpoint in SERVICE_CALLBACKS:
            continue  # no session, so no CSRF: a bearer token instead (the test below)
        for method in sorted(rule.methods & STATE_CHANGING):
            # The API takes no cookies, only a bearer token a cross-site form cannot send: it needs no
            # CSRF token, and the signed-in session opens nothing there.
            expected = 401 if isinstance(csrf_app.view_functions[rule.endpoint].access_rule, ApiScope) else 400
            for data in ({}, {"csrf_token": "forged"}):
                response = client.open(_url(rule), method=method, data=data)
                assert response.status_code == expected, (method, rule.rule, response.status_code)
            checked += 1
    assert checked >= 5
    assert client.get("/home").status_code == 200  # still signed in: nothing was changed


def test_service_callbacks_need_their_bearer_token_not_a_csrf_token(csrf_app):
    csrf_app.config["NOTIFY_CALLBACK_TOKEN"] = "callback-token"
    client = csrf_app.test_client()
    receipt = {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "status": "delivered"}
    assert client.post("/integrations/notify/receipts", json=receipt).status_code == 401
    response = client.post("/integrations/notify/receipts", json=receipt,
                           headers={"Authorization": "Bearer callback-token"})
    assert response.status_code == 200 and response.json == {"status": "unknown notification"}


def test_sign_in_itself_needs_the_token(csrf_app, users):
    client = csrf_app.test_client()
    response = client.post("/auth/login", data={"email": users["officer"], "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/home").status_code == 302


def test_oversized_bodies_are_refused_before_the_csrf_check_reads_them(csrf_app, users):
    csrf_app.config["MAX_UPLOAD_BYTES"] = 1024
    response = csrf_app.test_client().post("/auth/login", data={"email": "x" * (600 * 1024)})
    assert response.status_code == 413

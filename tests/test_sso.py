"""Staff single sign-on against a local OpenID provider issuing signed ID tokens."""

import pytest
import sqlalchemy as sa
from joserfc.jwk import RSAKey

from licensing.extensions import db
from licensing.models import AuditEvent, Role, User
from tests.conftest import TEST_ENVIRON, login
from tests.support.oidc import CLIENT_ID, CLIENT_SECRET, FakeOpenIdProvider, follow_sign_in

OFFICERS, MANAGERS, CLEARED = "grp-officers", "grp-managers", "grp-cleared"
pytestmark = pytest.mark.clean_database  # an app of its own, configured for the provider


@pytest.fixture(scope="module")
def provider():
    server = FakeOpenIdProvider()
    yield server
    server.close()


@pytest.fixture
def sso_app(database_url, provider):
    from flask_migrate import upgrade

    from licensing import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "OIDC_ISSUER": provider.issuer,
                      "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET, "SERVER_NAME": "localhost",
                      "OIDC_GROUP_MAP": {"roles": {OFFICERS: "officer", MANAGERS: "manager"}, "clearance": [CLEARED]}},
                     environ=TEST_ENVIRON)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _user(app, email):
    with app.app_context():
        return db.session.execute(sa.select(User).filter_by(email=email)).scalar_one_or_none()


def _actions(app, action):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).filter_by(action=action)).all()


def test_the_sign_in_page_offers_the_council_account_only_when_configured(sso_app, app):
    assert "Sign in with your council account" in sso_app.test_client().get("/auth/login").get_data(as_text=True)
    plain = app.test_client()
    assert "council account" not in plain.get("/auth/login").get_data(as_text=True)
    assert plain.get("/auth/sso").location.endswith("/auth/login")


def test_first_sign_in_makes_the_account_from_the_groups_without_an_authenticator_code(sso_app, provider):
    provider.sign_in_as(email="Olu.Officer@Council.gov.uk", name="Olu Officer", groups=[OFFICERS, CLEARED, "other"])
    client = sso_app.test_client()
    done, sent = follow_sign_in(client, provider)
    assert done.status_code == 302 and done.location.endswith("/home"), done.location
    assert sent["scope"] == ["openid email profile"] and sent["nonce"] and sent["state"]
    user = _user(sso_app, "olu.officer@council.gov.uk")
    assert user.role == Role.OFFICER and user.has_clearance and user.name == "Olu Officer"
    assert not user.has_second_factor  # the provider's own second factor stands in
    assert client.get("/holders/").status_code == 200
    assert [e.reason for e in _actions(sso_app, "user.create")] == ["First single sign-on"]
    assert len(_actions(sso_app, "auth.login")) == 1


def test_role_and_clearance_follow_the_groups_at_each_sign_in(sso_app, provider):
    provider.sign_in_as(email="m@council.gov.uk", name="Mo", groups=[OFFICERS, CLEARED])
    follow_sign_in(sso_app.test_client(), provider)
    provider.sign_in_as(email="m@council.gov.uk", name="Mo", groups=[MANAGERS])
    follow_sign_in(sso_app.test_client(), provider)
    user = _user(sso_app, "m@council.gov.uk")
    assert user.role == Role.MANAGER and not user.has_clearance
    (update,) = _actions(sso_app, "user.sso_update")
    assert update.before == {"role": "officer", "has_clearance": True}


def test_no_mapped_group_or_two_roles_or_a_disabled_account_is_refused(sso_app, provider):
    client = sso_app.test_client()
    provider.sign_in_as(email="x@council.gov.uk", groups=["unmapped"])
    done, _ = follow_sign_in(client, provider)
    assert done.location.endswith("/auth/login") and _user(sso_app, "x@council.gov.uk") is None
    provider.sign_in_as(email="x@council.gov.uk", groups=[OFFICERS, MANAGERS])
    follow_sign_in(client, provider)
    assert _user(sso_app, "x@council.gov.uk") is None
    assert len(_actions(sso_app, "auth.sso_refused")) == 2
    provider.sign_in_as(email="d@council.gov.uk", groups=[OFFICERS])
    follow_sign_in(sso_app.test_client(), provider)
    with sso_app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email="d@council.gov.uk")).scalar_one()
        user.is_enabled = False
        db.session.commit()
    client = sso_app.test_client()
    done, _ = follow_sign_in(client, provider)
    assert done.location.endswith("/auth/login")
    assert client.get("/holders/").status_code == 302  # not signed in


def test_a_token_signed_with_another_key_is_refused(sso_app, provider):
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    try:
        provider.sign_in_as(email="f@council.gov.uk", groups=[OFFICERS])
        client = sso_app.test_client()
        done, _ = follow_sign_in(client, provider)
        assert done.location.endswith("/auth/login")
        assert _user(sso_app, "f@council.gov.uk") is None
    finally:
        provider.signing_key = provider.key


@pytest.mark.parametrize("broken", [{"aud": "another-service"}, {"iss": "http://elsewhere.example"},
                                    {"exp": 1_000_000_000}, {"nonce": "not-the-one-sent"}])
def test_an_id_token_for_another_service_expired_or_replayed_is_refused(sso_app, provider, broken):
    provider.extra_claims = broken
    try:
        provider.sign_in_as(email="b@council.gov.uk", groups=[OFFICERS])
        done, _ = follow_sign_in(sso_app.test_client(), provider)
        assert done.location.endswith("/auth/login")
        assert _user(sso_app, "b@council.gov.uk") is None
    finally:
        provider.extra_claims = {}


def test_a_replayed_or_forged_callback_signs_no_one_in(sso_app, provider):
    client = sso_app.test_client()
    done = client.get("/auth/sso/callback?code=made-up&state=made-up")
    assert done.location.endswith("/auth/login")
    assert client.get("/holders/").status_code == 302


def test_an_account_made_by_single_sign_on_has_no_password(sso_app, provider):
    provider.sign_in_as(email="p@council.gov.uk", groups=[OFFICERS])
    follow_sign_in(sso_app.test_client(), provider)
    response = sso_app.test_client().post("/auth/login",
                                          data={"email": "p@council.gov.uk", "password": "!single-sign-on"})
    assert response.status_code in (200, 429) and "/home" not in (response.location or "")


def test_local_accounts_keep_password_and_authenticator(sso_app, provider):
    from tests.conftest import make_user

    with sso_app.app_context():
        email = db.session.get(User, make_user("admin")).email
    login(sso_app.test_client(), email)


def test_the_group_map_is_read_from_the_file_the_environment_names(tmp_path):
    import json
    import pathlib

    from config import load_config
    from licensing.auth.sso import group_map, role_for

    example = pathlib.Path(__file__).resolve().parents[1] / "deploy" / "oidc-groups.example.json"
    roles, clearance = group_map({"OIDC_GROUP_MAP": str(example)})
    assert set(roles.values()) == set(Role) and len(clearance) == 1
    path = tmp_path / "groups.json"
    path.write_text(json.dumps({"roles": {"g1": "officer"}, "clearance": ["g2"]}))
    settings = load_config({**TEST_ENVIRON, "OIDC_GROUP_MAP": str(path), "OIDC_ISSUER": "https://idp.example",
                            "OIDC_CLIENT_ID": "abc"})
    assert role_for(["g1", "g2"], settings) == (Role.OFFICER, True)
    assert role_for(["g1"], settings) == (Role.OFFICER, False)

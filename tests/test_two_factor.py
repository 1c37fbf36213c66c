import datetime as dt
import re

import pyotp
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, RecoveryCode, User
from tests.conftest import TEST_PASSWORD, build_app, make_user, totp_code_for


def _user(app, email):
    with app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email=email)).scalar_one()
        db.session.expunge(user)
        return user


def test_enrolment_with_qr_code_and_recovery_codes(app, client):
    with app.app_context():
        make_user("officer", email="new@test.example.gov.uk", enrolled=False)
    response = client.post("/auth/login", data={"email": "new@test.example.gov.uk", "password": TEST_PASSWORD})
    assert response.location.endswith("/auth/two-factor/set-up")
    assert client.get("/home").status_code == 302  # not signed in yet
    page = client.get("/auth/two-factor/set-up").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = client.post("/auth/two-factor/set-up", data={"code": "000000"})
    assert "The code is not correct" in wrong.get_data(as_text=True)
    done = client.post("/auth/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert client.get("/home").status_code == 200
    user = _user(app, "new@test.example.gov.uk")
    assert user.has_second_factor and user.totp_secret == secret
    with app.app_context():
        stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not any(c.replace("-", "") in stored for c in codes)  # hashed
        assert db.session.scalar(sa.select(AuditEvent.id).filter_by(action="auth.two_factor_enrolled"))


def test_a_code_is_accepted_at_most_once(app, users):
    code = totp_code_for(app, users["officer"])
    first = app.test_client()
    first.post("/auth/login", data={"email": users["officer"], "password": TEST_PASSWORD})
    assert first.post("/auth/two-factor", data={"code": code}).status_code == 302
    second = app.test_client()
    second.post("/auth/login", data={"email": users["officer"], "password": TEST_PASSWORD})
    replay = second.post("/auth/two-factor", data={"code": code})
    assert replay.status_code == 200 and "already been used" in replay.get_data(as_text=True)
    assert second.get("/home").status_code == 302


def test_a_recovery_code_works_once(app):
    from licensing.auth.two_factor import replace_recovery_codes

    with app.app_context():
        make_user("manager", email="m@test.example.gov.uk")
        user = db.session.execute(sa.select(User).filter_by(email="m@test.example.gov.uk")).scalar_one()
        codes = replace_recovery_codes(user)
        db.session.commit()
    for expected in (302, 200):
        client = app.test_client()
        client.post("/auth/login", data={"email": "m@test.example.gov.uk", "password": TEST_PASSWORD})
        assert client.post("/auth/two-factor", data={"code": codes[0]}).status_code == expected


def test_the_code_page_needs_the_password_step_first(client, users):
    response = client.get("/auth/two-factor")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_password_step_expires(app, client, users):
    client.post("/auth/login", data={"email": users["officer"], "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        session["pending_at"] -= 301
    response = client.post("/auth/two-factor", data={"code": totp_code_for(app, users["officer"])})
    assert "/auth/login" in response.location


def test_wrong_codes_count_towards_the_sign_in_delay(app, client, users):
    client.post("/auth/login", data={"email": users["panel"], "password": TEST_PASSWORD})
    for _ in range(5):
        client.post("/auth/two-factor", data={"code": "123456"})
    response = client.post("/auth/two-factor", data={"code": totp_code_for(app, users["panel"])})
    assert response.status_code == 429
    assert client.get("/home").status_code == 302


def test_development_demo_may_skip_the_second_factor(tmp_path):
    from flask_migrate import upgrade

    app = build_app(f"sqlite:///{tmp_path}/dev.db", REQUIRE_TWO_FACTOR=False)
    with app.app_context():
        upgrade()
        make_user("officer", email="demo@test.example.gov.uk", enrolled=False)
        db.engine.dispose()
    response = app.test_client().post("/auth/login", data={"email": "demo@test.example.gov.uk",
                                                           "password": TEST_PASSWORD})
    assert response.location.endswith("/home")


def test_enrolled_users_always_give_a_code(tmp_path):
    from flask_migrate import upgrade

    app = build_app(f"sqlite:///{tmp_path}/dev.db", REQUIRE_TWO_FACTOR=False)
    with app.app_context():
        upgrade()
        make_user("officer", email="e@test.example.gov.uk")
        db.engine.dispose()
    response = app.test_client().post("/auth/login", data={"email": "e@test.example.gov.uk",
                                                           "password": TEST_PASSWORD})
    assert response.location.endswith("/auth/two-factor")


def test_codes_from_the_wrong_time_are_refused(ctx):
    from licensing.auth.two_factor import SecondFactorError, verify_second_factor

    make_user("officer", email="t@test.example.gov.uk")
    user = db.session.execute(sa.select(User).filter_by(email="t@test.example.gov.uk")).scalar_one()
    now = dt.datetime(2026, 11, 22, 12, 0, 0)
    old_code = pyotp.TOTP(user.totp_secret).at(now - dt.timedelta(minutes=2))
    try:
        verify_second_factor(user, old_code, now=now)
    except SecondFactorError:
        pass
    else:
        raise AssertionError("a two-minute-old code was accepted")
    assert verify_second_factor(user, pyotp.TOTP(user.totp_secret).at(now), now=now) == "totp"

import contextlib
import datetime as dt

import sqlalchemy as sa

from licensing.auth.operations import AccountError, create_user
from licensing.auth.passwords import hash_password, password_problem, verify_password
from licensing.extensions import db
from licensing.models import AuditEvent, User
from tests.conftest import TEST_PASSWORD, login, make_user


def test_password_hashes_are_argon2id_with_strong_parameters():
    stored = hash_password("a long enough passphrase")
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2
    assert verify_password(stored, "a long enough passphrase")
    assert not verify_password(stored, "wrong")
    assert not verify_password("not-a-hash", "anything")


def test_common_and_short_passwords_are_rejected():
    assert "12 characters" in password_problem("short")
    assert "guess" in password_problem("password1234")
    assert "guess" in password_problem("passwordpassword")
    assert "guess" in password_problem("aaaaaaaaaaaaaaa")
    assert password_problem("tram-lantern-velvet-quarry") is None


def test_sign_in_and_out(client, users):
    response = client.get("/home")
    assert response.status_code == 302 and "/auth/login" in response.location
    login(client, users["officer"])
    assert client.get("/home").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/home").status_code == 302


def test_logout_ends_the_session_at_the_server(app, users):
    first = app.test_client()
    login(first, users["officer"])
    stolen_cookie = first.get_cookie("session").value
    first.post("/auth/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    response = replay.get("/home")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_wrong_password_is_refused_with_a_message(client, users):
    response = client.post("/auth/login", data={"email": users["officer"], "password": "wrong password!"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"


def _from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_twenty_wrong_passwords_from_one_address_do_not_stop_the_officer_elsewhere(app, users):
    attacker = _from(app, ATTACKER)
    answers = [attacker.post("/auth/login", data={"email": users["officer"], "password": "wrong password!"})
               for _ in range(20)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[-1].status_code == 429 and "Too many failed attempts. Wait" in answers[-1].get_data(as_text=True)
    assert int(answers[-1].headers["Retry-After"]) > 0
    # the attacker's address waits even with the right password...
    assert attacker.post("/auth/login", data={"email": users["officer"],
                                              "password": TEST_PASSWORD}).status_code == 429
    # ...while the officer signs in from the office at once
    login(_from(app, OFFICE), users["officer"])
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert actions.count("auth.login_failed") == 4 and "auth.login_throttled" in actions


def test_the_delay_grows_then_ends(ctx, users):
    from licensing.auth.operations import LoginRefused, authenticate

    start = dt.datetime(2026, 3, 2, 9, 0)

    def attempt(seconds, password=None):
        password = password or "wrong password!"
        try:
            return authenticate(users["panel"], password, ATTACKER, now=start + dt.timedelta(seconds=seconds))
        except LoginRefused as refused:
            return refused.wait_seconds

    assert [attempt(0), attempt(1), attempt(2)] == [0, 0, 0]  # three free failures
    assert attempt(3) == 0 and attempt(4) == 1  # the fourth failure makes the next wait 2 seconds
    assert attempt(5) == 0 and attempt(6) == 3  # the fifth: 4 seconds
    assert attempt(9, TEST_PASSWORD).email == users["panel"]


def test_the_delay_is_held_in_the_database_without_the_address_or_email(app, users):
    from licensing.models import LoginThrottle

    worker_a, worker_b = _from(app, ATTACKER), _from(app, ATTACKER)
    for _ in range(2):
        worker_a.post("/auth/login", data={"email": users["panel"], "password": "wrong password!"})
        worker_b.post("/auth/login", data={"email": users["panel"], "password": "wrong password!"})
    assert worker_b.post("/auth/login", data={"email": users["panel"], "password": TEST_PASSWORD}).status_code == 429
    with app.app_context():
        rows = db.session.scalars(sa.select(LoginThrottle)).all()
        assert sorted(r.kind for r in rows) == ["account", "address", "pair"]
        stored = " ".join(f"{r.key} {r.kind}" for r in rows)
        assert ATTACKER not in stored and "panel" not in stored


def test_an_attack_from_many_addresses_slows_the_account_by_a_minute_at_most(ctx, users):
    from licensing.auth import throttle
    from licensing.auth.operations import LoginRefused, authenticate

    now = dt.datetime(2026, 3, 2, 9, 0)
    for i in range(40):
        with contextlib.suppress(LoginRefused):
            authenticate(users["manager"], "wrong password!", f"192.0.2.{i}", now=now)
    wait = throttle.wait_seconds(users["manager"], OFFICE, now)
    assert 0 < wait <= 60
    assert authenticate(users["manager"], TEST_PASSWORD, OFFICE, now=now + dt.timedelta(seconds=61))


def test_unknown_email_addresses_are_throttled_like_real_ones(client):
    answers = [client.post("/auth/login", data={"email": "nobody@example.gov.uk", "password": "wrong password!"})
               for _ in range(5)]
    assert answers[-1].status_code == 429


def test_sign_in_is_rate_limited_per_address(app, users):
    from licensing.extensions import limiter

    app.config["RATE_LIMITS"] = True
    limiter.reset()
    busy = _from(app, "192.0.2.200")
    answers = [busy.get("/auth/login").status_code for _ in range(12)]
    assert 429 not in answers  # looking at the page is not limited
    codes = [busy.post("/auth/login", data={"email": f"x{i}@example.gov.uk", "password": "x"}).status_code
             for i in range(11)]
    assert codes[-1] == 429 and 429 not in codes[:10]
    login(_from(app, OFFICE), users["officer"])


def test_proxy_headers_are_trusted_only_when_configured(database_url):
    from tests.conftest import build_app

    seen = {}
    for hops in (0, 1):
        application = build_app(database_url, TRUSTED_PROXIES=hops)

        @application.route("/_address")
        def address():
            from flask import request

            return request.remote_addr

        address.access_rule = "public"
        response = application.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.50"})
        seen[hops] = response.get_data(as_text=True)
        with application.app_context():
            db.engine.dispose()
    assert seen == {0: "127.0.0.1", 1: "203.0.113.50"}


def test_disabled_account_cannot_sign_in_and_loses_its_session(app, client, users):
    login(client, users["manager"])
    with app.app_context():
        from licensing.auth.operations import set_enabled

        user = db.session.execute(sa.select(User).filter_by(email=users["manager"])).scalar_one()
        set_enabled(None, user, False, reason="left the council")
        db.session.commit()
    assert client.get("/home").status_code == 302
    response = client.post("/auth/login", data={"email": users["manager"], "password": TEST_PASSWORD})
    assert response.status_code == 200 and "Enter a correct email" in response.get_data(as_text=True)


def test_next_redirect_is_followed_only_within_the_site(client, users):
    assert login(client, users["officer"], next_url="/holders/").location.endswith("/holders/")
    client.post("/auth/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = login(client, users["officer"], next_url=evil)
        assert response.location.endswith("/home"), evil
        client.post("/auth/logout")


def test_idle_session_times_out(app, client, users):
    login(client, users["officer"])
    with client.session_transaction() as session:
        session["seen_at"] -= 31 * 60
    response = client.get("/home")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_absolute_session_lifetime_is_enforced(app, client, users):
    login(client, users["officer"])
    with client.session_transaction() as session:
        session["login_at"] -= 11 * 3600
    assert client.get("/home").status_code == 302


def test_password_change_ends_other_sessions(app, users):
    first, second = app.test_client(), app.test_client()
    login(first, users["admin"])
    login(second, users["admin"])
    response = first.post("/auth/password", data={
        "current_password": TEST_PASSWORD, "new_password": "orchard-kettle-banner-9",
        "confirm": "orchard-kettle-banner-9"})
    assert response.status_code == 302
    assert second.get("/home").status_code == 302
    login(second, users["admin"], password="orchard-kettle-banner-9")


def test_create_user_validates_and_audits(ctx):
    user = create_user(None, "New.Officer@Example.gov.uk", "New Officer", "officer",
                       "a-sufficiently-long-pass", clearance=True)
    db.session.commit()
    assert user.email == "new.officer@example.gov.uk" and user.has_clearance
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.entity_id == user.id)) == "user.create"
    for kwargs, message in [
        ({"email": "new.officer@example.gov.uk"}, "already exists"),
        ({"role": "wizard"}, "Role must be one of"),
        ({"role": "panel", "clearance": True}, "Only licensing officers"),
        ({"password": "short"}, "12 characters"),
        ({"email": "not-an-email"}, "correct format"),
    ]:
        args = {"email": "x@example.gov.uk", "name": "X", "role": "officer",
                "password": "a-sufficiently-long-pass", **kwargs}
        try:
            create_user(None, args.pop("email"), args.pop("name"), args.pop("role"), args.pop("password"), **args)
        except AccountError as error:
            assert message in str(error)
        else:
            raise AssertionError(f"accepted {kwargs}")
        db.session.rollback()


def test_make_user_helper_accounts_can_sign_in(client, app):
    with app.app_context():
        make_user("officer", email="another@test.example.gov.uk")
    login(client, "another@test.example.gov.uk")

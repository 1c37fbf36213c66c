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


def test_account_locks_after_five_failures_even_for_the_right_password(app, client, users):
    for _ in range(5):
        client.post("/auth/login", data={"email": users["officer"], "password": "wrong password!"})
    response = client.post("/auth/login", data={"email": users["officer"], "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions.count("auth.login_failed") == 4
        assert "auth.login_lock" in actions
        user = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        # the lock lasts its window and then lifts
        user.locked_until = dt.datetime(2000, 1, 1)
        db.session.commit()
    login(client, users["officer"])


def test_the_lock_is_held_in_the_database_so_every_worker_sees_it(app, users):
    worker_a, worker_b = app.test_client(), app.test_client()
    for _ in range(3):
        worker_a.post("/auth/login", data={"email": users["panel"], "password": "wrong password!"})
    for _ in range(2):
        worker_b.post("/auth/login", data={"email": users["panel"], "password": "wrong password!"})
    response = worker_b.post("/auth/login", data={"email": users["panel"], "password": TEST_PASSWORD})
    assert response.status_code == 429


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

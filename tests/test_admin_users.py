import re

import pyotp
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, User
from tests.conftest import login


def _user(app, email):
    with app.app_context():
        return db.session.execute(sa.select(User).filter_by(email=email)).scalar_one()


def test_an_officers_post_is_recorded_for_the_notices_they_sign(app, client, users):
    login(client, users["admin"])
    response = client.post("/admin/users/new", data={"email": "senior@example.gov.uk", "name": "Sam Senior",
                                                     "role": "officer", "post": " Senior Licensing Officer "})
    assert response.status_code == 200
    with app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email="senior@example.gov.uk")).scalar_one()
        assert user.post == "Senior Licensing Officer"
    too_long = client.post("/admin/users/new", data={"email": "x@example.gov.uk", "name": "X", "role": "officer",
                                                     "post": "P" * 121})
    assert too_long.status_code == 200 and "120 characters" in too_long.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(sa.select(User).filter_by(email="x@example.gov.uk")).first() is None


def test_admin_creates_an_account_with_a_one_time_password(app, client, users):
    login(client, users["admin"])
    response = client.post("/admin/users/new", data={"email": "New.Panel@example.gov.uk", "name": "Cllr New",
                                                     "role": "panel"})
    html = response.get_data(as_text=True)
    password = re.search(r'id="initial-password">([^<]+)<', html).group(1)
    assert len(password) >= 20
    newcomer = app.test_client()
    newcomer.post("/auth/login", data={"email": "new.panel@example.gov.uk", "password": password})
    page = newcomer.get("/auth/two-factor/set-up").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    done = newcomer.post("/auth/two-factor/set-up", data={"code": pyotp.TOTP(secret).now()})
    # The recovery codes page goes on to "Change your password", not the home page.
    assert 'href="/auth/password"' in done.get_data(as_text=True)
    assert _user(app, "new.panel@example.gov.uk").password_must_change
    # Wherever the newcomer asks to go, they are sent to choose their own password first.
    for path in ("/home", "/hearings/", "/auth/password?x=1"):
        response = newcomer.get(path)
        if path.startswith("/auth/password"):
            assert response.status_code == 200
            assert "Choose your own password before you" in response.get_data(as_text=True)
        else:
            assert response.status_code == 302 and response.location.endswith("/auth/password")
    same = newcomer.post("/auth/password", data={"current_password": password, "new_password": password,
                                                  "confirm": password})
    assert "different from your current one" in same.get_data(as_text=True)
    own = "panel member's own long passphrase"
    changed = newcomer.post("/auth/password", data={"current_password": password, "new_password": own,
                                                     "confirm": own})
    assert changed.status_code == 302 and changed.location.endswith("/auth/login")
    user = _user(app, "new.panel@example.gov.uk")
    assert not user.password_must_change
    with app.app_context():
        assert db.session.execute(sa.select(AuditEvent).filter_by(action="user.password_change",
                                                                  entity_id=user.id)).scalar_one()
    # Signed in again with their own password, they reach their home page.
    login(newcomer, "new.panel@example.gov.uk", own)
    assert newcomer.get("/home").status_code == 200


def test_the_new_accounts_audit_row_holds_its_id_and_no_secrets(app, client, users):
    login(client, users["admin"])
    client.post("/admin/users/new", data={"email": "audit.me@example.gov.uk", "name": "Audit Me", "role": "officer"})
    user = _user(app, "audit.me@example.gov.uk")
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="user.create",
                                                                  entity_id=user.id)).scalar_one()
        assert event.after["id"] == user.id and event.after["created_at"] is not None
        assert event.after["password_must_change"] is True
        assert not {"password_hash", "session_token", "totp_secret"} & set(event.after)


def test_account_form_reports_problems_at_the_field(client, users):
    login(client, users["admin"])
    html = client.post("/admin/users/new", data={"email": users["panel"], "name": "Dup", "role": "panel"}
                       ).get_data(as_text=True)
    assert "There is a problem" in html and "already exists" in html
    html = client.post("/admin/users/new", data={"email": "x@example.gov.uk", "name": "X", "role": "panel",
                                                 "clearance": "y"}).get_data(as_text=True)
    assert "Only licensing officers" in html


def test_disabling_needs_a_reason_and_ends_sessions(app, users):
    victim = app.test_client()
    login(victim, users["manager"])
    admin = app.test_client()
    login(admin, users["admin"])
    manager_id = _user(app, users["manager"]).id
    html = admin.post(f"/admin/users/{manager_id}/disable", data={"reason": ""}).get_data(as_text=True)
    assert "Enter the reason" in html
    assert admin.post(f"/admin/users/{manager_id}/disable", data={"reason": "left"}).status_code == 302
    assert victim.get("/home").status_code == 302
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="user.disable")).scalar_one()
        assert event.reason == "left" and event.before == {"is_enabled": True}


def test_admin_resets_a_lost_authenticator(app, client, users):
    login(client, users["admin"])
    officer_id = _user(app, users["officer"]).id
    client.post(f"/admin/users/{officer_id}/reset-two-factor", data={"reason": "lost phone"})
    assert not _user(app, users["officer"]).has_second_factor
    other = app.test_client()
    response = other.post("/auth/login", data={"email": users["officer"], "password": "correct horse battery staple"})
    assert response.location.endswith("/auth/two-factor/set-up")


def test_unknown_account_action_is_not_found(client, users):
    login(client, users["admin"])
    assert client.get("/admin/users/99999/disable").status_code == 404
    assert client.get("/admin/users/1/promote").status_code == 404


def test_the_admin_sees_an_account_slowed_across_addresses_and_ends_its_delay(app, client, users):
    """The sign-in throttle slows an account guessed at from many addresses; the administrator
    sees it on the accounts list and ends that delay (audited), once its holder has been checked."""
    guesser = app.test_client()
    for i in range(8):
        guesser.post("/auth/login", data={"email": users["manager"], "password": "wrong password!"},
                     environ_base={"REMOTE_ADDR": f"198.51.100.{i}"})
    login(client, users["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    assert "sign-in slowed after failed attempts" in page and "End the sign-in delay" in page
    manager_id = _user(app, users["manager"]).id
    ended = client.post(f"/admin/users/{manager_id}/unlock", data={"reason": "Confirmed by telephone"})
    assert ended.status_code == 302
    assert "sign-in slowed" not in client.get("/admin/users").get_data(as_text=True)
    with app.app_context():
        from licensing.auth import throttle

        assert throttle.wait_seconds(users["manager"], "203.0.113.9") == 0
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="user.unlock")).scalar_one()
        assert event.before["slowed"] is True and event.reason == "Confirmed by telephone"

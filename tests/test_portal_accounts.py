"""Online accounts for licence holders: sign-up with a confirmed address, sign-in with an e-mailed
code, password reset, no account enumeration, and linking to the register with an officer's code."""

import re
import threading

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, HolderLinkCode, PortalCode
from tests.conftest import login
from tests.support.portal import PASSWORD, account, code_in, create_account, last_email, link_in, sign_in
from tests.support.reviews import holder


def _actions(app, action):
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == action)).scalar_one()


def test_sign_up_confirm_and_sign_in_with_an_emailed_code(app, client):
    create_account(client, "dana@example.com")
    assert account(app, "dana@example.com").verified_at is not None
    response = client.post("/account/sign-in", data={"email": "Dana@Example.com ", "password": PASSWORD})
    assert response.location.endswith("/account/sign-in/code")
    subject, body = last_email(app, "dana@example.com")
    assert subject == "Your security code"
    assert client.post("/account/sign-in/code", data={"code": code_in(body)}).location.endswith("/account/")
    page = client.get("/account/").get_data(as_text=True)
    assert "Link your account to your licence" in page
    assert _actions(app, "online_account.login") == 1


def test_an_unconfirmed_address_cannot_sign_in_and_gets_its_link_again(app, client):
    client.post("/account/create", data={"name": "Sam", "email": "sam@example.com", "password": PASSWORD,
                                         "confirm": PASSWORD})
    response = client.post("/account/sign-in", data={"email": "sam@example.com", "password": PASSWORD})
    assert response.location.endswith("/account/check-your-email")
    assert last_email(app, "sam@example.com")[0] == "Confirm your email address"
    assert client.get("/account/").status_code == 302  # not signed in


def test_no_answer_tells_whether_an_address_has_an_account(app, client):
    create_account(client, "known@example.com")
    again = client.post("/account/create", data={"name": "X", "email": "known@example.com", "password": PASSWORD,
                                                 "confirm": PASSWORD})
    fresh = client.post("/account/create", data={"name": "X", "email": "new@example.com", "password": PASSWORD,
                                                 "confirm": PASSWORD})
    assert again.status_code == fresh.status_code == 302 and again.location == fresh.location
    assert last_email(app, "known@example.com")[0] == "You already have an account"
    wrong_password = client.post("/account/sign-in", data={"email": "known@example.com", "password": "wrong one"})
    no_account = client.post("/account/sign-in", data={"email": "nobody@example.com", "password": "wrong one"})
    for response in (wrong_password, no_account):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    reset_known = client.post("/account/reset-password", data={"email": "known@example.com"})
    reset_unknown = client.post("/account/reset-password", data={"email": "nobody@example.com"})
    assert reset_known.location == reset_unknown.location
    assert last_email(app, "nobody@example.com") is None


def test_a_sign_in_code_allows_five_guesses_then_is_spent(app, client):
    create_account(client, "guess@example.com")
    client.post("/account/sign-in", data={"email": "guess@example.com", "password": PASSWORD})
    right = code_in(last_email(app, "guess@example.com")[1])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        page = client.post("/account/sign-in/code", data={"code": wrong}).get_data(as_text=True)
        assert "The security code is wrong or has expired" in page
    page = client.post("/account/sign-in/code", data={"code": right}).get_data(as_text=True)
    assert "The security code is wrong or has expired" in page  # spent: a sixth guess never counts
    with app.app_context():
        assert db.session.execute(sa.select(PortalCode.attempts).where(PortalCode.purpose == "sign_in")).scalar() == 5
    assert _actions(app, "online_account.code_failed") == 6
    assert client.get("/account/").status_code == 302


def test_password_reset_ends_other_sessions(app, client):
    create_account(client, "reset@example.com")
    sign_in(client, "reset@example.com")
    other = app.test_client()
    other.post("/account/reset-password", data={"email": "reset@example.com"})
    link = link_in(last_email(app, "reset@example.com")[1])
    new_password = "another strong passphrase 77"
    response = other.post(link, data={"password": new_password, "confirm": new_password})
    assert response.location.endswith("/account/sign-in")
    assert client.get("/account/").status_code == 302  # the first browser is signed out
    used = other.post(link, data={"password": new_password, "confirm": new_password}).get_data(as_text=True)
    assert "This link has expired" in used
    sign_in(other, "reset@example.com", new_password)
    assert other.get("/account/").status_code == 200


def test_a_weak_password_is_refused_at_its_field(client):
    page = client.post("/account/create", data={"name": "W", "email": "w@example.com", "password": "password",
                                                "confirm": "password"}).get_data(as_text=True)
    assert "govuk-error-summary" in page and 'id="password-error"' in page


def _issue_code(app, client_staff, holder_id):
    page = client_staff.post(f"/holders/{holder_id}/online-account/code").get_data(as_text=True)
    return re.search(r"data-link-code>([A-Z0-9-]+)<", page).group(1)


def test_an_officer_code_links_the_account_and_shows_the_holders_licences(app, client, users):
    with app.app_context():
        person_id = holder("P-1").id
        db.session.commit()
    staff = app.test_client()
    login(staff, users["officer"])
    code = _issue_code(app, staff, person_id)
    create_account(client, "pat@example.com")
    sign_in(client, "pat@example.com")
    refused = client.post("/account/link", data={"code": "AAAA-BBBB-CCCC"})
    assert refused.status_code == 400 and "That code is not right" in refused.get_data(as_text=True)
    assert client.post("/account/link", data={"code": code.lower().replace("-", " ")}).status_code == 302
    page = client.get("/account/").get_data(as_text=True)
    assert "L-P-1" in page and "What you need to do" in page
    assert account(app, "pat@example.com").holder_id == person_id
    holder_page = staff.get(f"/holders/{person_id}").get_data(as_text=True)
    assert "pat@example.com" in holder_page
    other = app.test_client()
    create_account(other, "thief@example.com")
    sign_in(other, "thief@example.com")
    assert other.post("/account/link", data={"code": code}).status_code == 400  # used once
    with app.app_context():
        assert db.session.execute(sa.select(HolderLinkCode.used_at)).scalar() is not None


def test_staff_and_online_sessions_never_cross(app, client, users):
    login(client, users["officer"])
    assert client.get("/account/").location.startswith("/account/sign-in")
    holder_client = app.test_client()
    create_account(holder_client, "h@example.com")
    sign_in(holder_client, "h@example.com")
    assert holder_client.get("/holders/").status_code == 302  # to the staff sign-in
    assert "/auth/login" in holder_client.get("/holders/").location


@pytest.mark.clean_database
def test_concurrent_code_guesses_are_counted_exactly(app, client):
    """Twelve browsers holding the same half-finished sign-in guess at once: exactly five guesses
    are counted, then the code is spent, on both databases."""
    create_account(client, "race@example.com")
    client.post("/account/sign-in", data={"email": "race@example.com", "password": PASSWORD})
    right = code_in(last_email(app, "race@example.com")[1])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    cookie = client.get_cookie("session").value
    racers = []
    for _ in range(12):
        racer = app.test_client()
        racer.set_cookie("session", cookie)
        racers.append(racer)
    barrier = threading.Barrier(len(racers))
    statuses = []

    def guess(racer):
        barrier.wait()
        statuses.append(racer.post("/account/sign-in/code", data={"code": wrong}).status_code)

    threads = [threading.Thread(target=guess, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 12  # every guess refused on the page
    with app.app_context():
        assert db.session.execute(sa.select(PortalCode.attempts).where(PortalCode.purpose == "sign_in")).scalar() == 5
    page = client.post("/account/sign-in/code", data={"code": right}).get_data(as_text=True)
    assert "The security code is wrong or has expired" in page

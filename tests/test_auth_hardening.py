"""Sign-in weaknesses the security review found, closed: concurrent second-factor guesses are each
counted, the current-password check is throttled and audited, the answer is the same whether or
not an account exists, and passwords made of the service's words or the user's name are refused."""

import threading

import pytest
import sqlalchemy as sa

from licensing.auth.passwords import password_problem
from licensing.extensions import db
from licensing.models import AuditEvent
from tests.conftest import TEST_PASSWORD, login

PERSONAL = ("Oscar Officer", "oscar.officer@example.gov.uk", "Example Borough Council")


@pytest.mark.parametrize("password", ["taxilicensing1", "hackneycarriage1", "ExampleBorough1", "Summer2026!!!",
                                      "OscarOfficer1!", "PrivateHire2026", "oscar.officer2026", "Licensing-2026!"])
def test_passwords_of_the_services_words_or_the_users_name_are_refused(password):
    assert password_problem(password, personal=PERSONAL) is not None


@pytest.mark.parametrize("password", ["orchard-kettle-banner-9", "correct horse battery staple",
                                      "Xk9#mP2$vL7@qR4!", "taxi lantern wobble orchard"])
def test_strong_passwords_still_pass(password):
    assert password_problem(password, personal=PERSONAL) is None


@pytest.fixture
def long_delays(app):
    """The first delay a minute long, so a loaded machine cannot outlast it between two requests."""
    saved = app.config["LOGIN_THROTTLE"]
    app.config["LOGIN_THROTTLE"] = {kind: {**rule, "first": 60} for kind, rule in saved.items()}
    yield
    app.config["LOGIN_THROTTLE"] = saved


def _actions(app, action):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).filter_by(action=action))


def test_the_current_password_check_is_throttled_and_audited(app, users, long_delays):
    client = app.test_client()
    login(client, users["officer"])
    answers = [client.post("/auth/password", data={"current_password": f"guess number {n}",
                                                   "new_password": "orchard-kettle-banner-9",
                                                   "confirm": "orchard-kettle-banner-9"})
               for n in range(8)]
    texts = [a.get_data(as_text=True) for a in answers]
    checked = sum("Your current password is incorrect" in t for t in texts)
    throttled = sum("Too many failed attempts" in t for t in texts)
    assert checked == 4 and throttled == 4  # 3 free failures and one more checked, then each waits
    assert _actions(app, "auth.password_check_failed") == checked
    assert _actions(app, "auth.password_check_throttled") == throttled


def test_the_same_answers_whether_or_not_the_account_exists(app, users, long_delays):
    def answers(email, address):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        out = []
        for _ in range(6):  # 4 checked, then the delay
            response = client.post("/auth/login", data={"email": email, "password": "wrong password!"})
            body = response.get_data(as_text=True)
            message = "wait" if "Too many failed attempts. Wait" in body else (
                "wrong" if "Enter a correct email address and password" in body else "other")
            out.append((response.status_code, message))
        return out

    real = answers(users["officer"], "203.0.113.10")
    missing = answers("nobody-here@test.example.gov.uk", "203.0.113.11")
    assert real == missing
    assert real[0] == (200, "wrong") and real[-1] == (429, "wait")


@pytest.mark.clean_database  # each guess on its own connection, committed as a server would
def test_concurrent_second_factor_guesses_are_each_counted(app, users, engine_name, long_delays):
    guesses = 16 if engine_name == "postgresql" else 6
    clients = []
    for _ in range(guesses):
        client = app.test_client()
        response = client.post("/auth/login", data={"email": users["officer"], "password": TEST_PASSWORD})
        assert response.location.endswith("/auth/two-factor")
        clients.append(client)
    barrier = threading.Barrier(guesses)
    results = [None] * guesses

    def guess(n):
        barrier.wait()
        response = clients[n].post("/auth/two-factor", data={"code": "000000"})
        results[n] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = sum("The code is not correct" in body for _, body in results)
    waited = sum(status == 429 for status, _ in results)
    assert checked + waited == guesses, [status for status, _ in results]
    assert _actions(app, "auth.login_failed") == checked  # every code checked is a failure counted
    assert checked == 4  # the free failures from one address, then the delay: no race past it

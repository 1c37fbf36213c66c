"""Test fixtures. Every database test runs twice: on SQLite and on a real PostgreSQL
that this file starts in a temporary directory (a failure to start it fails the run in CI)."""

import datetime as dt
import functools
import os
import shutil

import pyotp
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from licensing import create_app
from licensing.audit import GENESIS
from licensing.auth.passwords import hash_password
from licensing.extensions import db
from licensing.models import Role, User
from tests.support.postgres import PostgresUnavailable, TemporaryPostgres

ENGINES = ["sqlite", "postgresql"]
TEST_PASSWORD = "correct horse battery staple"
TEST_ENVIRON = {"LICENSING_ENV": "testing"}


def build_app(database_url, **overrides):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, **overrides}, environ=TEST_ENVIRON)


def _migrate(url):
    app = build_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgres():
    try:
        server = TemporaryPostgres().start()
    except PostgresUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL could not be started: {error}")
        pytest.skip(f"PostgreSQL could not be started here: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database(postgres):
    url = postgres.create_database("licensing_test")
    _migrate(url)
    cleaner = sa.create_engine(url, poolclass=sa.pool.NullPool)
    yield url, cleaner
    cleaner.dispose()


def _truncate_all(engine):
    with engine.begin() as conn:
        # Superuser only: skip triggers (the audit table refuses TRUNCATE) to reset between tests.
        conn.exec_driver_sql("SET session_replication_role = replica")
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        conn.exec_driver_sql(f"INSERT INTO audit_chain_head (id, last_hash, length) VALUES (1, '{GENESIS}', 0)")


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "licensing.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        url, cleaner = request.getfixturevalue("postgres_database")
        _truncate_all(cleaner)
        yield url
        _truncate_all(cleaner)


@pytest.fixture
def engine_name(database_url):
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


@pytest.fixture
def app(database_url):
    application = build_app(database_url)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context for tests that call operations and queries directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@functools.cache
def _test_password_hash():
    return hash_password(TEST_PASSWORD)


def make_user(role, email=None, name=None, clearance=False, enrolled=True, **fields):
    """Insert a staff account (inside an app context) with TEST_PASSWORD and, unless
    `enrolled=False`, an authenticator already set up; returns its id."""
    role = Role(role)
    user = User(
        email=email or f"{role.value}@test.example.gov.uk",
        name=name or f"Test {role.label}",
        role=role,
        has_clearance=clearance,
        password_hash=_test_password_hash(),
        **fields,
    )
    if enrolled:
        user.totp_secret = pyotp.random_base32()
        user.totp_confirmed_at = dt.datetime(2026, 1, 1)
    db.session.add(user)
    db.session.commit()
    return user.id


def totp_code_for(app, email):
    """A valid, unused authenticator code for this account, as the user's phone would show."""
    with app.app_context():
        user = db.session.execute(sa.select(User).filter_by(email=email)).scalar_one()
        totp = pyotp.TOTP(user.totp_secret)
        current = totp.timecode(dt.datetime.now(dt.UTC).replace(tzinfo=None))
        # The current step, or the next one if it was used: both stay acceptable when the clock
        # crosses a step boundary before the server checks the code (the previous one would not).
        step = max(current, user.totp_last_step + 1)
        if step > current + 1:
            # Tests sign the same account in many times a minute; a person cannot.
            user.totp_last_step = current - 1
            db.session.commit()
            step = current
        return totp.generate_otp(step)


def login(client, email, password=TEST_PASSWORD, next_url=None):
    """Sign in through the real forms: password, then the authenticator code."""
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if response.location.endswith("/auth/two-factor"):
        response = client.post("/auth/two-factor", data={"code": totp_code_for(client.application, email)})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def users(app):
    """One account per role (the officer with clearance), keyed by role name."""
    with app.app_context():
        ids = {
            "officer": make_user("officer", clearance=True),
            "officer_no_clearance": make_user("officer", email="officer2@test.example.gov.uk"),
            "panel": make_user("panel"),
            "manager": make_user("manager"),
            "admin": make_user("admin"),
        }
        emails = {key: db.session.get(User, uid).email for key, uid in ids.items()}
    return emails

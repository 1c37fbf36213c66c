"""Test fixtures. Every database test runs twice: on SQLite and on a real PostgreSQL
that this file starts in a temporary directory (a failure to start it fails the run in CI).

The application is built once per engine for the whole run. Each test runs inside one outer
transaction on one connection and is rolled back at the end: the session joins it with a
savepoint, so the code's own commits and rollbacks still work as they do in production.
Tests that need commits other connections or processes can see, their own app, or a route
added to it, are marked `clean_database` (or ask for `database_url` themselves): they get a
fresh app on a clean database as before (a copy of the migrated SQLite file, or PostgreSQL
truncated before and after)."""

import datetime as dt
import functools
import os
import shutil

import pyotp
import pytest
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession

from licensing import create_app
from licensing.audit import GENESIS
from licensing.auth.passwords import hash_password
from licensing.extensions import db
from licensing.models import Role, User
from tests.support.postgres import PostgresUnavailable, TemporaryPostgres
from tests.support.training_data import start_smtp

ENGINES = ["sqlite", "postgresql"]
TEST_PASSWORD = "correct horse battery staple"
TEST_ENVIRON = {"LICENSING_ENV": "testing"}
CLEAN_DATABASE = "clean_database"
# Whole modules whose tests all need real commits: servers in other threads or processes,
# job locks on a second connection, engine-level transaction events, migrations and backups.
CLEAN_DATABASE_MODULES = {
    "test_backup", "test_concurrency", "test_crash", "test_deployment", "test_hearings_email",
    "test_migrations", "test_retention", "test_revocations_duties", "test_revocations_effects",
    "test_training_pages", "test_training_scheduler", "test_transactions",
}
RESTART_SEQUENCES = (
    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)
# Fixtures of this file that take `database_url` only to choose the engine.
_ENGINE_ONLY = {"app", "engine_name"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", f"{CLEAN_DATABASE}: its own app on a clean database whose commits are real (no rollback)"
    )


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in CLEAN_DATABASE_MODULES:
            item.add_marker(CLEAN_DATABASE)


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


def _needs_clean_database(request):
    """Marked, or some fixture or the test itself takes `database_url` to use the database directly."""
    if request.node.get_closest_marker(CLEAN_DATABASE):
        return True
    info = request.node._fixtureinfo
    if "database_url" in info.argnames:
        return True
    definitions = info.name2fixturedefs
    return any(
        "database_url" in fixture.argnames
        for name, fixtures in definitions.items() if name not in _ENGINE_ONLY
        for fixture in fixtures
    )


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path):
    """The test's database; a clean one of its own when its commits are real."""
    if not _needs_clean_database(request):
        yield request.param  # the shared app's database, reached only through `app`
    elif request.param == "sqlite":
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


class _JoinedSession(FlaskSession):
    """In the shared app, a session on the test's connection; in any other app the test builds,
    a session on that app's own engine, as usual."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and has_app_context() and current_app._get_current_object() is self.info["joined_app"]:
            return self.bind
        return super().get_bind(mapper, clause, bind, **kwargs)


def _begin_sqlite_transactions(engine):
    # pysqlite starts transactions itself, late, and commits on SAVEPOINT release; let
    # SQLAlchemy emit BEGIN so that the outer transaction and its savepoints are real.
    @sa.event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session")
def shared_apps(request, tmp_path_factory):
    """One app per engine for the whole run, built on first use."""
    apps = {}

    def get(engine):
        if engine not in apps:
            if engine == "sqlite":
                path = tmp_path_factory.mktemp("sqlite-shared") / "licensing.db"
                shutil.copy(request.getfixturevalue("sqlite_template"), path)
                apps[engine] = build_app(f"sqlite:///{path}")
                with apps[engine].app_context():
                    _begin_sqlite_transactions(db.engine)
            else:
                apps[engine] = build_app(request.getfixturevalue("postgres_database")[0])
        return apps[engine]

    yield get
    for application in apps.values():
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def app(request, database_url):
    if database_url in ENGINES:
        yield from _rolled_back_app(request.getfixturevalue("shared_apps")(database_url))
        return
    application = build_app(database_url)
    yield application
    with application.app_context():
        db.engine.dispose()


def _rolled_back_app(application):
    """The shared app with every session joined to one transaction that is rolled back after."""
    config = dict(application.config)
    shared_session = db.session
    with application.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    if connection.dialect.name == "postgresql":
        # Rolling back leaves sequences where they got to; number each test's rows from 1, as before.
        connection.exec_driver_sql(RESTART_SEQUENCES)
    db.session = db._make_scoped_session(
        {"class_": _JoinedSession, "bind": connection, "join_transaction_mode": "create_savepoint",
         "info": {"joined_app": application}}
    )
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
        db.session = shared_session
        transaction.rollback()
        connection.close()
        application.config.clear()
        application.config.update(config)


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


@pytest.fixture
def officer(ctx, users):
    """The officer with clearance, as a User."""
    return db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback that the app sends to; yields its inbox."""
    controller, inbox = start_smtp()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="licensing@council.example")
    yield inbox
    controller.stop()


@pytest.fixture
def fake_pay(app):
    """The app pays through a local fake payment service (GOV.UK Pay's flow) for the test's length."""
    from tests.support.portal import FakePayServer

    server = FakePayServer()
    app.config.update(PAY_API_URL=server.url, PAY_API_KEY="test-pay-key")
    yield server
    server.stop()

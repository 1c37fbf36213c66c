"""A request commits once, at its edge: its work is committed when it answers 2xx or 3xx and
rolled back otherwise (unless it kept the record of its refusal). A request that only read ends
its transaction with COMMIT whatever its answer, so that PostgreSQL keeps the prepared statements
(psycopg forgets them on ROLLBACK)."""

import pathlib

import pytest
import sqlalchemy as sa
from flask import abort

import licensing
from licensing.dbsetup import keep_refusal_record
from licensing.extensions import db
from licensing.holders.errors import RegisterError
from licensing.models import LicenceHolder
from licensing.permissions import public
from tests.conftest import build_app, login


def _transaction_ends(app):
    ends = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "commit", lambda _conn: ends.append("commit"))
    sa.event.listen(engine, "rollback", lambda _conn: ends.append("rollback"))
    return ends


def test_a_request_commits_at_its_edge_when_it_succeeds_and_rolls_back_when_it_fails(app, users):
    def holder(ref):
        db.session.add(LicenceHolder(holder_ref=ref, first_name="Test", last_name="Holder"))
        db.session.flush()

    @public
    def saved():
        holder("SAVED1")
        return "saved"

    @public
    def changed_without_flush():
        db.session.scalar(sa.select(LicenceHolder).filter_by(holder_ref="KEPT1")).last_name = "Changed"
        return "changed"

    @public
    def refused():
        holder("NEVER1")
        abort(400)

    @public
    def failed():
        holder("NEVER2")
        return "failed", 500

    @public
    def refused_by_the_domain():
        holder("NEVER3")
        raise RegisterError("Not allowed here")

    @public
    def refusal_kept():
        holder("KEPT2")  # what a refusal records about itself (an audit row, a failure count)
        keep_refusal_record()
        return "locked", 429

    for view in (saved, changed_without_flush, refused, failed, refused_by_the_domain, refusal_kept):
        app.add_url_rule(f"/test-only/{view.__name__}", view.__name__, view)
    with app.app_context():
        db.session.add(LicenceHolder(holder_ref="KEPT1", first_name="Kept", last_name="Original"))
        db.session.commit()
    ends = _transaction_ends(app)
    client = app.test_client()
    login(client, users["officer"])

    del ends[:]
    assert client.get("/holders/").status_code == 200
    assert ends == ["commit"], ends  # a read-only request ends with COMMIT, keeping prepared statements
    del ends[:]
    assert client.get("/test-only/saved").status_code == 200
    assert client.get("/test-only/changed_without_flush").status_code == 200
    assert ends == ["commit", "commit"], ends
    del ends[:]
    assert client.get("/test-only/refused").status_code == 400
    assert client.get("/test-only/failed").status_code == 500
    response = client.get("/test-only/refused_by_the_domain")
    assert response.status_code == 400 and "Not allowed here" in response.get_data(as_text=True)
    assert ends.count("rollback") == 3, ends  # an error page may then read, and that ends with COMMIT
    assert client.get("/test-only/refusal_kept").status_code == 429
    with app.app_context():
        refs = set(db.session.scalars(sa.select(LicenceHolder.holder_ref)))
        assert {"SAVED1", "KEPT1", "KEPT2"} <= refs and not refs & {"NEVER1", "NEVER2", "NEVER3"}, refs
        assert db.session.scalar(sa.select(LicenceHolder.last_name).filter_by(holder_ref="KEPT1")) == "Changed"


def test_no_view_module_commits():
    """Views only flush: the one commit of a request is its edge's (licensing.dbsetup)."""
    root = pathlib.Path(licensing.__file__).parent
    views = [*root.glob("*/views.py"), *root.glob("*/views/*.py")]
    assert views and not [str(p) for p in views if "commit()" in p.read_text()]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite prepares nothing server-side
def test_postgresql_keeps_prepared_statements_across_read_only_requests(database_url, users):
    app = build_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    client = app.test_client()
    login(client, users["officer"])
    for _ in range(8):  # psycopg prepares a statement on its fifth use on a connection
        assert client.get("/holders/").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(sa.text("SELECT count(*) FROM pg_prepared_statements"))
        db.engine.dispose()
    assert prepared > 0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_search_statements_are_always_planned_for_their_term(database_url, users):
    """A generic plan chosen for one term can be very slow for another: searches never use one,
    while the other statements of the same requests do."""
    app = build_app(database_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    client = app.test_client()
    login(client, users["officer"])
    for n in range(20):  # prepared on the 6th use; PostgreSQL considers a generic plan from the 11th
        assert client.get("/holders/", query_string={"q": f"smith{n}"}).status_code == 200
    with app.app_context():
        plans = db.session.execute(sa.text(
            "SELECT statement, generic_plans FROM pg_prepared_statements")).all()
        db.engine.dispose()
    search = [p for p in plans if "FROM licence_holders" in p.statement and "LIKE" in p.statement]
    assert search and all(p.generic_plans == 0 for p in search), search
    assert any(p.generic_plans > 0 for p in plans if p.statement.startswith("SELECT users.")), plans

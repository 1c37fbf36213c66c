"""A request that only read ends its transaction with COMMIT, so that PostgreSQL keeps the
prepared statements (psycopg forgets them on ROLLBACK); anything that wrote, left changes
pending or failed is still rolled back, never committed."""

import pytest
import sqlalchemy as sa

from licensing.extensions import db
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


def test_a_read_only_request_commits_and_a_writing_one_without_commit_rolls_back(app, users):
    @public
    def flush_but_forget_to_commit():
        db.session.add(LicenceHolder(holder_ref="NEVER1", first_name="Not", last_name="Saved"))
        db.session.flush()
        return "flushed"

    @public
    def change_but_forget_to_flush():
        holder = db.session.scalar(sa.select(LicenceHolder).filter_by(holder_ref="KEPT1"))
        holder.last_name = "Changed"
        return "changed"

    app.add_url_rule("/test-only/flush", "flush_but_forget_to_commit", flush_but_forget_to_commit)
    app.add_url_rule("/test-only/dirty", "change_but_forget_to_flush", change_but_forget_to_flush)
    with app.app_context():
        db.session.add(LicenceHolder(holder_ref="KEPT1", first_name="Kept", last_name="Original"))
        db.session.commit()
    ends = _transaction_ends(app)
    client = app.test_client()
    login(client, users["officer"])

    del ends[:]
    assert client.get("/holders/").status_code == 200
    assert ends == ["commit"], ends
    del ends[:]
    assert client.get("/test-only/flush").status_code == 200
    assert client.get("/test-only/dirty").status_code == 200
    assert "commit" not in ends, ends
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(LicenceHolder.holder_ref == "NEVER1")) == 0
        assert db.session.scalar(sa.select(LicenceHolder.last_name).filter_by(holder_ref="KEPT1")) == "Original"


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

"""Engine settings that depend on the database in use."""

from flask import g
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from licensing.extensions import db
from licensing.models.search_indexes import FOLD_FUNCTION, fold_text


def configure_engine(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # Name search folds accents and case (licensing/models/search_indexes.py); PostgreSQL has
        # the same function from migration 0033.
        dbapi_connection.create_function(FOLD_FUNCTION, 1, fold_text, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")  # SQLite leaves foreign keys off by default
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()


def track_writes(engine):
    """Note on each connection whether its current transaction has sent anything but SELECT."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn, _cursor, statement, _parameters, _context, _executemany):
        start = statement.lstrip()[:10].upper()
        if not start.startswith(("SELECT", "SET LOCAL")):  # SET LOCAL lasts for the transaction only
            conn.info["wrote"] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _transaction_ended(conn):
        conn.info.pop("wrote", None)


def keep_refusal_record():
    """The answer is a refusal (4xx), yet what the request wrote about it (an audit row, a count of
    failed sign-ins) must outlast it: the edge commits this request's work all the same."""
    g.keep_refusal_record = True


def commit_at_edge(response):
    """after_request: the one commit of a request. A request answered 2xx or 3xx commits its work;
    any other answer rolls it back, unless the view kept the record of its refusal. A request that
    wrote nothing also ends with COMMIT whatever its answer: the session would otherwise roll it
    back, and psycopg forgets every prepared statement on ROLLBACK, so PostgreSQL would plan each
    query afresh on every request.

    Views and operations only flush. A commit that fails here becomes the 500 page, so a user never
    sees a success that was not saved."""
    session = db.session()
    if not session.in_transaction():
        return response
    if not _wrote(session):
        _commit_read_only(session)
    elif response.status_code < 400 or (response.status_code < 500 and g.get("keep_refusal_record")):
        session.commit()
    else:
        session.rollback()
    return response


def end_read_only_transaction(error=None):
    """teardown_request: a transaction begun after the response was made (by a streamed body) or
    left open by a failure ends here. One that only read commits, as in `commit_at_edge`; anything
    else is rolled back, never committed."""
    session = db.session()  # this request's session
    if error is not None or not session.in_transaction():
        return
    if _wrote(session):
        session.rollback()
        return
    _commit_read_only(session)


def _wrote(session):
    return bool(session.new or session.dirty or session.deleted or session.connection().info.get("wrote"))


def _commit_read_only(session):
    try:
        session.commit()
    except SQLAlchemyError:  # nothing was written: a lost connection is no error here
        session.rollback()

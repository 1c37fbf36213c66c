"""Engine settings that depend on the database in use."""

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError


def configure_engine(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
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


def end_read_only_transaction(error=None):
    """teardown_request: a request that only read ends its transaction with COMMIT.

    The session would otherwise roll it back, and psycopg forgets every prepared statement on
    ROLLBACK, so PostgreSQL would plan each query afresh on every request. A transaction that
    wrote anything, left changes pending, or failed is rolled back as before.
    """
    from licensing.extensions import db

    session = db.session()  # this request's session
    if error is not None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted or session.connection().info.get("wrote"):
        return
    try:
        session.commit()
    except SQLAlchemyError:  # the page is made and nothing was written: a lost connection is no error here
        session.rollback()

"""Bulk loading of generated rows: COPY on PostgreSQL, executemany on SQLite.

Rows carry their own ids (the caller reserves them with `next_ids`), so rows of different
tables can refer to each other before anything is written. Rows are buffered per table and
written in the order the tables were registered (parents first), so a foreign key always
points at a row that is already in the database.
"""

import enum
import json

import sqlalchemy as sa

from licensing.extensions import db


def _plain(value):
    return value.value if isinstance(value, enum.Enum) else value


class NullProgress:
    """What `progress(label, total)` returns when nobody watches: a context with update(n)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        pass


def no_progress(label, total):
    return NullProgress()


class BulkLoader:
    """Buffer rows (dicts) per table; `flush` writes them, parents first."""

    def __init__(self, connection, tables, flush_every=50_000):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.tables = [db.metadata.tables[name] for name in tables]
        self.buffers = {table.name: [] for table in self.tables}
        self.written = dict.fromkeys(self.buffers, 0)
        self.flush_every = flush_every
        self.pending = 0
        self.on_write = None  # callable(table name, rows written)

    def add(self, table, row):
        self.buffers[table].append(row)
        self.pending += 1
        if self.pending >= self.flush_every:
            self.flush()

    def flush(self):
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows:
                self._write(table, rows)
                self.written[table.name] += len(rows)
                if self.on_write:
                    self.on_write(table.name, len(rows))
                self.buffers[table.name] = []
        self.pending = 0

    def _write(self, table, rows):
        defaults = _defaults(table)
        keys = set().union(*(row.keys() for row in rows))
        columns = [c.name for c in table.columns if c.name in keys or c.name in defaults]
        json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
        if self.postgres:
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([
                        json.dumps(row[c]) if c in json_columns and row.get(c) is not None
                        else _plain(row[c]) if c in row else defaults.get(c)
                        for c in columns
                    ])
        else:
            full = [{c: row.get(c, defaults.get(c)) for c in columns} for row in rows]
            for start in range(0, len(full), 5000):
                self.connection.execute(sa.insert(table), full[start:start + 5000])

    def finish(self):
        """Write what is left; on PostgreSQL move each id sequence past the ids used and ANALYZE."""
        self.flush()
        if self.postgres:
            for table in self.tables:
                if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and table.c.id.primary_key:
                    following = sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0) + 1).scalar_subquery()
                    self.connection.execute(sa.select(sa.func.setval(
                        sa.func.pg_get_serial_sequence(table.name, "id"), following, False)))
            for table in self.tables:
                self.connection.exec_driver_sql(f"ANALYZE {table.name}")
        return self.written


def _defaults(table):
    """The model's Python-side defaults (COPY and plain inserts of dicts would skip them)."""
    found = {}
    for column in table.columns:
        default = column.default
        if default is None or column.name == "id":
            continue
        if default.is_scalar:
            found[column.name] = default.arg
        elif default.is_callable:
            found[column.name] = default.arg(None)
    return found


def next_ids(connection, table_name):
    """The first free id of a table (the loader's rows take ids from here on)."""
    table = db.metadata.tables[table_name]
    return (connection.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) or 0) + 1

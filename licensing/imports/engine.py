"""The import engine: validate every row, then write all of it or none of it.

Each record type is an `Importer` (see holders.py, register.py, offences.py) that knows its
columns, how to parse a row, its natural key and the references it needs. The engine:

1. checks the header and every row, collecting each bad row's file line and reason;
2. stops there, writing nothing, if any row is bad;
3. compares each row with the stored record of the same natural key: identical rows are
   skipped, changed rows are updated, new rows inserted — in bulk (executemany), not per row;
4. adds one audit row per created or changed record (bulk-inserted) and one summary row.

The caller commits (or rolls back) the single transaction.
"""

import datetime as dt
import enum
import json
import os
from contextlib import nullcontext
from dataclasses import dataclass, field

import sqlalchemy as sa

from licensing.audit import chain_rows
from licensing.extensions import db
from licensing.imports.csvio import read_rows
from licensing.imports.fields import RowProblem
from licensing.models import AuditEvent
from licensing.models.base import utcnow

CHUNK = 2000  # keys per IN (...) look-up and rows per write batch
WHOLE_TABLE_FROM = 5000  # keys; beyond this one scan of the table beats many IN (...) look-ups


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rows_matching(query, column, values):
    """The rows of `query` whose `column` is one of `values`.

    A few keys: IN (...) look-ups of CHUNK keys. Many keys: one pass over the table, filtered
    here — a long parameter list is not hashed by PostgreSQL and costs O(rows x keys)."""
    values = {v for v in values if v is not None}
    if len(values) > WHOLE_TABLE_FROM:
        for row in db.session.execute(query.execution_options(yield_per=10000)):
            if row._mapping[column] in values:
                yield row
        return
    for chunk in chunks(values):
        yield from db.session.execute(query.where(column.in_(chunk)))


def jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Collector:
    """Runs cell parsers, keeping every problem of a row rather than stopping at the first."""

    def __init__(self):
        self.problems = []

    def __call__(self, parser, *args, **kwargs):
        try:
            return parser(*args, **kwargs)
        except RowProblem as problem:
            self.problems.append(str(problem))
            return None

    def add(self, message):
        self.problems.append(message)

    def finish(self, values):
        if self.problems:
            raise RowProblem("; ".join(self.problems))
        return values


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    errors: list = field(default_factory=list)  # (line, reason)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors


class Importer:
    kind = ""  # the CLI name, e.g. "holders"
    entity = ""  # audit action prefix, e.g. "holder"
    model = None
    required_columns = ()
    optional_columns = ()
    compared = ()  # columns an import may change on an existing record
    unique = {}  # other unique columns: {column: what to call it in messages}

    def __init__(self, today=None):
        self.today = today or dt.date.today()
        self.table = self.model.__table__

    # --- to be provided by each record type -------------------------------------------
    def prepare(self, rows):
        """Load, in bulk, the stored records the rows refer to."""

    def parse(self, row):
        """The row as column values (keys starting with '_' are not stored), or RowProblem."""
        raise NotImplementedError

    def key(self, values):
        raise NotImplementedError

    def existing(self, keys):
        """{natural key: stored row mapping} for the keys that exist."""
        raise NotImplementedError

    def conflicts(self, values, stored):
        """A reason an existing record may not take this row's values, or None."""
        return None

    def audit_holder_id(self, values, record_id):
        return values.get("holder_id")

    # --- shared ---------------------------------------------------------------------------
    def header_problems(self, header):
        problems = [f"column {c} is missing" for c in self.required_columns if c not in header]
        known = set(self.required_columns) | set(self.optional_columns)
        problems += [f"column {c or '(blank)'} is not recognised" for c in header if c not in known]
        if len(set(header)) != len(header):
            problems.append("a column appears more than once")
        return problems

    def existing_by_column(self, column, values):
        column = self.table.c[column]
        return {(row._mapping[column],): row._mapping for row in rows_matching(sa.select(self.table), column, values)}

    def unique_problems(self, parsed):
        problems = []
        for column, label in self.unique.items():
            first_seen = {}
            for line, values in parsed:
                value = values.get(column)
                if value is None:
                    continue
                if value in first_seen:
                    problems.append((line, f"{label} duplicates line {first_seen[value]}"))
                else:
                    first_seen[value] = line
            unique_column = self.table.c[column]
            query = sa.select(unique_column, *(self.table.c[c] for c in self.natural_key_columns))
            owners = {row[0]: tuple(row[1:]) for row in rows_matching(query, unique_column, first_seen)}
            for line, values in parsed:
                owner = owners.get(values.get(column))
                if owner is not None and owner != self.key(values):
                    problems.append((line, f"{label} is already recorded against another record"))
        return problems

    natural_key_columns = ()


def _progress_none(iterable, label):
    return nullcontext(iterable)


def run_import(importer, path, *, dry_run=False, progress=None):
    """Validate and (unless `dry_run`) write one file; returns an ImportResult."""
    progress = progress or _progress_none
    header, rows = read_rows(path)
    result = ImportResult(kind=importer.kind, rows=len(rows), dry_run=dry_run)
    header_problems = importer.header_problems(header) if header else ["the file is empty"]
    if header_problems:
        result.errors = [(1, problem) for problem in header_problems]
        return result

    importer.prepare([row for _, row, _ in rows])
    parsed, first_seen = [], {}
    with progress(rows, "Checking rows") as bar:
        for line, row, overflow in bar:
            try:
                if overflow:
                    raise RowProblem("the row has more cells than the header has columns")
                values = importer.parse(row)
            except RowProblem as problem:
                result.errors.append((line, str(problem)))
                continue
            key = importer.key(values)
            if key in first_seen:
                result.errors.append((line, f"duplicates line {first_seen[key]}"))
                continue
            first_seen[key] = line
            parsed.append((line, values))
    result.errors += importer.unique_problems(parsed)
    stored = importer.existing(first_seen)

    creates, updates = [], []
    for line, values in parsed:
        existing = stored.get(importer.key(values))
        if existing is None:
            creates.append(values)
            continue
        conflict = importer.conflicts(values, existing)
        if conflict:
            result.errors.append((line, conflict))
            continue
        changed = [c for c in importer.compared if existing[c] != values[c]]
        if changed:
            updates.append((existing, values, changed))
        else:
            result.unchanged += 1
    result.errors.sort()
    if result.errors:
        return result
    result.created, result.updated = len(creates), len(updates)
    if not dry_run and (creates or updates):
        _write(importer, creates, updates, os.path.basename(path), progress)
    return result


def _write(importer, creates, updates, source, progress):
    table, connection, now = importer.table, db.session.connection(), utcnow()
    reason = f"bulk import of {source}"
    audit = []
    with progress(list(chunks(creates, CHUNK)), "Writing") as bar:
        for batch in bar:
            stored = [{k: v for k, v in values.items() if not k.startswith("_")} for values in batch]
            for values in stored:
                values.setdefault("version", 1)
                if "created_at" in table.c:
                    values.setdefault("created_at", now)
            ids = _insert(connection, table, stored)
            for record_id, values, row in zip(ids, batch, stored, strict=True):
                audit.append(_audit_row(importer, "imported", record_id, values, None,
                                        {k: jsonable(v) for k, v in row.items()
                                         if k not in ("version", "created_at")}, reason, now))

    if updates:
        columns = importer.compared
        update = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("record_id"))
            .values({**{c: sa.bindparam(f"new_{c}") for c in columns}, "version": table.c.version + 1})
        )
        for batch in chunks(updates):
            connection.execute(update, [
                {"record_id": existing["id"], **{f"new_{c}": values[c] for c in columns}}
                for existing, values, _changed in batch
            ])
        for existing, values, changed in updates:
            audit.append(_audit_row(
                importer, "import_updated", existing["id"], values,
                {c: jsonable(existing[c]) for c in changed}, {c: jsonable(values[c]) for c in changed},
                reason, now,
            ))

    audit.append({
        "occurred_at": now, "actor_id": None, "action": "import.completed", "entity_type": "import",
        "entity_id": None, "holder_id": None, "before": None,
        "after": {"kind": importer.kind, "created": len(creates), "updated": len(updates)},
        "reason": reason,
    })
    chain_rows(connection, audit)  # the import's rows join the tamper-evident chain in order
    audit_table = AuditEvent.__table__
    if connection.dialect.name == "postgresql":
        for row in audit:
            row["before"], row["after"] = _json(row["before"]), _json(row["after"])
        _copy(connection, audit_table, list(audit[0]), audit)
    else:
        for batch in chunks(audit, 5000):
            connection.execute(sa.insert(audit_table), batch)
    if connection.dialect.name == "postgresql":
        # Fresh statistics, so searches (and the next import) plan well straight away.
        connection.exec_driver_sql(f"ANALYZE {table.name}")


def _insert(connection, table, rows):
    """Insert `rows` (dicts with the same keys) and return their new ids, in order."""
    defaults = _column_defaults(table, rows[0])
    for row in rows:
        row.update(defaults)
    if connection.dialect.name != "postgresql":
        insert = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return connection.execute(insert, rows).scalars().all()
    # PostgreSQL: reserve the ids from the table's sequence, then COPY (far faster than INSERT).
    ids = connection.execute(
        sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": len(rows)},
    ).scalars().all()
    for record_id, row in zip(ids, rows, strict=True):
        row["id"] = record_id
    _copy(connection, table, list(rows[0]), rows)
    for row in rows:
        del row["id"]
    return ids


def _column_defaults(table, sample):
    """The model's Python-side defaults for columns the rows leave out (COPY skips them)."""
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.name in sample or column.name == "id" or default is None:
            continue
        defaults[column.name] = default.arg if default.is_scalar else default.arg(None)
    return defaults


def _copy(connection, table, columns, rows):
    cursor = connection.connection.driver_connection.cursor()
    names = ", ".join(columns)
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_plain(row[c]) for c in columns])


def _plain(value):
    """Enumerations as their stored value (psycopg would otherwise write the member name)."""
    return value.value if isinstance(value, enum.Enum) else value


def _json(value):
    return None if value is None else json.dumps(value)


def _audit_row(importer, verb, record_id, values, before, after, reason, now):
    return {
        "occurred_at": now, "actor_id": None, "action": f"{importer.entity}.{verb}",
        "entity_type": importer.table.name, "entity_id": record_id,
        "holder_id": importer.audit_holder_id(values, record_id),
        "before": before, "after": after, "reason": reason,
    }

"""Writing the audit trail. Operations call `record` in the same transaction as the change."""

import datetime as dt
import enum
import hashlib
import hmac
import json
import os

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditChainHead, AuditEvent
from licensing.models.base import utcnow

GENESIS = "0" * 64
HASHED_FIELDS = ("occurred_at", "actor_id", "action", "entity_type", "entity_id", "holder_id",
                 "before", "after", "reason")


def _jsonable(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def snapshot(obj, exclude=("version", "password_hash", "session_token", "totp_secret", "content")):
    """The column values of a model instance as a JSON-safe dict."""
    mapper = sa.inspect(obj).mapper
    return {
        attr.key: _jsonable(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def changes(before, after):
    """Only the keys whose values differ, as (before, after) dicts."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(actor, action, entity=None, *, before=None, after=None, reason=None, holder_id=None,
           entity_type=None, entity_id=None):
    """Add one audit row to the current transaction and return it (flushed)."""
    if entity is not None:
        db.session.flush()
        entity_type = entity_type or entity.__tablename__
        entity_id = entity_id if entity_id is not None else entity.id
        if holder_id is None:
            holder_id = _holder_of(entity)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=entity_type or "system",
        entity_id=entity_id,
        holder_id=holder_id,
        before=before,
        after=after,
        reason=reason,
    )
    _append_to_chain([event])
    return event


def record_many(events):
    """Add many AuditEvent objects in one go (bulk imports), chained in order."""
    _append_to_chain(events)
    return events


def _append_to_chain(events):
    """Link ORM events to the chain and insert them."""
    db.session.flush()
    previous, length = _lock_head(db.session)
    for event in events:
        event.occurred_at = event.occurred_at or utcnow()
        event.prev_hash = previous
        event.row_hash = row_hash(event, previous)
        previous = event.row_hash
    db.session.add_all(events)
    _move_head(db.session, previous, length + len(events))
    db.session.flush()


def chain_rows(connection, rows):
    """Bulk path: set prev_hash/row_hash on audit row dicts (in order) before a bulk insert."""
    previous, length = _lock_head(connection)
    for values in rows:
        values["occurred_at"] = values.get("occurred_at") or utcnow()
        values["prev_hash"] = previous
        values["row_hash"] = row_hash_of(values, previous)
        previous = values["row_hash"]
    _move_head(connection, previous, length + len(rows))
    return rows


def insert_audit_rows(rows, batch=5000):
    """Bulk path for jobs: chain audit row dicts (actor_id, action, entity_type, entity_id,
    holder_id, before, after, reason) in order and insert them in the current transaction."""
    if not rows:
        return 0
    connection = db.session.connection()
    chain_rows(connection, rows)
    for start in range(0, len(rows), batch):
        connection.execute(sa.insert(AuditEvent), rows[start:start + batch])
    return len(rows)


def _lock_head(executor):
    """Updating the single head row takes a row lock (PostgreSQL) or the write lock (SQLite)
    that is held until commit, so concurrent writers extend the chain one at a time. The same
    statement returns the head, so locking and reading it is one round trip."""
    head = executor.execute(
        sa.update(AuditChainHead).where(AuditChainHead.id == 1).values(length=AuditChainHead.length + 0)
        .returning(AuditChainHead.last_hash, AuditChainHead.length)
    ).one_or_none()
    if head is None:
        raise RuntimeError("the audit chain head row is missing: the audit trail cannot be extended")
    return head.last_hash, head.length


def _move_head(executor, last_hash, length):
    executor.execute(
        sa.update(AuditChainHead).where(AuditChainHead.id == 1).values(last_hash=last_hash, length=length)
    )


def row_hash(event, previous):
    return row_hash_of({field: getattr(event, field) for field in HASHED_FIELDS}, previous)


def row_hash_of(values, previous):
    content = {field: _jsonable(values.get(field)) for field in HASHED_FIELDS}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((previous + canonical).encode()).hexdigest()


def verify_chain(batch=5000, checkpoints=()):
    """Walk the trail in order; return (rows checked, list of problems).

    The first row must link to GENESIS (so removing the oldest rows shows), the head must name the
    last row and the number of rows, and every signed checkpoint (`checkpoints`, from
    `read_checkpoints`) must find its row at its place in the chain with the hash it recorded (so
    removing the newest rows, or editing a row and re-chaining everything after it, shows)."""
    problems = []
    previous = None
    checked = 0
    last_id = 0
    expected = {point["last_id"]: point for point in checkpoints}
    while True:
        rows = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for event in rows:
            if previous is None and event.prev_hash != GENESIS:
                problems.append(f"audit row {event.id}: the oldest row does not start the chain "
                                "(rows before it removed)")
            if previous is not None and event.prev_hash != previous:
                problems.append(f"audit row {event.id}: does not link to the row before it")
            if event.row_hash != row_hash(event, event.prev_hash):
                problems.append(f"audit row {event.id}: content does not match its hash")
            previous = event.row_hash
            last_id = event.id
            checked += 1
            point = expected.pop(event.id, None)
            if point is not None:
                problems.extend(_against_checkpoint(point, event, checked))
        db.session.expunge_all()
    for point in expected.values():
        problems.append(f"checkpoint of {point['at']}: its row {point['last_id']} is missing "
                        f"({point['rows']} rows were signed, {checked} remain)")
    problems.extend(_against_head(db.session.get(AuditChainHead, 1), previous, checked))
    return checked, problems


def _against_checkpoint(point, event, position):
    if event.row_hash != point["head"] or position != point["rows"]:
        return [f"checkpoint of {point['at']}: row {event.id} is not the row signed then "
                f"(signed {point['rows']} rows ending {point['head'][:12]}, found {position} ending "
                f"{event.row_hash[:12]}): rows were removed, or edited and re-chained"]
    return []


def _against_head(head, previous, checked):
    if head is None:
        return ["the audit chain head row is missing"]
    problems = []
    if head.last_hash != (previous or GENESIS):
        problems.append("the newest audit row is missing or was replaced")
    if head.length != checked:
        problems.append(f"the chain head counts {head.length} rows but {checked} are stored")
    return problems


# Signed checkpoints: the head of the chain (hash, row count, time), signed with a key the database
# never holds and appended to a file outside it, so a role that can rewrite the table cannot
# rewrite history already signed.

def checkpoint_key(config):
    return (config.get("AUDIT_CHECKPOINT_KEY") or config["SECRET_KEY"]).encode()


def _signature(key, point):
    body = {k: point[k] for k in ("at", "rows", "last_id", "head")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def write_checkpoint(path, key):
    """Sign the chain's current head and append it to `path` (JSON lines, mode 0600); return it."""
    newest = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.row_hash,
                  sa.select(sa.func.count()).select_from(AuditEvent).scalar_subquery())
        .order_by(AuditEvent.id.desc()).limit(1)
    ).one_or_none()
    last_id, head, rows = newest if newest is not None else (0, GENESIS, 0)
    point = {"at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "rows": rows, "last_id": last_id, "head": head}
    point["mac"] = _signature(key, point)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a") as out:
        out.write(json.dumps(point, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return point


def read_checkpoints(path, key):
    """The checkpoints in `path` whose signature holds, and a problem for each line that fails."""
    points, problems = [], []
    if not path or not os.path.exists(path):
        return points, problems
    with open(path) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                point = json.loads(line)
                good = hmac.compare_digest(point.get("mac", ""), _signature(key, point))
            except (ValueError, KeyError, TypeError, AttributeError):
                good = False
            if not good:
                problems.append(f"checkpoint line {number}: not signed with this installation's key")
                continue
            if point["rows"]:
                points.append(point)
    return points, problems


def _holder_of(entity):
    if entity.__tablename__ == "licence_holders":
        return entity.id
    for attr in ("holder_id", "proprietor_id"):
        if getattr(entity, attr, None) is not None:
            return getattr(entity, attr)
    return None

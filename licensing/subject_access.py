"""Subject access (G22): everything held about one licence holder, and nothing about anyone else.

Starting from the holder's row, the export follows foreign keys downwards only: every row that
references a row already collected (licences, vehicles, checks, convictions, intelligence, cases
and their notes, complaints, enforcement actions and letters, training). It never follows a key
upwards (to the staff account that recorded a row, or a course), so it cannot wander into another
person's records. Audit rows are those tagged with the holder. Stored files (letters, evidence,
case documents) go into the ZIP as they are; everything else as JSON.

The ZIP is the disclosure officer's complete working copy, never the release: it holds other
people's details and restricted intelligence. What the holder receives is made on the subject
access pages (licensing/safeguarding/operations/disclosure.py), from a reviewed draft."""

import datetime as dt
import decimal
import enum
import json
import os
import zipfile

import click
import sqlalchemy as sa

from licensing.audit import record
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import LicenceHolder

# Tables never followed: staff accounts, the audit chain bookkeeping, job bookkeeping.
# The subject access requests themselves are the disclosure officer's working papers, not the holder's record.
SKIPPED = {"users", "recovery_codes", "audit_chain_head", "job_runs", "job_locks", "audit_events",
           "subject_access_requests", "subject_access_items"}
FILE_COLUMNS = {"content", "letter_pdf"}
EXTENSIONS = {"issued_letters": "pdf", "suspension_proposals": "pdf"}


class SubjectAccessError(DomainError):
    """A subject access export that cannot be made."""


def jsonable(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def collect_rows(holder_id):
    """{table name: [row mappings]} for every row reachable downwards from the holder."""
    tables = {t.name: t for t in db.metadata.sorted_tables if t.name not in SKIPPED}
    found = {"licence_holders": {holder_id}}
    rows = {}
    grown = {"licence_holders"}
    while grown:
        # Only tables pointing at a table that gained rows in the last round can gain rows now.
        candidates = [table for table in tables.values()
                      if any(fk.column.table.name in grown for fk in table.foreign_keys)
                      or (table.name == "licence_holders" and table.name not in rows)]
        grown = set()
        for table in candidates:
            result = _reachable(table, found, holder_id)
            if result is None:
                continue
            if "id" in table.c:
                new = {row["id"] for row in result} - found.get(table.name, set())
                if new:
                    found.setdefault(table.name, set()).update(new)
                    grown.add(table.name)
            # A link table (review_case_licences) has no id of its own: nothing can point at its
            # rows, so they are kept under their position and never followed further.
            rows[table.name] = {_row_key(table, row, n): row for n, row in enumerate(result)}
    return rows


def _reachable(table, found, holder_id):
    if table.name == "licence_holders":
        conditions = [table.c.id == holder_id]
    else:
        conditions = [
            fk.parent.in_(found[fk.column.table.name])
            for fk in table.foreign_keys
            if found.get(fk.column.table.name) and fk.column.name == "id"
        ]
    if not conditions:
        return None
    query = sa.select(table).where(sa.or_(*conditions))
    if "holder_id" in table.c:
        # A row that names a holder belongs to that holder only, even when it points at one
        # of this holder's rows (another driver's licence on this proprietor's vehicle).
        query = query.where(sa.or_(table.c.holder_id == holder_id, table.c.holder_id.is_(None)))
    return db.session.execute(query).mappings().all()


def _row_key(table, row, position):
    if "id" in table.c:
        return row["id"]
    return position


def export_subject_access(actor, holder_ref, out_path):
    holder = db.session.execute(sa.select(LicenceHolder).filter_by(holder_ref=holder_ref)).scalar_one_or_none()
    if holder is None:
        raise SubjectAccessError(f"No licence holder has the reference {holder_ref}")
    collected = collect_rows(holder.id)
    audit = db.session.execute(
        sa.select(db.metadata.tables["audit_events"]).where(db.metadata.tables["audit_events"].c.holder_id == holder.id)
        .order_by(db.metadata.tables["audit_events"].c.id)
    ).mappings().all()
    files = 0
    # The working copy holds convictions and intelligence: readable by its owner alone.
    os.close(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(out_path, 0o600)
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for table_name, by_id in sorted(collected.items()):
            records = []
            for row_id, row in sorted(by_id.items()):
                data = {}
                for key, value in row.items():
                    if key in FILE_COLUMNS:
                        if value:
                            original = row.get("filename") or f"{table_name}.{EXTENSIONS.get(table_name, 'bin')}"
                            name = f"files/{table_name}/{row_id}-{os.path.basename(original)}"
                            archive.writestr(name, value)
                            data[key] = name
                            files += 1
                        continue
                    data[key] = jsonable(value)
                records.append(data)
            archive.writestr(f"{table_name}.json", json.dumps(records, indent=2, default=str))
        archive.writestr("audit_events.json", json.dumps(
            [{k: jsonable(v) for k, v in row.items()} for row in audit], indent=2, default=str))
    if collected.get("intelligence") or collected.get("non_conviction_information"):
        # The server's operator is shown the restricted records in the working copy: audited as a showing.
        record(actor, "intelligence.view", entity_type="intelligence", holder_id=holder.id,
               reason="subject access export")
    record(actor, "subject_access.export", holder,
           after={"tables": sorted(collected), "files": files, "audit_rows": len(audit)})
    return {"tables": len(collected), "files": files, "audit_rows": len(audit)}


@click.command("subject-access")
@click.argument("holder_ref")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The ZIP file to write.")
def subject_access_command(holder_ref, out_path):
    """Export everything held about one licence holder as a ZIP of JSON and PDFs (a working copy
    for the disclosure officer: release only a reviewed draft, from the subject access pages)."""
    try:
        counts = export_subject_access(None, holder_ref, out_path)
    except SubjectAccessError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Wrote {out_path}: {counts['tables']} record types, {counts['files']} files, "
               f"{counts['audit_rows']} audit rows")

"""`flask import hearings FILE.csv [--dry-run]`: bring past hearing decisions across.

One row per case listed; rows sharing a hearing date belong to one hearing. The file is
checked whole first: any error (with its line number) means nothing is written."""

import csv
import datetime as dt
from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from licensing.audit import record
from licensing.extensions import db
from licensing.hearings.bodies import imported_body
from licensing.hearings.decisions import ACTION_KIND, CASE_OUTCOME
from licensing.models import (
    Attendance,
    CaseOrigin,
    CaseState,
    Hearing,
    HearingDecision,
    HearingListing,
    HearingOutcome,
    HearingStatus,
    Licence,
    ReviewCase,
    Role,
    User,
)
from licensing.revocations.effects import effective_date
from licensing.revocations.operations import record_past_action

COLUMNS = ("hearing_date", "licence_number", "attended", "outcome", "suspension_until", "immediate", "reasons")
OUTCOMES = {"granted": HearingOutcome.GRANT, "refused": HearingOutcome.REFUSE, "no_action": HearingOutcome.NO_ACTION,
            "warning": HearingOutcome.WARNING, "suspended": HearingOutcome.SUSPEND, "revoked": HearingOutcome.REVOKE,
            "deferred": HearingOutcome.DEFER, "surrendered": HearingOutcome.SURRENDERED}
YES_NO = {"yes": True, "no": False, "y": True, "n": False, "": False}
DEFAULT_REASONS = "Recorded from the council's hearing records (imported)."

import_cli = AppGroup("import", help="Import records from CSV files.")


class HearingImportError(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    line: int
    hearing_date: dt.date
    licence: Licence
    attended: bool
    outcome: HearingOutcome
    suspension_until: dt.date | None
    immediate: bool
    reasons: str


def _date(value):
    return dt.date.fromisoformat(value.strip()) if value and value.strip() else None


def parse(stream):
    """Read and check every row; returns rows or raises HearingImportError listing each problem."""
    reader = csv.DictReader(stream)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise HearingImportError([f"line 1: missing columns: {', '.join(missing)}"])
    raw = list(reader)
    numbers = {r["licence_number"].strip() for r in raw if r.get("licence_number")}
    licences = {lic.licence_number: lic for lic in db.session.execute(
        sa.select(Licence).where(Licence.licence_number.in_(numbers))).scalars()} if numbers else {}
    rows, errors = [], []
    for line, item in enumerate(raw, start=2):
        try:
            number = (item["licence_number"] or "").strip()
            if number not in licences:
                raise ValueError(f"unknown licence number {number!r}")
            outcome = OUTCOMES.get((item["outcome"] or "").strip().lower())
            if outcome is None:
                raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
            attended, immediate = (YES_NO.get((item[k] or "").strip().lower()) for k in ("attended", "immediate"))
            if attended is None or immediate is None:
                raise ValueError("attended and immediate must be yes or no")
            licence = licences[number]
            if immediate and (outcome not in (HearingOutcome.SUSPEND, HearingOutcome.REVOKE)
                              or not licence.licence_type.is_driver):
                raise ValueError("immediate applies only to suspension or revocation of a driver licence")
            hearing_date = _date(item["hearing_date"])
            if hearing_date is None:
                raise ValueError("hearing_date is required (YYYY-MM-DD)")
            until = _date(item["suspension_until"])
            if until and outcome != HearingOutcome.SUSPEND:
                raise ValueError("suspension_until is only for suspended")
            rows.append(Row(line, hearing_date, licence, attended, outcome, until, immediate,
                            (item["reasons"] or "").strip()))
        except (ValueError, KeyError) as error:
            errors.append(f"line {line}: {error}")
    if errors:
        raise HearingImportError(errors)
    return rows


def _importer(email):
    query = sa.select(User).where(User.role.in_([Role.OFFICER, Role.MANAGER]), User.is_enabled.is_(True))
    query = query.where(User.email == email) if email else query.order_by(User.id)
    user = db.session.execute(query.limit(1)).scalar_one_or_none()
    if user is None:
        raise HearingImportError([f"no enabled officer or manager {email or ''}".strip()])
    return user


def import_rows(actor, rows):
    """Write hearings, cases, listings, decisions and actions for parsed rows; flush only.
    History is recorded as it was: licences keep their current register status."""
    by_date = {}
    for row in rows:
        by_date.setdefault(row.hearing_date, []).append(row)
    summary = {}
    body = imported_body(actor)
    for day, day_rows in sorted(by_date.items()):
        hearing = Hearing(starts_at=dt.datetime.combine(day, dt.time(10)), venue="Not recorded (imported)",
                          deciding_body=body.name, deciding_body_id=body.id, status=HearingStatus.HELD,
                          imported=True, created_by_id=actor.id)
        db.session.add(hearing)
        db.session.flush()
        for position, row in enumerate(day_rows, start=1):
            _import_case(actor, hearing, position, row)
        record(actor, "hearing.imported", hearing, after={"date": day.isoformat(), "cases": len(day_rows)})
        summary[day] = len(day_rows)
    db.session.flush()
    return summary


def _import_case(actor, hearing, position, row):
    outcome, reasons = row.outcome, row.reasons or DEFAULT_REASONS
    state = {HearingOutcome.DEFER: CaseState.AWAITING_DECISION,
             HearingOutcome.SURRENDERED: CaseState.WITHDRAWN}.get(outcome, CaseState.DECIDED)
    case = ReviewCase(origin=CaseOrigin.AUDIT,
                      holder_id=row.licence.holder_id, summary=f"Imported hearing case ({row.licence.licence_number})",
                      opened_by_id=actor.id, state=state, licences=[row.licence],
                      outcome=CASE_OUTCOME.get(outcome) if state == CaseState.DECIDED else None)
    db.session.add(case)
    db.session.flush()
    listing = HearingListing(hearing_id=hearing.id, case_id=case.id, position=position, listed_by_id=actor.id,
                             attendance=Attendance.ATTENDED if row.attended else Attendance.DID_NOT_ATTEND)
    db.session.add(listing)
    db.session.flush()
    decision = HearingDecision(listing_id=listing.id, outcome=outcome, reasons=reasons, immediate=row.immediate,
                               public_safety_reason=reasons if row.immediate else None,
                               suspension_to=row.suspension_until, decision_date=row.hearing_date,
                               recorded_by_id=actor.id)
    if outcome in ACTION_KIND:
        decision.notice_date = row.hearing_date
        decision.effective_date = effective_date(row.hearing_date, row.hearing_date, immediate=row.immediate)
        action = record_past_action(actor, row.licence, kind=ACTION_KIND[outcome], case=case,
                                    decision_date=row.hearing_date, immediate=row.immediate, grounds=reasons,
                                    public_safety_reason=decision.public_safety_reason,
                                    suspension_to=row.suspension_until)
        decision.action_id = action.id
    db.session.add(decision)


@import_cli.command("hearings")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report, writing nothing.")
@click.option("--by", "email", help="E-mail of the officer recorded as importing (default: the first officer).")
def import_hearings_command(path, dry_run, email):
    """Import past hearing decisions from a CSV file (all or nothing)."""
    try:
        actor = _importer(email)
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = parse(stream)
        summary = import_rows(actor, rows)
    except HearingImportError as error:
        db.session.rollback()
        raise click.ClickException("nothing imported:\n" + "\n".join(error.errors)) from None
    for day, count in summary.items():
        click.echo(f"{day.isoformat()}: {count} cases")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {len(rows)} rows in {len(summary)} hearings would be imported; nothing written.")
    else:
        db.session.commit()
        click.echo(f"Imported {len(rows)} rows in {len(summary)} hearings.")

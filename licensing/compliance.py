"""Compliance status: the one place that decides what each licence owes and when it fell due.

Evidence is the union of compliance checks and training completions (a completed course counts
for the requirement code its course `satisfies`; safeguarding completions also write a check so
the grant rules see them). For each licence in force and each ongoing requirement of the policy
edition in force on the date, the due date is the latest evidence's expiry (or its refresher
date), or, without evidence, the policy's initial deadline. A requirement is overdue when its
due date is before the date asked about.

`population_due_items` evaluates a whole population with three set-based queries; the holder
page and the scan both use it, so they can never disagree.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from licensing.extensions import db
from licensing.models import (
    Booking,
    BookingStatus,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    Course,
    Licence,
    LicenceHolder,
    LicenceStatus,
    TrainingSession,
)
from licensing.policy.requirements import DATA_FILE, edition_on, ongoing_rules

CHECK_KINDS = frozenset(k.value for k in CheckKind)
IN_FORCE = (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED)
COUNTING_RESULTS = (
    CheckResult.PASS,
    CheckResult.CLEAR,
    CheckResult.NO_MATCH,
    CheckResult.INFORMATION_DISCLOSED,
    CheckResult.MATCH_FOUND,
)


class DueItem(NamedTuple):
    """One requirement of one licence in force, with the date it falls (or fell) due."""

    holder_id: int
    licence_id: int
    licence_number: str
    licence_type: str
    requirement: str
    label: str
    due_on: dt.date
    days_left: int
    suspend_when_overdue: bool

    @property
    def overdue(self):
        return self.days_left < 0


@dataclass
class ComplianceStatus:
    holder_id: int
    on_date: dt.date
    items: list = field(default_factory=list)  # every tracked requirement with a due date

    @property
    def reasons(self):
        """Why the holder is not compliant: each overdue requirement, oldest first."""
        return sorted((i for i in self.items if i.overdue), key=lambda i: (i.due_on, i.requirement))

    @property
    def compliant(self):
        return not self.reasons

    def due_within(self, days):
        return sorted(
            (i for i in self.items if 0 <= i.days_left <= days), key=lambda i: (i.due_on, i.requirement)
        )


def policy_path():
    return current_app.config.get("REQUIREMENTS_FILE") or DATA_FILE


def _licences_in_force(on_date, holder_ids):
    query = (
        sa.select(
            Licence.id, Licence.holder_id, Licence.licence_number, Licence.licence_type,
            Licence.issued_on, Licence.expires_on, LicenceHolder.date_of_birth,
        )
        .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
        .where(Licence.status.in_(IN_FORCE))
        .where(sa.or_(Licence.issued_on.is_(None), Licence.issued_on <= on_date))
    )
    if holder_ids is not None:
        query = query.where(Licence.holder_id.in_(holder_ids))
    return db.session.execute(query.order_by(Licence.id)).all()


def _evidence(on_date, holder_ids, codes):
    """{(scope, id, requirement): (latest completed_on, latest expires_on)} for holders and licences."""
    evidence = {}
    checks = (
        sa.select(
            ComplianceCheck.holder_id, ComplianceCheck.licence_id, ComplianceCheck.kind,
            sa.func.max(ComplianceCheck.completed_on), sa.func.max(ComplianceCheck.expires_on),
        )
        .where(ComplianceCheck.completed_on <= on_date)
        .where(ComplianceCheck.result.in_(COUNTING_RESULTS))
        .where(ComplianceCheck.kind.in_(sorted(codes & CHECK_KINDS)))
        .group_by(ComplianceCheck.holder_id, ComplianceCheck.licence_id, ComplianceCheck.kind)
    )
    training = (
        sa.select(
            Booking.holder_id, Course.satisfies,
            sa.func.max(Booking.completed_on), sa.func.max(Booking.expires_on),
        )
        .select_from(Booking)
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .join(Course, Course.id == TrainingSession.course_id)
        .where(Booking.status == BookingStatus.COMPLETED, Booking.completed_on <= on_date)
        .where(Course.satisfies.in_(sorted(codes)))
        .group_by(Booking.holder_id, Course.satisfies)
    )
    if holder_ids is not None:
        holder_ids = list(holder_ids)
        # The licence ids are resolved first: with `licence_id IN (subquery)` inside the OR,
        # PostgreSQL scans every check; with two literal lists it ORs the two index scans.
        licence_ids = list(db.session.scalars(sa.select(Licence.id).where(Licence.holder_id.in_(holder_ids))))
        subject = ComplianceCheck.holder_id.in_(holder_ids)
        if licence_ids:
            subject = sa.or_(subject, ComplianceCheck.licence_id.in_(licence_ids))
        checks = checks.where(subject)
        training = training.where(Booking.holder_id.in_(holder_ids))
    for holder_id, licence_id, kind, completed, expires in db.session.execute(checks):
        code = getattr(kind, "value", kind)
        for key in (("holder", holder_id, code), ("licence", licence_id, code)):
            if key[1] is not None:
                evidence[key] = _later(evidence.get(key), (completed, expires))
    for holder_id, code, completed, expires in db.session.execute(training):
        key = ("holder", holder_id, code)
        evidence[key] = _later(evidence.get(key), (completed, expires))
    return evidence


def _later(a, b):
    if a is None:
        return b
    return (max(a[0], b[0]), max((x for x in (a[1], b[1]) if x), default=None))


def _due_on(rule, licence, evidence):
    if rule.source == "licence":
        return licence.expires_on
    found = [
        evidence.get(("licence", licence.id, rule.code)),
        evidence.get(("holder", licence.holder_id, rule.code)),
    ]
    dues = [rule.next_due(c, e, licence.date_of_birth) for c, e in filter(None, found)]
    if dues:
        return None if None in dues else max(dues)
    return rule.initial_due(licence.issued_on, licence.expires_on)


def population_due_items(on_date, holder_ids=None):
    """Every (licence in force, ongoing requirement) with a due date, as at `on_date`."""
    path = policy_path()
    edition = edition_on(on_date, path)
    codes = {code for type_codes in edition.ongoing.values() for code in type_codes}
    evidence = _evidence(on_date, holder_ids, codes)
    rules_by_type = {}
    for licence in _licences_in_force(on_date, holder_ids):
        licence_type = getattr(licence.licence_type, "value", licence.licence_type)
        if licence_type not in rules_by_type:
            rules_by_type[licence_type] = ongoing_rules(licence_type, on_date, path)
        for rule in rules_by_type[licence_type]:
            due_on = _due_on(rule, licence, evidence)
            if due_on is None:
                continue
            yield DueItem(
                holder_id=licence.holder_id,
                licence_id=licence.id,
                licence_number=licence.licence_number,
                licence_type=licence_type,
                requirement=rule.code,
                label=rule.label,
                due_on=due_on,
                days_left=(due_on - on_date).days,
                suspend_when_overdue=rule.suspend_when_overdue,
            )


def population_compliance(on_date, holder_ids=None):
    """{holder_id: ComplianceStatus} for every holder with a licence in force."""
    result = {}
    for item in population_due_items(on_date, holder_ids):
        status = result.get(item.holder_id) or ComplianceStatus(item.holder_id, on_date)
        status.items.append(item)
        result[item.holder_id] = status
    return result


def holder_compliance(holder_id, on_date):
    """The compliance status of one holder on `on_date` (compliant when nothing is overdue)."""
    return population_compliance(on_date, [holder_id]).get(holder_id) or ComplianceStatus(holder_id, on_date)

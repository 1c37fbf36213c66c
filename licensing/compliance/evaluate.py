"""The Python evaluation: a population's due items from three set-based queries (the holder page,
the hearing papers, suspensions)."""


import sqlalchemy as sa

from licensing.compliance.due import (
    CHECK_KINDS,
    COUNTING_RESULTS,
    IN_FORCE,
    ComplianceStatus,
    DueItem,
    LicenceInForce,
    policy_path,
)
from licensing.extensions import db
from licensing.models import (
    Booking,
    BookingStatus,
    ComplianceCheck,
    Course,
    Licence,
    LicenceHolder,
    TrainingSession,
)
from licensing.policy.requirements import edition_on, ongoing_rules


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


def _in_force_among(holder, licences, on_date):
    """`_licences_in_force` for one holder whose licences are already loaded: the same test."""
    return [
        LicenceInForce(lic.id, lic.holder_id, lic.licence_number, lic.licence_type, lic.issued_on, lic.expires_on,
                       holder.date_of_birth)
        for lic in sorted(licences, key=lambda lic: lic.id)
        if lic.status in IN_FORCE and (lic.issued_on is None or lic.issued_on <= on_date)
    ]


def _evidence(on_date, holder_ids, codes, licence_ids=None, with_training=True):
    """{(scope, id, requirement): (latest completed_on, latest expires_on)} for holders and licences.
    `licence_ids`: the holders' licence ids when already known; `with_training=False` when the
    caller knows the holders have no training bookings."""
    evidence = {}
    checks = (
        sa.select(
            ComplianceCheck.holder_id, ComplianceCheck.licence_id, ComplianceCheck.kind,
            sa.func.max(ComplianceCheck.completed_on), sa.func.max(ComplianceCheck.expires_on),
        )
        .where(ComplianceCheck.completed_on <= on_date)
        .where(ComplianceCheck.result.in_(COUNTING_RESULTS))
        .where(ComplianceCheck.withdrawn_at.is_(None))  # withdrawn as entered in error: no evidence
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
        if licence_ids is None:
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
    for holder_id, code, completed, expires in (db.session.execute(training) if with_training else ()):
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


def population_due_items(on_date, holder_ids=None, *, loaded=None, with_training=True):
    """Every (licence in force, ongoing requirement) with a due date, as at `on_date`.
    `loaded`: (holder, all of its licences) when the caller has them, to save two queries."""
    path = policy_path()
    edition = edition_on(on_date, path)
    codes = {code for type_codes in edition.ongoing.values() for code in type_codes}
    licence_ids = [lic.id for lic in loaded[1]] if loaded else None
    evidence = _evidence(on_date, holder_ids, codes, licence_ids, with_training)
    rules_by_type = {}
    in_force = _in_force_among(*loaded, on_date) if loaded else _licences_in_force(on_date, holder_ids)
    for licence in in_force:
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


def population_compliance(on_date, holder_ids=None, **known):
    """{holder_id: ComplianceStatus} for every holder with a licence in force."""
    result = {}
    for item in population_due_items(on_date, holder_ids, **known):
        status = result.get(item.holder_id) or ComplianceStatus(item.holder_id, on_date)
        status.items.append(item)
        result[item.holder_id] = status
    return result


def holder_compliance(holder_id, on_date, **known):
    """The compliance status of one holder on `on_date` (compliant when nothing is overdue).
    `known`: see `population_due_items` (the holder page passes what it has loaded)."""
    return (population_compliance(on_date, [holder_id], **known).get(holder_id)
            or ComplianceStatus(holder_id, on_date))

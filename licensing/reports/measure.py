"""The compliance measure for a whole population, set-based, as at one or more dates.

The rules are those of `licensing.compliance` (the one place that says what a licence owes):
the same population (licences in force, issued by the date), the same evidence (checks with a
counting result and completed training, completed by the date; the latest per holder and per
licence), the same policy edition and the same due-date rules. Here each rule becomes a
comparison of stored dates with constants worked out in Python for the date asked about, so
the database does no date arithmetic and SQLite and PostgreSQL give the per-holder answer to
the day. tests/test_reports_quarterly.py checks that the two paths agree.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from licensing.compliance import CHECK_KINDS, COUNTING_RESULTS, IN_FORCE, policy_path
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
from licensing.policy.requirements import add_months, edition_on

NEVER = sa.literal(0)


@dataclass
class Measure:
    """Adherence as at one date: holders (the corporate measure) and licences by type."""

    on_date: dt.date
    holders: int = 0
    holders_adhering: int = 0
    by_type: dict = field(default_factory=dict)  # licence type value -> (licences, adhering)

    @property
    def percentage(self):
        return percentage(self.holders_adhering, self.holders)


def percentage(part, whole):
    """Percentage to one decimal place, rounded half up; None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def months_threshold(on_date, months):
    """The earliest completion date whose refresher, `months` later, is not before `on_date`:
    evidence completed before it is overdue on `on_date`."""
    day = add_months(on_date, -months) - dt.timedelta(days=4)
    while add_months(day, months) < on_date:
        day += dt.timedelta(days=1)
    return day


def _date_number(column):
    """YYYYMMDD as an integer, so ages compare without date arithmetic on either engine."""
    return (sa.extract("year", column) * 10000 + sa.extract("month", column) * 100
            + sa.extract("day", column))


def _number(day):
    return day.year * 10000 + day.month * 100 + day.day


class _Rules:
    """Builds one overdue expression per requirement code for the date `on_date`."""

    def __init__(self, on_date, licence, dob, evidence):
        self.on_date = on_date
        self.day_before = _number(on_date - dt.timedelta(days=1))
        self.licence = licence
        self.dob = dob
        self.dob_number = _date_number(dob)
        self.evidence = evidence  # code -> ((holder completed, expires), (licence completed, expires))

    def overdue(self, rule):
        if rule.source == "licence":
            expires = self.licence.c.expires_on
            return sa.and_(expires.is_not(None), expires < self.on_date)
        (h_done, h_exp), (l_done, l_exp) = self.evidence[rule.code]
        found_h, found_l = h_done.is_not(None), l_done.is_not(None)
        return sa.case(
            (sa.or_(found_h, found_l), sa.and_(
                sa.or_(sa.not_(found_h), self._scope_overdue(rule, h_done, h_exp)),
                sa.or_(sa.not_(found_l), self._scope_overdue(rule, l_done, l_exp)),
            )),
            else_=self._initial_overdue(rule),
        )

    def _before_months(self, completed, months):
        return completed < months_threshold(self.on_date, months)

    def _reached_age(self, age):
        """The holder's `age` birthday fell before the date."""
        return self.day_before - self.dob_number >= age * 10000

    def _scope_overdue(self, rule, completed, expires):
        return sa.case((expires.is_not(None), expires < self.on_date), else_=self._refresh_overdue(rule, completed))

    def _refresh_overdue(self, rule, completed):
        if rule.age_bands:
            fallback = (self._before_months(completed, rule.refresh_months) if rule.refresh_months else
                        self._before_months(completed, 12 * min(b.get("every_years", 99) for b in rule.age_bands)))
            return sa.case((self.dob.is_not(None), self._age_band_overdue(rule, completed)), else_=fallback)
        if rule.refresh_months:
            return self._before_months(completed, rule.refresh_months)
        return sa.false()

    def _age_band_overdue(self, rule, completed):
        age_then = _date_number(completed) - self.dob_number
        whens = []
        for band in rule.age_bands:
            if "next_at_age" in band:
                due_passed = self._reached_age(band["next_at_age"])
            else:
                due_passed = self._before_months(completed, 12 * band["every_years"])
                if "not_after_age" in band:
                    due_passed = sa.or_(due_passed, self._reached_age(band["not_after_age"]))
            if "below_age" not in band:
                return sa.case(*whens, else_=due_passed) if whens else due_passed
            whens.append((age_then < band["below_age"] * 10000, due_passed))
        return sa.case(*whens, else_=sa.false())

    def _initial_overdue(self, rule):
        issued, expires = self.licence.c.issued_on, self.licence.c.expires_on
        kind = rule.deadline.get("rule", "within_days_of_grant")
        if kind == "fixed_date":
            fixed = dt.date.fromisoformat(rule.deadline["date"])
            if fixed >= self.on_date:
                return sa.false()
            return sa.or_(issued.is_(None), issued < self.on_date)
        if kind == "next_renewal":
            return sa.and_(expires.is_not(None), expires < self.on_date)
        days = int(rule.deadline.get("days", 0))
        return sa.and_(issued.is_not(None), issued < self.on_date - dt.timedelta(days=days))


def _flag(condition):
    return sa.case((condition, 1), else_=0)


def _pivot(rows, key, codes, suffix):
    """One row per holder (or licence): latest completion and expiry for each code."""
    columns = [rows.c[key]]
    for code in codes:
        columns.append(sa.func.max(sa.case((rows.c.code == code, rows.c.completed_on))).label(f"c_{code}"))
        columns.append(sa.func.max(sa.case((rows.c.code == code, rows.c.expires_on))).label(f"e_{code}"))
    return sa.select(*columns).group_by(rows.c[key]).cte(f"evidence_{suffix}")


def licence_flags(on_date, suffix="0"):
    """A CTE: one row per licence in force on `on_date` with licence_id, holder_id, licence_type,
    a 0/1 column `r_<code>` per ongoing requirement (1: overdue) and `overdue` (any)."""
    path = policy_path()
    edition = edition_on(on_date, path)
    codes = sorted({code for type_codes in edition.ongoing.values() for code in type_codes})
    evidence_codes = [c for c in codes if edition.rules[c].source != "licence"]
    licences = (
        sa.select(Licence.id.label("licence_id"), Licence.holder_id, Licence.licence_type,
                  Licence.issued_on, Licence.expires_on, LicenceHolder.date_of_birth)
        .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
        .where(Licence.status.in_(IN_FORCE))
        .where(sa.or_(Licence.issued_on.is_(None), Licence.issued_on <= on_date))
        .cte(f"in_force_{suffix}")
    )
    query_from = licences
    evidence = {}
    if evidence_codes:
        check_codes = sorted(set(evidence_codes) & CHECK_KINDS)
        counting = (ComplianceCheck.completed_on <= on_date, ComplianceCheck.result.in_(COUNTING_RESULTS),
                    ComplianceCheck.kind.in_(check_codes))
        kind = sa.type_coerce(ComplianceCheck.kind, sa.String).label("code")
        holder_rows = sa.union_all(
            sa.select(ComplianceCheck.holder_id.label("holder_id"), kind,
                      ComplianceCheck.completed_on, ComplianceCheck.expires_on)
            .where(ComplianceCheck.holder_id.is_not(None), *counting),
            sa.select(Booking.holder_id, Course.satisfies, Booking.completed_on, Booking.expires_on)
            .join(TrainingSession, TrainingSession.id == Booking.session_id)
            .join(Course, Course.id == TrainingSession.course_id)
            .where(Booking.status == BookingStatus.COMPLETED, Booking.completed_on <= on_date,
                   Course.satisfies.in_(evidence_codes)),
        ).subquery(f"holder_evidence_rows_{suffix}")
        licence_rows = (
            sa.select(ComplianceCheck.licence_id.label("licence_id"), kind,
                      ComplianceCheck.completed_on, ComplianceCheck.expires_on)
            .where(ComplianceCheck.licence_id.is_not(None), *counting)
            .subquery(f"licence_evidence_rows_{suffix}")
        )
        by_holder = _pivot(holder_rows, "holder_id", evidence_codes, f"h_{suffix}")
        by_licence = _pivot(licence_rows, "licence_id", evidence_codes, f"l_{suffix}")
        query_from = (licences.outerjoin(by_holder, by_holder.c.holder_id == licences.c.holder_id)
                      .outerjoin(by_licence, by_licence.c.licence_id == licences.c.licence_id))
        evidence = {code: ((by_holder.c[f"c_{code}"], by_holder.c[f"e_{code}"]),
                           (by_licence.c[f"c_{code}"], by_licence.c[f"e_{code}"])) for code in evidence_codes}
    rules = _Rules(on_date, licences, licences.c.date_of_birth, evidence)
    flags = []
    for code in codes:
        types = sorted(t for t, type_codes in edition.ongoing.items() if code in type_codes)
        applies = licences.c.licence_type.in_(types)
        flags.append(_flag(sa.and_(applies, rules.overdue(edition.rules[code]))).label(f"r_{code}"))
    per_rule = (
        sa.select(licences.c.licence_id, licences.c.holder_id, licences.c.licence_type, *flags)
        .select_from(query_from)
        .cte(f"licence_rules_{suffix}")
    )
    total = sum((per_rule.c[f"r_{code}"] for code in codes), start=NEVER)
    return (
        sa.select(per_rule, _flag(total > 0).label("overdue")).cte(f"licence_flags_{suffix}")
    ), codes, edition


def measures(dates):
    """{date: Measure} for each date, in one statement."""
    parts = []
    for index, on_date in enumerate(dates):
        flags, _, _ = licence_flags(on_date, str(index))
        per_holder = (sa.select(flags.c.holder_id, sa.func.max(flags.c.overdue).label("bad"))
                      .group_by(flags.c.holder_id).subquery(f"per_holder_{index}"))
        parts.append(sa.select(sa.literal(index).label("i"), sa.literal(None, sa.String).label("licence_type"),
                               sa.func.count().label("total"),
                               sa.func.coalesce(sa.func.sum(per_holder.c.bad), 0).label("bad"))
                     .select_from(per_holder))
        parts.append(sa.select(sa.literal(index), sa.cast(flags.c.licence_type, sa.String), sa.func.count(),
                               sa.func.coalesce(sa.func.sum(flags.c.overdue), 0))
                     .group_by(flags.c.licence_type))
    result = {d: Measure(d) for d in dates}
    for index, licence_type, total, bad in db.session.execute(sa.union_all(*parts)):
        measure = result[dates[index]]
        if licence_type is None:
            measure.holders, measure.holders_adhering = total, total - int(bad)
        else:
            measure.by_type[getattr(licence_type, "value", licence_type)] = (total, total - int(bad))
    return result


def overdue_rows(on_date):
    """Each licence with something overdue on `on_date`: (holder id, holder reference, holder name,
    licence number, licence type, [requirement codes]), by holder reference."""
    flags, codes, _ = licence_flags(on_date)
    query = (
        sa.select(flags.c.holder_id, LicenceHolder.holder_ref, LicenceHolder.first_name, LicenceHolder.last_name,
                  LicenceHolder.organisation_name, Licence.licence_number, flags.c.licence_type,
                  *(flags.c[f"r_{c}"] for c in codes))
        .join(LicenceHolder, LicenceHolder.id == flags.c.holder_id)
        .join(Licence, Licence.id == flags.c.licence_id)
        .where(flags.c.overdue == 1)
        .order_by(LicenceHolder.holder_ref, Licence.licence_number)
    )
    for row in db.session.execute(query):
        name = row[4] or " ".join(p for p in (row[2], row[3]) if p)
        yield (row[0], row[1], name, row[5], getattr(row[6], "value", row[6]),
               [code for code, flag in zip(codes, row[7:], strict=True) if flag])


def overdue_items(on_date):
    """[(holder_id, licence_id, requirement code)] for every overdue requirement on `on_date`."""
    flags, codes, _ = licence_flags(on_date)
    rows = db.session.execute(
        sa.select(flags.c.holder_id, flags.c.licence_id, *(flags.c[f"r_{c}"] for c in codes))
        .where(flags.c.overdue == 1).order_by(flags.c.holder_id, flags.c.licence_id)
    )
    return [(row[0], row[1], code) for row in rows for code, flag in zip(codes, row[2:], strict=True) if flag]

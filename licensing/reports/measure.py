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
import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from licensing.compliance.due import CHECK_KINDS, COUNTING_RESULTS, IN_FORCE, policy_path
from licensing.compliance.sql import evidence_expiries, reads_completion, reads_expiry
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
    """YYYYMMDD as an integer, so ages compare without date arithmetic on either engine. PostgreSQL's
    date_part gives the parts as double precision (exact for these integers), about twice as fast as
    EXTRACT's numeric."""
    if db.session.get_bind().dialect.name == "postgresql":
        return (sa.func.date_part("year", column) * 10000 + sa.func.date_part("month", column) * 100
                + sa.func.date_part("day", column))
    return (sa.extract("year", column) * 10000 + sa.extract("month", column) * 100
            + sa.extract("day", column))


def _number(day):
    return day.year * 10000 + day.month * 100 + day.day


class _Rules:
    """Builds one overdue expression per requirement code for the date `on_date`."""

    def __init__(self, on_date, licence, dob, evidence, dob_number=None):
        self.on_date = on_date
        self.day_before = _number(on_date - dt.timedelta(days=1))
        self.licence = licence
        self.dob = dob
        self.dob_number = _date_number(dob) if dob_number is None else dob_number
        self.evidence = evidence  # code -> (holder evidence, licence evidence): see `overdue`

    def overdue(self, rule):
        if rule.source == "licence":
            expires = self.licence.c.expires_on
            return sa.and_(expires.is_not(None), expires < self.on_date)
        # Evidence for the holder and for the licence, each (found, latest completion, latest
        # expiry), or None where no evidence of that scope can exist; with evidence, overdue only
        # when each scope found is overdue.
        scopes = [scope for scope in self.evidence[rule.code] if scope is not None]
        return sa.case(
            (sa.or_(*(found for found, _, _ in scopes)),
             sa.and_(*(sa.or_(sa.not_(found), self._scope_overdue(rule, completed, expires))
                       for found, completed, expires in scopes))),
            else_=self._initial_overdue(rule),
        )

    def _before_months(self, completed, months):
        return completed < months_threshold(self.on_date, months)

    def _reached_age(self, age):
        """The holder's `age` birthday fell before the date."""
        return self.day_before - self.dob_number >= age * 10000

    def _scope_overdue(self, rule, completed, expires):
        if expires is None:  # no evidence of the requirement carries an expiry date
            return self._refresh_overdue(rule, completed)
        if completed is None:  # all of it does: with evidence found, the latest expiry decides
            return expires < self.on_date
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


def _latest(rows, codes, dates, expiring):
    """Aggregates over evidence rows (columns code, completed_on, expires_on): for each requirement
    code and each date, the latest completion (c<i>_<code>) and the latest expiry (e<i>_<code>)
    up to that date, each only where `expiring` (`licensing.compliance.sql.evidence_expiries`) says
    it is needed: without expiries there is no e column; when every piece of evidence has one, its
    latest expiry decides and there is no c column. The rows are already limited to the last date."""
    columns = []
    last = dates[-1]
    for code in codes:
        is_code = rows.c.code == code
        for i, day in enumerate(dates):
            counts = is_code if day == last else sa.and_(is_code, rows.c.completed_on <= day)
            if reads_completion(expiring, code):
                columns.append(sa.func.max(sa.case((counts, rows.c.completed_on))).label(f"c{i}_{code}"))
            if reads_expiry(expiring, code):
                columns.append(sa.func.max(sa.case((counts, rows.c.expires_on))).label(f"e{i}_{code}"))
    return columns


def _rollup(rows, key, names, name):
    """The latest of each column per `key` (rows without one left out)."""
    return (sa.select(rows.c[key], *(sa.func.max(rows.c[n]).label(n) for n in names))
            .where(rows.c[key].is_not(None)).group_by(rows.c[key]).subquery(name))


def _evidence(dates, evidence_codes, last):
    """(per holder, per licence or None): the latest evidence up to each date, one row per holder
    (checks and training) and one per licence (checks), with the columns of `_latest`.

    One pass over the checks groups them by holder and licence together (a check usually names
    both); the holder and licence figures are the latest over those groups. A row per key and code
    would need a join per code above it, and a pass per scope reads the checks twice."""
    check_codes = sorted(set(evidence_codes) & CHECK_KINDS)
    counting = (ComplianceCheck.completed_on <= last, ComplianceCheck.result.in_(COUNTING_RESULTS),
                ComplianceCheck.kind.in_(check_codes),
                ComplianceCheck.withdrawn_at.is_(None))  # withdrawn as entered in error: no evidence
    completed = (Booking.status == BookingStatus.COMPLETED, Booking.completed_on <= last)
    expiring = evidence_expiries(evidence_codes)
    trainings = (
        sa.select(Booking.holder_id, Course.satisfies.label("code"), Booking.completed_on, Booking.expires_on)
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .join(Course, Course.id == TrainingSession.course_id)
        .where(*completed, Course.satisfies.in_(evidence_codes))
        .subquery("training_rows")
    )
    training = (sa.select(trainings.c.holder_id, *_latest(trainings, evidence_codes, dates, expiring))
                .group_by(trainings.c.holder_id).subquery("training_evidence"))
    names = [c.name for c in training.c if c.name != "holder_id"]
    if not check_codes:
        return _rollup(training, "holder_id", names, "holder_evidence"), None
    checks = (
        sa.select(ComplianceCheck.holder_id, ComplianceCheck.licence_id,
                  sa.type_coerce(ComplianceCheck.kind, sa.String).label("code"), ComplianceCheck.completed_on,
                  ComplianceCheck.expires_on)
        .where(*counting).subquery("check_rows")
    )
    pairs = (
        sa.select(checks.c.holder_id, checks.c.licence_id, *_latest(checks, check_codes, dates, expiring))
        .group_by(checks.c.holder_id, checks.c.licence_id).cte("check_evidence")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    check_names = [c.name for c in pairs.c if c.name not in ("holder_id", "licence_id")]

    def same_columns(rows):
        return [rows.c[n] if n in rows.c else sa.cast(sa.null(), sa.Date).label(n) for n in names]

    for_holders = sa.union_all(
        sa.select(pairs.c.holder_id, *same_columns(pairs)).where(pairs.c.holder_id.is_not(None)),
        sa.select(training.c.holder_id, *same_columns(training)),
    ).subquery("holder_evidence_rows")
    return (_rollup(for_holders, "holder_id", names, "holder_evidence"),
            _rollup(pairs, "licence_id", check_names, "licence_evidence"))


@dataclass
class Evaluation:
    """Per date a Measure; for the detail date, every licence in force with something overdue."""

    measures: dict
    overdue: list  # (holder_id, licence_id, licence_type, [codes], holder_ref, name, licence_number)


def _types_in_force():
    return {getattr(t, "value", t) for t in db.session.scalars(
        sa.select(Licence.licence_type).where(Licence.status.in_(IN_FORCE)).distinct())}


def _tune_for_reporting():
    """One large read: enough sort memory not to spill, and no JIT compilation of its long
    expressions (PostgreSQL; until the end of the transaction)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL work_mem = '256MB'"))
        db.session.execute(sa.text("SET LOCAL jit = off"))


def evaluate(dates, detail_date=None, names=False):
    """Adherence on each of `dates` in one statement (one pass over the evidence), and the overdue
    requirements of each licence on `detail_date` (one of the dates). Same rules, population and
    evidence as `licensing.compliance`; tests check the two agree."""
    dates = sorted(set(dates))
    detail = dates.index(detail_date) if detail_date is not None else None
    path = policy_path()
    present = _types_in_force()
    editions = [edition_on(day, path) for day in dates]
    codes = sorted({code for e in editions for t, type_codes in e.ongoing.items() if t in present
                    for code in type_codes})
    evidence_codes = [c for c in codes if any(c in e.rules and e.rules[c].source != "licence" for e in editions)]
    last = dates[-1]
    licences = (
        sa.select(Licence.id.label("licence_id"), Licence.holder_id, Licence.licence_type,
                  Licence.issued_on, Licence.expires_on, LicenceHolder.date_of_birth,
                  _date_number(LicenceHolder.date_of_birth).label("dob_number"))
        .join(LicenceHolder, LicenceHolder.id == Licence.holder_id)
        .where(Licence.status.in_(IN_FORCE), sa.or_(Licence.issued_on.is_(None), Licence.issued_on <= last))
        .cte("in_force")
        # Computed once per licence, not again wherever a rule reads the date of birth.
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    query_from, joined = licences, {}
    if evidence_codes:
        by_holder, by_licence = _evidence(dates, evidence_codes, last)
        query_from = query_from.outerjoin(by_holder, by_holder.c.holder_id == licences.c.holder_id)
        if by_licence is not None:
            query_from = query_from.outerjoin(by_licence, by_licence.c.licence_id == licences.c.licence_id)
        joined = {code: (by_holder, by_licence if by_licence is not None and code in CHECK_KINDS else None)
                  for code in evidence_codes}

    def scope(table, i, code):
        if table is None:
            return None
        completed, expires = table.c.get(f"c{i}_{code}"), table.c.get(f"e{i}_{code}")
        return ((completed if completed is not None else expires).is_not(None), completed, expires)

    flags = {}  # (date index, code) -> 0/1 column
    for i, (day, edition) in enumerate(zip(dates, editions, strict=True)):
        evidence = {code: (scope(h, i, code), scope(lic, i, code)) for code, (h, lic) in joined.items()}
        rules = _Rules(day, licences, licences.c.date_of_birth, evidence, licences.c.dob_number)
        for code in codes:
            types = sorted(t for t, type_codes in edition.ongoing.items() if code in type_codes and t in present)
            if types and code in edition.rules:
                flags[(i, code)] = _flag(sa.and_(licences.c.licence_type.in_(types),
                                                 rules.overdue(edition.rules[code])))
    in_force_mask = sum((_flag(sa.or_(licences.c.issued_on.is_(None), licences.c.issued_on <= day)) * (1 << i)
                         for i, day in enumerate(dates)), start=NEVER)
    overdue_mask = sum((_flag(sa.or_(*(f == 1 for (i, _), f in flags.items() if i == index))) * (1 << index)
                        for index in range(len(dates)) if index != detail
                        and any(i == index for i, _ in flags)), start=NEVER)
    detail_codes = [code for (i, code) in flags if i == detail]
    detail_mask = sum((flags[(detail, code)] * (1 << k) for k, code in enumerate(detail_codes)), start=NEVER)
    detail_bit = 1 << detail if detail is not None else 0
    columns = [licences.c.licence_id, licences.c.holder_id,
               sa.type_coerce(licences.c.licence_type, sa.String).label("licence_type"),
               in_force_mask.label("f"), overdue_mask.label("o"), detail_mask.label("d")]
    if names:
        # Joined last, so the names do not travel through the evidence joins.
        holder, licence = sa.orm.aliased(LicenceHolder, name="named_holder"), sa.orm.aliased(Licence, name="named")
        query_from = (query_from.join(licence, licence.id == licences.c.licence_id)
                      .join(holder, holder.id == licence.holder_id))
        columns += [holder.holder_ref, _display_name(holder).label("name"), licence.licence_number]
    masks = (sa.select(*columns).select_from(query_from).cte("licence_masks")
             .prefix_with("MATERIALIZED", dialect="postgresql"))
    _tune_for_reporting()
    found = db.session.connection().execute(_tally_select(masks, len(dates), detail_bit, names))
    try:
        # Plain tuples from the driver (the columns need no result processing): no Row object per licence.
        rows = found.cursor.fetchall()
    finally:
        found.close()
    result = _tally(rows, dates, detail_codes, names)
    if names:
        result.overdue.sort(key=operator.itemgetter(4, 6))
    return result


def _any_bits(mask, count):
    """The bitwise OR of `mask` over a group (bit i: date i), on both engines."""
    return sum((sa.func.max(mask.bitwise_and(1 << i)) for i in range(count)), start=NEVER)


def _tally_select(masks, count, detail_bit, names):
    """One statement over each licence's bit masks (bit i: date i; f in force, o overdue, d the
    detail date's overdue requirements): rows of part 1, licences by (type, in force mask, overdue
    mask); part 2, holders by (in force mask, overdue mask) over all their licences; part 3, each
    licence in force on the detail date with something overdue then (d), with names if asked for."""
    c = masks.c
    overdue = (c.o + sa.case((c.d != 0, detail_bit), else_=0)).bitwise_and(c.f) if detail_bit else c.o.bitwise_and(c.f)
    late = sa.select(c.holder_id, c.licence_type, c.f, overdue.label("b")).subquery("licence_late")
    text, number = sa.cast(sa.null(), sa.String), sa.cast(sa.null(), sa.Integer)
    padding = [text] * 3 if names else []
    by_type = (sa.select(sa.literal(1), late.c.licence_type, late.c.f, late.c.b, sa.func.count(), number, *padding)
               .group_by(late.c.licence_type, late.c.f, late.c.b))
    holders = (sa.select(late.c.holder_id, _any_bits(late.c.f, count).label("f"), _any_bits(late.c.b, count).label("b"))
               .group_by(late.c.holder_id).subquery("holder_masks"))
    by_holder = (sa.select(sa.literal(2), text, holders.c.f, holders.c.b, sa.func.count(), number, *padding)
                 .group_by(holders.c.f, holders.c.b))
    parts = [by_type, by_holder]
    if detail_bit:
        named = [c.holder_ref, c.name, c.licence_number] if names else []
        parts.append(sa.select(sa.literal(3), c.licence_type, c.licence_id, c.holder_id, c.d, number, *named)
                     .where(c.d != 0, c.f.bitwise_and(detail_bit) != 0))
    return sa.union_all(*parts)


def _tally(rows, dates, detail_codes, names):
    """The measures per date, and the licences listed, from the rows of `_tally_select`."""
    per_type = [row[1:5] for row in rows if row[0] == 1]
    holder_masks = [row[2:5] for row in rows if row[0] == 2]
    codes_for = {}
    for row in rows:
        if row[0] == 3 and row[4] not in codes_for:
            codes_for[row[4]] = [c for k, c in enumerate(detail_codes) if row[4] >> k & 1]
    if names:
        overdue = [(row[3], row[2], row[1], codes_for[row[4]], row[6], row[7], row[8]) for row in rows if row[0] == 3]
    else:
        overdue = [(row[3], row[2], row[1], codes_for[row[4]]) for row in rows if row[0] == 3]
    result = {}
    for i, day in enumerate(dates):
        bit = 1 << i
        holders = sum(n for f, _, n in holder_masks if f & bit)
        adhering = sum(n for f, b, n in holder_masks if f & bit and not b & bit)
        by_type = {}
        for licence_type, f, b, n in per_type:
            if f & bit:
                total, ok = by_type.get(licence_type, (0, 0))
                by_type[licence_type] = (total + n, ok + (0 if b & bit else n))
        result[day] = Measure(day, holders, adhering, by_type)
    return Evaluation(result, overdue)


def _display_name(holder):
    """The organisation's name, or else the person's first and last names (either alone if one is missing)."""
    first, last = sa.func.nullif(holder.first_name, ""), sa.func.nullif(holder.last_name, "")
    return sa.func.coalesce(
        sa.func.nullif(holder.organisation_name, ""),
        sa.case((sa.and_(first.is_not(None), last.is_not(None)), first + " " + last),
                else_=sa.func.coalesce(first, last, "")))


def measures(dates):
    """{date: Measure} for each date, in one statement."""
    return evaluate(dates).measures


def overdue_rows(on_date):
    """Each licence with something overdue on `on_date`: (holder id, holder reference, holder name,
    licence number, licence type, [requirement codes]), by holder reference."""
    for holder_id, _, licence_type, codes, ref, name, number in evaluate([on_date], on_date, names=True).overdue:
        yield holder_id, ref, name, number, licence_type, codes


def overdue_items(on_date):
    """[(holder_id, licence_id, requirement code)] for every overdue requirement on `on_date`."""
    return sorted((h, lic, code) for h, lic, _, codes in evaluate([on_date], on_date).overdue for code in codes)

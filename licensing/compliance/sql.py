"""The same evaluation as one SQL statement, for the daily scan and the reports."""


import sqlalchemy as sa

from licensing.compliance.due import CHECK_KINDS, COUNTING_RESULTS, IN_FORCE, policy_path
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
from licensing.policy.requirements import edition_on
from licensing.sqldates import SqlDates, const


def evidence_expiries(codes):
    """{code: (some evidence may carry an expiry date, some may have none)} over the checks and
    training completions for each requirement code: from index probes on the checks' kind and
    expiry date, and the training completions grouped by what their course satisfies. Any piece
    counts, whatever its result, so an answer may say 'may' where there is none, never the
    reverse: evidence whose every piece carries an expiry date can be read by its latest expiry
    alone, and evidence with none by its latest completion alone."""
    codes = sorted(codes)
    if not codes:
        return {}
    checks = ComplianceCheck.__table__.c
    check_codes = [code for code in codes if code in CHECK_KINDS]
    probes = []
    for code in check_codes:
        probes += [sa.select(sa.func.max(checks.expires_on)).where(checks.kind == code).scalar_subquery(),
                   # A count, not EXISTS: the planner would read the table looking for the first.
                   sa.select(sa.func.count()).where(checks.kind == code, checks.expires_on.is_(None))
                   .scalar_subquery()]
    answers = db.session.execute(sa.select(*probes)).one() if probes else ()
    found = {code: (answers[2 * k] is not None, bool(answers[2 * k + 1])) for k, code in enumerate(check_codes)}
    training = db.session.execute(
        sa.select(Course.satisfies, sa.func.max(sa.case((Booking.expires_on.is_not(None), 1), else_=0)),
                  sa.func.max(sa.case((Booking.expires_on.is_(None), 1), else_=0)))
        .join(TrainingSession, TrainingSession.id == Booking.session_id)
        .join(Course, Course.id == TrainingSession.course_id)
        .where(Course.satisfies.in_(codes)).group_by(Course.satisfies))
    for code, some, none in training:
        before = found.get(code, (False, False))
        found[code] = (bool(before[0] or some), bool(before[1] or none))
    return {code: found.get(code, (False, False)) for code in codes}


def reads_completion(expiring, code):
    """Whether the latest completion date of `code`'s evidence is needed (see `evidence_expiries`)."""
    some, not_all = expiring.get(code, (True, True))
    return not_all or not some


def reads_expiry(expiring, code):
    """Whether the latest expiry date of `code`'s evidence is needed (see `evidence_expiries`)."""
    return expiring.get(code, (True, True))[0]


def _pivot_columns(kind, completed_on, expires_on, codes, expiring):
    """max() per requirement code: c_<code> (latest completion) and e_<code> (latest expiry), each
    only where `expiring` (see `evidence_expiries`; empty: both) says it is needed."""
    columns = []
    for code in codes:
        if reads_completion(expiring, code):
            columns.append(sa.func.max(sa.case((kind == const(code, sa.String), completed_on))).label(f"c_{code}"))
        if reads_expiry(expiring, code):
            columns.append(sa.func.max(sa.case((kind == const(code, sa.String), expires_on))).label(f"e_{code}"))
    return columns


def _pivot(key, kind, completed_on, expires_on, codes, where, name, expiring=None):
    """Latest evidence per `key` as one row with the columns of `_pivot_columns`."""
    columns = _pivot_columns(kind, completed_on, expires_on, codes, expiring or {})
    return sa.select(key.label("key"), *columns).where(*where).group_by(key).subquery(name)


def _latest_of(rows, key, name):
    """The latest of each evidence column of `rows` per `key` (rows without one left out)."""
    dates = [c for c in rows.c if c.name.startswith(("c_", "e_"))]
    return (sa.select(rows.c[key].label("key"), *(sa.func.max(c).label(c.name) for c in dates))
            .where(rows.c[key].is_not(None)).group_by(rows.c[key]).subquery(name))


def _evidence_sql(on_date, holder_ids, codes, expiring=None):
    """Latest evidence, as three pivoted subqueries (see `_pivot`): checks per licence, checks per
    holder, training completions per holder."""
    checks = ComplianceCheck.__table__
    kind = sa.type_coerce(checks.c.kind, sa.String)
    counted = [
        checks.c.completed_on <= const(on_date, sa.Date),
        checks.c.result.in_(COUNTING_RESULTS),
        checks.c.kind.in_(sorted(codes & CHECK_KINDS)),
        checks.c.withdrawn_at.is_(None),  # withdrawn as entered in error: no evidence
    ]
    check_codes = sorted(codes & CHECK_KINDS)
    licence_where = [*counted, checks.c.licence_id.is_not(None)]
    holder_where = [*counted, checks.c.holder_id.is_not(None)]
    training = sa.select(Booking.holder_id, Course.satisfies, Booking.completed_on, Booking.expires_on) \
        .select_from(Booking) \
        .join(TrainingSession, TrainingSession.id == Booking.session_id) \
        .join(Course, Course.id == TrainingSession.course_id) \
        .where(Booking.status == BookingStatus.COMPLETED, Booking.completed_on <= const(on_date, sa.Date)) \
        .where(Course.satisfies.in_(sorted(codes)))
    if holder_ids is not None:
        licence_ids = sa.select(Licence.id).where(Licence.holder_id.in_(holder_ids))
        licence_where.append(checks.c.licence_id.in_(licence_ids))
        holder_where.append(checks.c.holder_id.in_(holder_ids))
        training = training.where(Booking.holder_id.in_(holder_ids))
    training = training.subquery("completions")
    if holder_ids is None and check_codes:
        # The whole population: one pass over the checks, grouped by holder and licence together
        # (a check usually names both), then the latest per licence and per holder from those
        # groups, rather than a pass for each.
        pairs = (sa.select(checks.c.holder_id, checks.c.licence_id,
                           *_pivot_columns(kind, checks.c.completed_on, checks.c.expires_on, check_codes,
                                           expiring or {}))
                 .where(*counted).group_by(checks.c.holder_id, checks.c.licence_id)
                 .cte("check_pairs").prefix_with("MATERIALIZED", dialect="postgresql"))
        return (
            _latest_of(pairs, "licence_id", "licence_checks"),
            _latest_of(pairs, "holder_id", "holder_checks"),
            _pivot(training.c.holder_id, training.c.satisfies, training.c.completed_on, training.c.expires_on,
                   sorted(codes), [], "holder_training", expiring),
        )
    return (
        _pivot(checks.c.licence_id, kind, checks.c.completed_on, checks.c.expires_on, check_codes, licence_where,
               "licence_checks", expiring),
        _pivot(checks.c.holder_id, kind, checks.c.completed_on, checks.c.expires_on, check_codes, holder_where,
               "holder_checks", expiring),
        _pivot(training.c.holder_id, training.c.satisfies, training.c.completed_on, training.c.expires_on,
               sorted(codes), [], "holder_training", expiring),
    )


def _either(a, b, dates):
    """The later of two dates either of which may be missing (`_later` in Python)."""
    if a is None or b is None:
        return a if b is None else b
    return sa.case((a.is_(None), b), (b.is_(None), a), else_=dates.later(a, b))


def _fence(select, name, dialect_name):
    """A subquery the PostgreSQL planner keeps as its own step (OFFSET 0), so the columns it
    computes are computed once per row rather than once per use above it."""
    if dialect_name == "postgresql":
        select = select.offset(const(0, sa.Integer))
    return select.subquery(name)


def due_items_select(on_date, holder_ids=None, dialect_name=None):
    """`population_due_items` as one SELECT: columns holder_id, licence_id, licence_number,
    licence_type, requirement, due_on, suspend_when_overdue, position (the requirement's place in
    the policy's list); rows without a due date are left out.

    Evaluated per licence (one row each, a column per requirement), then spread into one row per
    licence and requirement of its type, as the Python path does."""
    dialect_name = dialect_name or db.session.get_bind().dialect.name
    dates = SqlDates(dialect_name)
    path = policy_path()
    edition = edition_on(on_date, path)
    pairs = [(licence_type, code, position) for licence_type, codes in edition.ongoing.items()
             for position, code in enumerate(codes)]
    codes = sorted({code for _, code, _ in pairs})
    rules = {code: edition.rules[code] for code in codes}
    by_evidence = [code for code in codes if rules[code].source != "licence"]
    licences, holders = Licence.__table__, LicenceHolder.__table__
    # Only the evidence dates each requirement needs (`evidence_expiries`); for a handful of
    # holders (the holder page) reading both costs nothing and saves the probes.
    expiring = evidence_expiries(by_evidence) if holder_ids is None else {}
    by_licence, by_holder, training = _evidence_sql(on_date, holder_ids, set(codes), expiring)

    def column(pivot, name):
        return pivot.c.get(name)

    def nothing(name):
        return sa.cast(sa.null(), sa.Date).label(name)

    # Step 1: each licence in force with its latest evidence per requirement (holder evidence from
    # checks and training merged as `_later` does).
    columns = [licences.c.holder_id, licences.c.id.label("licence_id"), licences.c.licence_number,
               sa.type_coerce(licences.c.licence_type, sa.String).label("licence_type"),
               licences.c.issued_on, licences.c.expires_on, holders.c.date_of_birth]
    for code in by_evidence:
        for prefix, needed in (("c", reads_completion(expiring, code)), ("e", reads_expiry(expiring, code))):
            if not needed:
                continue
            from_licence = column(by_licence, f"{prefix}_{code}")  # training codes have no checks
            columns += [
                from_licence.label(f"l{prefix}_{code}") if from_licence is not None else nothing(f"l{prefix}_{code}"),
                _either(column(by_holder, f"{prefix}_{code}"), column(training, f"{prefix}_{code}"), dates)
                .label(f"h{prefix}_{code}"),
            ]
    step1 = (
        sa.select(*columns)
        .select_from(licences)
        .join(holders, holders.c.id == licences.c.holder_id)
        .outerjoin(by_licence, by_licence.c.key == licences.c.id)
        .outerjoin(by_holder, by_holder.c.key == licences.c.holder_id)
        .outerjoin(training, training.c.key == licences.c.holder_id)
        .where(licences.c.status.in_(IN_FORCE))
        .where(sa.or_(licences.c.issued_on.is_(None), licences.c.issued_on <= const(on_date, sa.Date)))
    )
    if holder_ids is not None:
        step1 = step1.where(licences.c.holder_id.in_(holder_ids))
    step1 = _fence(step1, "due_step1", dialect_name)

    # Step 2: when each piece of evidence falls due again, and the initial deadline without any.
    columns = [step1.c.holder_id, step1.c.licence_id, step1.c.licence_number, step1.c.licence_type,
               step1.c.expires_on]
    for code in by_evidence:
        rule = rules[code]
        for scope in ("l", "h"):
            completed, expires = step1.c.get(f"{scope}c_{code}"), step1.c.get(f"{scope}e_{code}")
            if completed is None:  # every piece of evidence carries an expiry date: it is the due date
                found, due = expires.is_not(None), expires
            else:
                found = completed.is_not(None)
                without = sa.cast(sa.null(), sa.Date)  # no evidence carries an expiry date
                due = rule.next_due_sql(dates, completed, without if expires is None else expires,
                                        step1.c.date_of_birth)
            columns += [found.label(f"has_{scope}_{code}"), due.label(f"d{scope}_{code}")]
        columns.append(rule.initial_due_sql(dates, step1.c.issued_on, step1.c.expires_on).label(f"initial_{code}"))
    step2 = _fence(sa.select(*columns), "due_step2", dialect_name)

    # Step 3: `_due_on` in Python: both kinds of evidence count; evidence that never needs renewing
    # means nothing is due; without evidence the initial deadline applies.
    columns = [step2.c.holder_id, step2.c.licence_id, step2.c.licence_number, step2.c.licence_type]
    for code in codes:
        if rules[code].source == "licence":
            columns.append(step2.c.expires_on.label(f"due_{code}"))
            continue
        has_l, has_h = step2.c[f"has_l_{code}"], step2.c[f"has_h_{code}"]
        due_l, due_h = step2.c[f"dl_{code}"], step2.c[f"dh_{code}"]
        columns.append(sa.case(
            (sa.and_(~has_l, ~has_h), step2.c[f"initial_{code}"]),
            (sa.or_(sa.and_(has_l, due_l.is_(None)), sa.and_(has_h, due_h.is_(None))), sa.null()),
            (~has_h, due_l),
            (~has_l, due_h),
            else_=dates.later(due_l, due_h),
        ).label(f"due_{code}"))
    step3 = _fence(sa.select(*columns), "due_step3", dialect_name)

    # Step 4: one row per licence and requirement of its type.
    required = sa.union_all(*[
        sa.select(const(t, sa.String).label("licence_type"), const(c, sa.String).label("code"),
                  const(p, sa.Integer).label("position"))
        for t, c, p in pairs
    ]).subquery("required")
    due_on = sa.type_coerce(sa.case(*[(required.c.code == const(code, sa.String), step3.c[f"due_{code}"])
                                      for code in codes], else_=sa.null()), sa.Date)
    suspending = sorted(code for code, rule in rules.items() if rule.suspend_when_overdue)
    items = _fence(
        sa.select(step3.c.holder_id, step3.c.licence_id, step3.c.licence_number, step3.c.licence_type,
                  required.c.code.label("requirement"), required.c.position, due_on.label("due_on"))
        .select_from(step3).join(required, required.c.licence_type == step3.c.licence_type),
        "due_items", dialect_name,
    )
    return (
        sa.select(items.c.holder_id, items.c.licence_id, items.c.licence_number, items.c.licence_type,
                  items.c.requirement, items.c.due_on,
                  items.c.requirement.in_(suspending or [""]).label("suspend_when_overdue"), items.c.position)
        .where(items.c.due_on.is_not(None))
    )

"""The quarterly compliance report: corporate plan measure 3.A4, the percentage of licence holders
adhering to the policy at the quarter's end (target 100%), overall and by licence type; who does
not adhere and why; enforcement action in the quarter; and the trend over previous quarters.

Adherence is decided by the compliance rules (`licensing.compliance`), evaluated set-based as at
the quarter end by `licensing.reports.measure`. A quarter still running is measured as at today."""

from decimal import Decimal

import sqlalchemy as sa

from licensing.compliance.due import policy_path
from licensing.extensions import db
from licensing.models import (
    ActionKind,
    ActionOrigin,
    ActionStatus,
    EnforcementAction,
    LicenceType,
    ProposalStatus,
    SuspensionProposal,
)
from licensing.policy.requirements import edition_on
from licensing.reports import measure, periods
from licensing.reports.document import Chart, Drill, Report, Table
from licensing.text import govuk_date

TARGET = Decimal(100)
TREND_QUARTERS = 4
SCREEN_ROWS = 50
LISTING = "not_adhering"  # the table of licences not adhering: long, paged on screen


def _type_label(value):
    try:
        return LicenceType(value).label
    except ValueError:
        return value


def measured_on(quarter, today):
    """The day a quarter is measured: its last day once it has ended, else today. Measured at a
    future quarter end, every check due to lapse before then would already count as overdue."""
    return min(quarter.end, today)


def quarterly(quarter, trend_quarters=TREND_QUARTERS, list_limit=None, today=None):
    """The report for `quarter`; `list_limit` keeps the holder list short for the page. `today`
    (default: the real today) decides whether the quarter has ended."""
    today = today or periods.today()
    as_at = measured_on(quarter, today)
    running = as_at < quarter.end
    quarters = quarter.trend(trend_quarters)
    evaluation = measure.evaluate([measured_on(q, today) for q in quarters], as_at, names=True)
    figures = evaluation.measures
    now = figures[as_at]
    period = f"{quarter.label}: {govuk_date(quarter.start)} to {govuk_date(quarter.end)}"
    span = {"quarter": quarter.name}
    so_far = (f"The quarter has not ended: these figures are as at {govuk_date(as_at)}; the quarter ends on "
              f"{govuk_date(quarter.end)}.")

    # The CSV carries table titles but not notes: the title itself says the quarter is running.
    summary = Table("measure", f"Licence holders adhering to the policy as at {govuk_date(as_at)}; the quarter "
                    f"ends on {govuk_date(quarter.end)}" if running
                    else "Licence holders adhering to the policy at the quarter end",
                    ["As at", "Holders with a licence in force", "Adhering", "Not adhering", "% adhering",
                     "Target %"],
                    [[as_at, now.holders, now.holders_adhering,
                      Drill(now.holders - now.holders_adhering, {"figure": "quarterly.not_adhering", **span}),
                      now.percentage, TARGET]])

    by_type_rows, totals = [], [0, 0]
    for value in [t.value for t in LicenceType if t.value in now.by_type] + sorted(
            set(now.by_type) - {t.value for t in LicenceType}):
        total, ok = now.by_type[value]
        by_type_rows.append([_type_label(value), total, ok, total - ok, measure.percentage(ok, total)])
        totals = [totals[0] + total, totals[1] + ok]
    by_type = Table("by_type", "Licences in force by type", ["Licence type", "Licences in force", "Adhering",
                                                              "Not adhering", "% adhering"], by_type_rows,
                    ["TOTAL", totals[0], totals[1], totals[0] - totals[1], measure.percentage(totals[1], totals[0])],
                    ["A licence adheres when none of its requirements is overdue; the measure above counts each "
                     "holder once, adhering only if all their licences do."])

    trend_rows = []
    for q in quarters:
        day = measured_on(q, today)
        m = figures[day]
        trend_rows.append([q.name, day, m.holders, m.holders_adhering, m.percentage, TARGET])
    trend = Table("trend", "Trend over the previous quarters",
                  ["Quarter", "Quarter end", "Holders", "Adhering", "% adhering", "Target %"], trend_rows,
                  chart=Chart("trend", "Licence holders adhering to the policy (%)", [r[0] for r in trend_rows],
                              [r[4] or 0 for r in trend_rows], target=float(TARGET), unit="%"),
                  notes=[so_far] if running else [])

    edition = edition_on(as_at, policy_path())
    holders, labels, type_labels, seen = [], {}, {}, {}
    for _, _, licence_type, codes, ref, name, number in evaluation.overdue:
        key = id(codes)  # one list object is shared by every licence with the same reasons
        if key not in labels:
            labels[key] = "; ".join(edition.rules[c].label for c in codes)
            seen[key] = [codes, 0]
        seen[key][1] += 1
        if list_limit is None or len(holders) < list_limit:
            if licence_type not in type_labels:
                type_labels[licence_type] = _type_label(licence_type)
            holders.append((ref, name, number, type_labels[licence_type], labels[key]))
    reasons = {}
    for codes, n in seen.values():
        for code in codes:
            reasons[code] = reasons.get(code, 0) + n
    reason_rows = [[edition.rules[code].label, n] for code, n in sorted(reasons.items(),
                                                                         key=lambda kv: (-kv[1], kv[0]))]
    reasons_table = Table("reasons", "Why holders do not adhere: overdue requirements",
                          ["Requirement", "Licences with it overdue"], reason_rows,
                          ["TOTAL", sum(reasons.values())],
                          ["A licence with several overdue requirements counts under each."])
    not_adhering_licences = totals[0] - totals[1]
    listing = Table(LISTING, "Licences not adhering, with their reasons",
                    ["Holder", "Name", "Licence", "Licence type", "Overdue requirements"], holders,
                    numeric_from=99, more_rows=max(not_adhering_licences - len(holders), 0))

    tables = [summary, by_type, trend, reasons_table, _enforcement(quarter, as_at), listing]
    return Report("quarterly", "Quarterly compliance report", period, tables, f"quarterly-compliance-{quarter.name}",
                  ["Measure 3.A4: % of licence holders that demonstrate adherence to the requirements of the "
                   "Hackney Carriage and Private Hire Policy. Target 100% (zero tolerance)."]
                  + ([so_far] if running else []))


def _enforcement(quarter, end):
    start = quarter.start
    counts = dict(((kind, origin), n) for kind, origin, n in db.session.execute(
        sa.select(EnforcementAction.kind, EnforcementAction.origin, sa.func.count())
        .where(EnforcementAction.status != ActionStatus.CANCELLED,
               EnforcementAction.decision_date.between(start, end))
        .group_by(EnforcementAction.kind, EnforcementAction.origin)))
    rows = []
    for kind in (ActionKind.SUSPENSION, ActionKind.REVOCATION, ActionKind.REFUSAL, ActionKind.WARNING):
        officer, hearing = counts.get((kind, ActionOrigin.OFFICER), 0), counts.get((kind, ActionOrigin.HEARING), 0)
        rows.append([kind.label, officer, hearing, officer + hearing])
    suspended = db.session.scalar(
        sa.select(sa.func.count()).select_from(SuspensionProposal)
        .where(SuspensionProposal.status.in_([ProposalStatus.CONFIRMED, ProposalStatus.ENDED]),
               SuspensionProposal.confirmed_on.between(start, end)))
    rows.append(["Suspended until compliant", suspended, 0, suspended])
    total = ["TOTAL"] + [sum(r[i] for r in rows) for i in (1, 2, 3)]
    return Table("enforcement", "Enforcement action taken in the quarter",
                 ["Action", "By an officer", "At a hearing", "Total"], rows, total)

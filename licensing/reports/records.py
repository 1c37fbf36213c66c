"""The records behind a figure: every figure on a report links here, and the list has exactly as
many rows as the figure counts."""

import datetime as dt
import itertools

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import LicenceType
from licensing.reports import hearings, measure, periods, snapshot, statistics
from licensing.reports.periods import PeriodError, Quarter, date_range
from licensing.reports.quarterly import measured_on
from licensing.text import govuk_date
from licensing.web.formatting import requirement_label


class UnknownFigure(LookupError):
    pass


def _page_of(query, page, per_page):
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def figure_records(args, page, per_page):
    """(title, column headings, rows, total) for the figure named in `args`; each row is
    (holder id or None, cell, cell, ...)."""
    key = args.get("figure", "")
    try:
        if key in statistics.BY_KEY:
            figure = statistics.BY_KEY[key]
            start, end = date_range(args.get("from"), args.get("to"))
            rows, total = _page_of(figure.records(start, end, args.get("arg") or None), page, per_page)
            return f"{figure.section}: {figure.label}", list(figure.columns), rows, total
        if key == "hearing.listings":
            columns = ["Hearing", "Holder", "Case", "Attendance", "Decision"]
            chosen = {"body": args.get("body") or None, "maker": args.get("maker") or None}
            if args.get("hearing"):
                query = hearings.hearing_listings(hearing_id=int(args["hearing"]), **chosen)
            else:
                start, end = date_range(args.get("from"), args.get("to"))
                query = hearings.hearing_listings(start=start, end=end, **chosen)
            rows, total = _page_of(query, page, per_page)
            return "Cases listed at hearings", columns, rows, total
        if key == "agreement.proposals":
            start, end = date_range(args.get("from"), args.get("to"))
            rows, total = _page_of(hearings.agreement_listings(int(args.get("member", 0)), start, end), page,
                                   per_page)
            return "Panel proposals and final decisions", ["Hearing", "Holder", "Case", "Proposed", "Decided"], \
                rows, total
        if key == "quarterly.not_adhering":
            quarter = Quarter.parse(args.get("quarter"))
            # The same day the report measures: today while the quarter is still running.
            as_at = measured_on(quarter, periods.today())
            holders = {}
            for holder_id, ref, name, number, _, codes in measure.overdue_rows(as_at):
                entry = holders.setdefault(holder_id, [holder_id, ref, name, [], set()])
                entry[3].append(number)
                entry[4].update(codes)
            # Requirements as the policy names them, not their codes ("medical_group2").
            labels = {code: requirement_label(code) for h in holders.values() for code in h[4]}
            listed = [(h[0], h[2], h[1], ", ".join(h[3]), ", ".join(sorted(labels[c] for c in h[4])))
                      for h in holders.values()]
            rows = list(itertools.islice(listed, (page - 1) * per_page, page * per_page))
            title = (f"Holders not adhering at the end of {quarter.label}" if as_at == quarter.end else
                     f"Holders not adhering on {govuk_date(as_at)} ({quarter.label} has not ended)")
            return title, ["Name", "Holder", "Licences", "Overdue requirements"], rows, len(listed)
        if key == "snapshot":
            on_date = dt.date.fromisoformat(args.get("on", ""))
            types = [LicenceType(t) for t in args.get("types", "").split(",") if t]
            wheelchair = {"yes": True, "no": False}.get(args.get("wheelchair"))
            rows, total = _page_of(snapshot.records(on_date, types, wheelchair), page, per_page)
            return "Licences in force on the snapshot date", ["Issued", "Holder", "Licence", "Type", "Status now",
                                                               "Expires"], rows, total
    except (PeriodError, ValueError) as error:
        raise UnknownFigure(str(error)) from None
    raise UnknownFigure(key)

"""The quarterly page: the figures, trend and reasons in full, and the licences not adhering a
page at a time, read by key (the row's position in the report's order) so a page deep in the
list costs what the first one does when it comes from the store."""

import dataclasses
from dataclasses import dataclass

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import StoredReportRow
from licensing.reports.quarterly import LISTING, quarterly
from licensing.reports.store import as_report, current, is_closed

PER_PAGE = 50


@dataclass
class ListingPage:
    rows: list
    first: int  # 1-based number of the first row shown
    total: int
    previous_key: int | None  # pass as ?before= for the page before
    next_key: int | None  # pass as ?after= for the page after


def _key(value):
    try:
        key = int(value)
    except (TypeError, ValueError):
        return None
    return key if 0 <= key < 2**31 else None


def _stored_page(report_id, total, after, before, per_page):
    position, cells = StoredReportRow.position, StoredReportRow.cells
    query = sa.select(position, cells).where(StoredReportRow.report_id == report_id)
    if before is not None:
        found = db.session.execute(query.where(position < before).order_by(position.desc()).limit(per_page + 1)).all()
        more_before, found = len(found) > per_page, found[:per_page][::-1]
        more_after = True
    else:
        if after is not None:
            query = query.where(position > after)
        found = db.session.execute(query.order_by(position).limit(per_page + 1)).all()
        more_after, found = len(found) > per_page, found[:per_page]
        more_before = after is not None
    return _page([(p, c) for p, c in found], total, more_before, more_after)


def _live_page(rows, after, before, per_page):
    if before is not None:
        end = min(before, len(rows))
        start = max(end - per_page, 0)
    else:
        start = after + 1 if after is not None else 0
        end = start + per_page
    shown = list(enumerate(rows[start:end], start=start))
    return _page(shown, len(rows), start > 0, end < len(rows))


def _page(numbered, total, more_before, more_after):
    return ListingPage(
        rows=[list(row) for _, row in numbered], first=numbered[0][0] + 1 if numbered else 0, total=total,
        previous_key=numbered[0][0] if numbered and more_before else None,
        next_key=numbered[-1][0] if numbered and more_after else None)


def quarterly_page(quarter, today, after=None, before=None, per_page=PER_PAGE):
    """(report for the page, page of the listing, stored report or None). The report's listing
    table holds only the page's rows."""
    after, before = _key(after), _key(before)
    stored = current(quarter) if is_closed(quarter, today) else None
    if stored is not None:
        report = as_report(stored, list_limit=0)
        page = _stored_page(stored.id, stored.rows_stored, after, before, per_page)
    else:
        report = quarterly(quarter, today=today)
        page = _live_page(report.table(LISTING).rows, after, before, per_page)
    report.tables = [dataclasses.replace(t, rows=page.rows, more_rows=0) if t.key == LISTING else t
                     for t in report.tables]
    return report, page, stored

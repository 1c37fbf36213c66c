"""A report as data: titled tables of figures with optional charts, drawn the same way in every
format. The page, CSV, Excel and PDF (and so the command line) all take their cell text from
`cell_text`, so the same figure reads the same everywhere."""

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal

from licensing.text import govuk_date


class Pounds(Decimal):
    """A sum of money, shown as £4,200.00 in every format."""


@dataclass(frozen=True)
class Drill:
    """A figure that opens the list of records it counts: `params` for the records page."""

    value: object
    params: dict


@dataclass
class Chart:
    kind: str  # "bar" (one bar per label) or "trend" (bars against a target line)
    title: str
    labels: list
    values: list
    target: float | None = None
    unit: str = ""


@dataclass
class Table:
    key: str  # short name: the Excel sheet, the CSV section, the page anchor
    title: str
    columns: list
    rows: list = field(default_factory=list)
    total: list | None = None
    notes: list = field(default_factory=list)
    chart: Chart | None = None
    numeric_from: int = 1  # columns from this index on are figures (right-aligned)
    more_rows: int = 0  # rows left out of the page and PDF (all are in CSV and Excel)


@dataclass
class Report:
    kind: str  # quarterly | hearings | statistics | snapshot | agreement
    title: str
    period: str
    tables: list
    filename: str
    notes: list = field(default_factory=list)

    def table(self, key):
        return next(t for t in self.tables if t.key == key)


def plain(value):
    return value.value if isinstance(value, Drill) else value


def cell_text(value):
    """The one text form of a cell: 3 March 2016, 97.3, 12, '' for nothing."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return govuk_date(value)
    if isinstance(value, Pounds):
        return f"£{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    if isinstance(value, enum.Enum):
        return getattr(value, "label", value.value)
    return str(value)


def all_rows(table):
    """Header, rows and total row as text, the way every format lays the table out."""
    lines = [list(table.columns)]
    lines += [[cell_text(c) for c in row] for row in table.rows]
    if table.total:
        lines.append([cell_text(c) for c in table.total])
    return lines

"""Reporting periods: UK financial-year quarters (1 April to 31 March) and date ranges.

Quarter names read like the council's papers: `2016-17-Q2` is 1 July to 30 September 2016."""

import datetime as dt
import re
from dataclasses import dataclass

QUARTER_NAME = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


def today():
    """Today's date for the reports: one place, so a test can fix the day."""
    return dt.date.today()


class PeriodError(ValueError):
    """A period that cannot be read or makes no sense."""


@dataclass(frozen=True)
class Quarter:
    year: int  # the financial year starting on 1 April of this year
    number: int  # 1..4

    @classmethod
    def parse(cls, text):
        match = QUARTER_NAME.match((text or "").strip().upper())
        if not match:
            raise PeriodError("Enter the quarter like 2016-17-Q2")
        start, end_short, number = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if (start + 1) % 100 != end_short:
            raise PeriodError(f"{start}-{end_short:02d} is not a financial year")
        return cls(start, number)

    @classmethod
    def containing(cls, day):
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @property
    def name(self):
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.number}"

    @property
    def label(self):
        return f"{self.year}/{(self.year + 1) % 100:02d} quarter {self.number}"

    @property
    def start(self):
        month = 4 + 3 * (self.number - 1)
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self):
        return self.next().start - dt.timedelta(days=1)

    def next(self):
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self):
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def trend(self, count):
        """This quarter and the `count - 1` before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return list(reversed(quarters))

    def __str__(self):
        return self.name


def date_range(start, end):
    """Check a reporting range given as dates or ISO strings; returns (start, end) inclusive."""
    try:
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        end = end if isinstance(end, dt.date) else dt.date.fromisoformat(str(end))
    except ValueError:
        raise PeriodError("Enter dates as YYYY-MM-DD") from None
    if end < start:
        raise PeriodError("The end date must be on or after the start date")
    return start, end


def financial_year_start(day):
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)

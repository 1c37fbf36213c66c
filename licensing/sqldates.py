"""Calendar arithmetic as SQL expressions, with the same results as the Python functions in
licensing/policy/requirements.py (add_months, birthday, age_on) on SQLite and PostgreSQL.

- add_months keeps the day of the month, or the last day of a shorter month (31 January + 1
  month = 28 or 29 February), as PostgreSQL's `date + interval` does; SQLite's own month
  arithmetic rolls over instead, so there it is built from the first of the month.
- birthday: 29 February falls on 1 March in years without one; "younger than N on a day" is
  "the day is before the N-th birthday", which is what age_on(...) < N means.
"""

import sqlalchemy as sa


def const(value, type_=None):
    """A constant from policy data or the scan date, written into the statement itself so the
    planner folds it (e.g. `make_interval(0, 6)` once, not per row). Never for user input."""
    return sa.bindparam(None, value, type_=type_, literal_execute=True)


class SqlDates:
    def __init__(self, dialect_name):
        self.postgres = dialect_name == "postgresql"

    def date(self, value):
        return sa.cast(const(value, sa.Date), sa.Date) if self.postgres else const(value, sa.Date)

    def add_days(self, day, days):
        if self.postgres:
            return day + const(int(days), sa.Integer)
        return sa.func.date(day, f"{int(days):+d} days")

    def add_months(self, day, months):
        months = int(months)
        if self.postgres:
            return sa.cast(day + sa.func.make_interval(const(0, sa.Integer), const(months, sa.Integer)), sa.Date)
        same_day = sa.func.date(day, "start of month", f"{months:+d} months",
                                sa.func.printf("%+d days", sa.cast(sa.func.strftime("%d", day), sa.Integer) - 1))
        month_end = sa.func.date(day, "start of month", f"{months + 1:+d} months", "-1 day")
        return sa.func.min(same_day, month_end)

    def birthday(self, date_of_birth, age):
        age = int(age)
        if self.postgres:
            plain = sa.cast(date_of_birth + sa.func.make_interval(const(age, sa.Integer)), sa.Date)
            one = const(1, sa.Integer)
            leap = sa.cast(date_of_birth - one + sa.func.make_interval(const(age, sa.Integer)), sa.Date) + one
            feb29 = sa.and_(sa.extract("day", date_of_birth) == const(29, sa.Integer),
                            sa.extract("month", date_of_birth) == const(2, sa.Integer))
            return sa.case((feb29, leap), else_=plain)
        return sa.func.date(date_of_birth, f"{age:+d} years")  # SQLite rolls 29 February on to 1 March

    def younger_than(self, date_of_birth, day, age):
        """age_on(date_of_birth, day) < age, i.e. `day` is before the birthday of that age."""
        return day < self.birthday(date_of_birth, age)

    @staticmethod
    def later(a, b):
        """The later of two dates that are both present."""
        return sa.case((a >= b, a), else_=b)

    @staticmethod
    def earlier(a, b):
        return sa.case((a <= b, a), else_=b)

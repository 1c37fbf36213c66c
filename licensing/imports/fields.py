"""Parsing and checking one cell of an import row. Each parser raises RowProblem with a
message that names the column but never repeats the value (it may be personal data)."""

import datetime as dt
import re


class RowProblem(ValueError):
    pass


def text(row, column, *, required=False, max_length=None, upper=False):
    value = (row.get(column) or "").strip()
    if not value:
        if required:
            raise RowProblem(f"{column} is required")
        return None
    if max_length and len(value) > max_length:
        raise RowProblem(f"{column} must be {max_length} characters or fewer")
    return value.upper() if upper else value


def iso_date(row, column, *, required=False, not_future=False, today=None):
    value = text(row, column, required=required)
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise RowProblem(f"{column} must be a date in the form YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise RowProblem(f"{column} is not a real date") from None
    if date.year < 1900:
        raise RowProblem(f"{column} must be after 1900")
    if not_future and date > (today or dt.date.today()):
        raise RowProblem(f"{column} must not be in the future")
    return date


def choice(row, column, enum_cls, *, required=True):
    value = text(row, column, required=required)
    if value is None:
        return None
    try:
        return enum_cls(value.lower())
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise RowProblem(f"{column} must be one of: {allowed}") from None


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0", ""}


def boolean(row, column):
    value = (row.get(column) or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowProblem(f"{column} must be yes or no")


def integer(row, column, *, required=True, minimum=None, maximum=None):
    value = text(row, column, required=required)
    if value is None:
        return None
    if not re.fullmatch(r"\d+", value):
        raise RowProblem(f"{column} must be a whole number")
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise RowProblem(f"{column} must be between {minimum} and {maximum}")
    return number


def email(row, column):
    value = text(row, column, max_length=254)
    if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise RowProblem(f"{column} is not a valid e-mail address")
    return value


def phone(row, column):
    value = text(row, column, max_length=40)
    if value is not None and not re.fullmatch(r"\+?[\d ()-]{6,}", value):
        raise RowProblem(f"{column} is not a valid telephone number")
    return value


_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def postcode(row, column):
    value = text(row, column, max_length=10, upper=True)
    if value is not None and not _POSTCODE.match(value):
        raise RowProblem(f"{column} is not a valid UK postcode")
    return value


def years_between(born, on):
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

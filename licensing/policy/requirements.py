"""Which checks, training and equipment each licence type requires, as versioned policy data.

The editions live in `data/requirements.json`; the edition in force on a date is the one with
the latest `effective_from` on or before it. Changing policy means adding an edition, not code.

Each edition has:
- `requirements`: check kinds needed before grant or renewal (`required_check_kinds`);
- `ongoing`: requirement codes a licence in force must keep up, per licence type;
- `rules`: per requirement code, its label, deadline rule and refresher interval.
"""

import datetime as dt
import pathlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from licensing.policy import in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "requirements.json"

DEADLINE_RULES = ("fixed_date", "next_renewal", "within_days_of_grant")


class PolicyError(ValueError):
    """The policy data is not well formed."""


@dataclass(frozen=True)
class Rule:
    code: str
    label: str
    source: str  # check | training | check_or_training | licence
    deadline: dict = field(default_factory=dict)
    refresh_months: int | None = None
    age_bands: tuple = ()
    suspend_when_overdue: bool = False

    def initial_due(self, issued_on, expires_on):
        """When the requirement first falls due for a licence with no evidence yet."""
        kind = self.deadline.get("rule", "within_days_of_grant")
        if kind == "fixed_date":
            fixed = dt.date.fromisoformat(self.deadline["date"])
            return max(fixed, issued_on) if issued_on else fixed
        if kind == "next_renewal":
            return expires_on
        if issued_on is None:
            return None
        return issued_on + dt.timedelta(days=int(self.deadline.get("days", 0)))

    def next_due(self, completed_on, expires_on, date_of_birth=None):
        """When evidence completed on `completed_on` needs renewing (None: never)."""
        if expires_on is not None:
            return expires_on
        if self.age_bands and date_of_birth is not None:
            return _age_band_due(self.age_bands, completed_on, date_of_birth)
        if self.refresh_months:
            return add_months(completed_on, self.refresh_months)
        if self.age_bands:  # no date of birth: fall back to the most frequent band
            return add_months(completed_on, 12 * min(b.get("every_years", 99) for b in self.age_bands))
        return None

    # The same two rules as SQL expressions (licensing.sqldates), for the set-based scan.
    # tests/test_compliance_sql.py proves they agree with the Python above on both databases.

    def initial_due_sql(self, dates, issued_on, expires_on):
        kind = self.deadline.get("rule", "within_days_of_grant")
        if kind == "fixed_date":
            fixed = dates.date(dt.date.fromisoformat(self.deadline["date"]))
            return sa.case((sa.and_(issued_on.is_not(None), issued_on > fixed), issued_on), else_=fixed)
        if kind == "next_renewal":
            return expires_on
        return dates.add_days(issued_on, int(self.deadline.get("days", 0)))

    def next_due_sql(self, dates, completed_on, expires_on, date_of_birth):
        if self.refresh_months:
            without_expiry = dates.add_months(completed_on, self.refresh_months)
        elif self.age_bands:
            without_expiry = dates.add_months(completed_on, 12 * min(b.get("every_years", 99) for b in self.age_bands))
        else:
            without_expiry = sa.null()
        if self.age_bands:
            without_expiry = sa.case(
                (date_of_birth.is_not(None), _age_band_due_sql(self.age_bands, dates, completed_on, date_of_birth)),
                else_=without_expiry,
            )
        return sa.case((expires_on.is_not(None), expires_on), else_=without_expiry)


@dataclass(frozen=True)
class RequirementsEdition:
    edition: str
    title: str
    effective_from: dt.date
    requirements: dict  # licence type value -> tuple of check kind values
    ongoing: dict = field(default_factory=dict)  # licence type value -> tuple of requirement codes
    rules: dict = field(default_factory=dict)  # requirement code -> Rule


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def birthday(date_of_birth, age):
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:  # 29 February
        return dt.date(date_of_birth.year + age, 3, 1)


def age_on(date_of_birth, day):
    years = day.year - date_of_birth.year
    return years - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _age_band_due(bands, completed_on, date_of_birth):
    age = age_on(date_of_birth, completed_on)
    for band in bands:
        if "below_age" in band and age >= band["below_age"]:
            continue
        if "next_at_age" in band:
            return birthday(date_of_birth, band["next_at_age"])
        due = add_months(completed_on, 12 * band["every_years"])
        if "not_after_age" in band:
            due = min(due, birthday(date_of_birth, band["not_after_age"]))
        return due
    return None


def _age_band_due_sql(bands, dates, completed_on, date_of_birth):
    whens = []
    for band in bands:
        applies = dates.younger_than(date_of_birth, completed_on, band["below_age"]) if "below_age" in band \
            else sa.true()
        if "next_at_age" in band:
            due = dates.birthday(date_of_birth, band["next_at_age"])
        else:
            due = dates.add_months(completed_on, 12 * band["every_years"])
            if "not_after_age" in band:
                due = dates.earlier(due, dates.birthday(date_of_birth, band["not_after_age"]))
        whens.append((applies, due))
    return sa.case(*whens, else_=sa.null())


def _rule(code, raw):
    deadline = raw.get("deadline", {})
    if deadline and deadline.get("rule") not in DEADLINE_RULES:
        raise PolicyError(f"{code}: unknown deadline rule {deadline.get('rule')!r}")
    return Rule(
        code=code,
        label=raw.get("label", code),
        source=raw.get("source", "check"),
        deadline=deadline,
        refresh_months=raw.get("refresh_months"),
        age_bands=tuple(raw.get("age_bands", ())),
        suspend_when_overdue=bool(raw.get("suspend_when_overdue", False)),
    )


def _edition(e):
    rules = {code: _rule(code, r) for code, r in e.get("rules", {}).items()}
    ongoing = {k: tuple(v) for k, v in e.get("ongoing", {}).items()}
    for codes in ongoing.values():
        missing = set(codes) - set(rules)
        if missing:
            raise PolicyError(f"edition {e['edition']}: no rule for {sorted(missing)}")
    return RequirementsEdition(
        edition=e["edition"],
        title=e["title"],
        effective_from=dt.date.fromisoformat(e["effective_from"]),
        requirements={k: tuple(v) for k, v in e["requirements"].items()},
        ongoing=ongoing,
        rules=rules,
    )


def editions(path=DATA_FILE):
    return load_editions(path, _edition)


def edition_on(on_date, path=DATA_FILE):
    """The edition in force on `on_date` (the earliest edition for dates before any)."""
    return in_force_on(editions(path), on_date)


def required_check_kinds(licence_type, on_date, path=DATA_FILE):
    """Check kind values (strings) required for `licence_type` on `on_date`."""
    return edition_on(on_date, path).requirements.get(str(licence_type), ())


def ongoing_rules(licence_type, on_date, path=DATA_FILE):
    """The Rules a licence of `licence_type` must keep up on `on_date`."""
    edition = edition_on(on_date, path)
    return tuple(edition.rules[code] for code in edition.ongoing.get(str(licence_type), ()))

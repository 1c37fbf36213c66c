"""The conviction-policy engine: which past offences fall inside the guideline periods.

Pure: give it offences, a date and a guidance edition; it reads nothing else.

Rules (each edition is a data file, see data/conviction_guidance.json):
- a category is either "never" (no period ends) or has a period of `years`;
- the period is counted from the conviction date (`counted_from: conviction`) or from the end
  of the sentence (`counted_from: sentence_end`; where no sentence end is recorded, e.g. only a
  fine, from the conviction date, and never earlier than the conviction date);
- cautions are treated exactly like convictions (the caution date is the conviction date);
- several offences: where a holder has more than one offence in a category, the period of every
  offence in that category is extended by `repeat_extension_years` for each other offence in it;
- an offence is inside its period up to and including the day before the period ends: on the
  end date itself the period is complete.
"""

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from licensing.models.offences import OFFENCE_LABELS, OffenceCategory
from licensing.text import govuk_date

COUNTED_FROM = ("conviction", "sentence_end")
NEVER_SEVERITY = 1000


class GuidanceError(ValueError):
    """A guidance edition file that cannot be used."""


@dataclass(frozen=True)
class CategoryRule:
    never: bool = False
    years: int | None = None
    counted_from: str = "sentence_end"


@dataclass(frozen=True)
class GuidanceEdition:
    edition: str
    title: str
    effective_from: dt.date
    repeat_extension_years: int
    categories: dict  # category value -> CategoryRule


@dataclass(frozen=True)
class Offence:
    category: str
    disposal: str
    conviction_date: dt.date
    sentence_end_date: dt.date | None = None
    offence: str = ""


@dataclass(frozen=True)
class Finding:
    offence: Offence
    never: bool
    inside: bool
    period_years: int | None
    counted_from: str | None
    period_starts: dt.date | None
    until: dt.date | None  # the day the period ends; None for "never"

    def sentence(self):
        label = OFFENCE_LABELS[str(self.offence.category)]
        what = "caution" if str(self.offence.disposal) == "caution" else "conviction"
        dated = f"{label} ({what} of {govuk_date(self.offence.conviction_date)})"
        if self.never:
            return f"{dated}: the guidance says a licence should not be held at any time"
        start = "end of sentence" if self.counted_from == "sentence_end" else "conviction"
        if self.inside:
            return f"{dated}: inside the {self.period_years}-year period from {start}, until {govuk_date(self.until)}"
        return f"{dated}: the {self.period_years}-year period from {start} ended on {govuk_date(self.until)}"


@dataclass(frozen=True)
class Assessment:
    edition: str
    as_at: dt.date
    findings: tuple = field(default_factory=tuple)

    @property
    def at_risk(self):
        return any(f.inside for f in self.findings)

    @property
    def severity(self):
        """Ranking key: "never" offences first, then the years left inside a period."""
        score = 0
        for f in self.findings:
            if f.never:
                score += NEVER_SEVERITY
            elif f.inside:
                score += max((f.until - self.as_at).days // 365, 0) + 1
        return score

    @property
    def reason(self):
        inside = [f for f in self.findings if f.inside]
        when = govuk_date(self.as_at)
        if not inside:
            return (f"As at {when}, no conviction or caution falls inside the guideline periods "
                    f"of guidance edition {self.edition}.")
        parts = "; ".join(f.sentence() for f in inside)
        count = f"{len(inside)} offence{'s' if len(inside) != 1 else ''}"
        return (f"As at {when}, {count} fall{'s' if len(inside) == 1 else ''} inside the guideline "
                f"periods of guidance edition {self.edition}: {parts}.")

    def to_json(self):
        return [
            {
                "category": str(f.offence.category), "disposal": str(f.offence.disposal),
                "offence": f.offence.offence, "conviction_date": f.offence.conviction_date.isoformat(),
                "never": f.never, "inside": f.inside, "period_years": f.period_years,
                "until": f.until.isoformat() if f.until else None,
            }
            for f in self.findings
        ]


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a non-leap year
        return day.replace(year=day.year + years, day=28)


def assess(offences, as_at, edition):
    """Assess `offences` (objects with category, disposal, conviction_date, sentence_end_date,
    offence) against `edition` on `as_at`. Offences after `as_at` are ignored."""
    offences = [_as_offence(o) for o in offences if o.conviction_date <= as_at]
    per_category = Counter(o.category for o in offences)
    findings = []
    for o in sorted(offences, key=lambda o: (o.conviction_date, o.category)):
        rule = edition.categories[o.category]
        if rule.never:
            findings.append(Finding(o, True, True, None, None, None, None))
            continue
        start = o.conviction_date
        if rule.counted_from == "sentence_end" and o.sentence_end_date:
            start = max(o.sentence_end_date, o.conviction_date)
        years = rule.years + edition.repeat_extension_years * (per_category[o.category] - 1)
        until = add_years(start, years)
        findings.append(Finding(o, False, as_at < until, years, rule.counted_from, start, until))
    return Assessment(edition.edition, as_at, tuple(findings))


def _as_offence(o):
    return Offence(
        category=str(getattr(o.category, "value", o.category)),
        disposal=str(getattr(o.disposal, "value", o.disposal)),
        conviction_date=o.conviction_date,
        sentence_end_date=o.sentence_end_date,
        offence=getattr(o, "offence", "") or "",
    )


def parse_edition(raw):
    """A GuidanceEdition from the JSON structure of a data file; GuidanceError if unusable."""
    try:
        categories = {}
        for name, rule in raw["categories"].items():
            if name not in {c.value for c in OffenceCategory}:
                raise GuidanceError(f"Unknown offence category “{name}”")
            never = bool(rule.get("never", False))
            years = None if never else int(rule["years"])
            counted_from = rule.get("counted_from", "sentence_end")
            if counted_from not in COUNTED_FROM:
                raise GuidanceError(f"{name}: counted_from must be one of {', '.join(COUNTED_FROM)}")
            if years is not None and years < 0:
                raise GuidanceError(f"{name}: years cannot be negative")
            categories[name] = CategoryRule(never, years, counted_from)
        missing = {c.value for c in OffenceCategory} - set(categories)
        if missing:
            raise GuidanceError(f"The edition has no rule for: {', '.join(sorted(missing))}")
        return GuidanceEdition(
            edition=str(raw["edition"]).strip(),
            title=str(raw["title"]).strip(),
            effective_from=dt.date.fromisoformat(raw["effective_from"]),
            repeat_extension_years=int(raw.get("repeat_extension_years", 0)),
            categories=categories,
        )
    except GuidanceError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise GuidanceError(f"The guidance file is not a valid edition ({type(error).__name__}: {error})") from None


def parse_edition_text(text):
    try:
        raw = json.loads(text)
    except ValueError:
        raise GuidanceError("The guidance file is not valid JSON") from None
    if not isinstance(raw, dict):
        raise GuidanceError("The guidance file must hold one edition (a JSON object)")
    return parse_edition(raw)

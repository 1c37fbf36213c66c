"""The conviction-policy engine: which past offences fall inside the guideline periods.

Pure: give it offences, a date, a guidance edition and the licence types; it reads nothing else.

Rules (each edition is a data file, see data/conviction_guidance.json):
- a category is either "never" (no period ends) or has a period of `years`, counted from the
  LATEST of the dates the category names (`counted_from`): conviction, end of sentence, end of
  driving disqualification. A date not recorded (e.g. no sentence end for a fine) is left out;
  the conviction date is always there, so the period never starts before it;
- cautions, youth cautions and fixed penalties are dated by `conviction_date` and count alike;
- a category with `points_threshold` (minor traffic) counts only while the penalty points of
  its offences still inside their periods add up to the threshold or more;
- several offences: the guidance gives no formula, so the engine says so for the officer's
  judgement; a council may adopt a LOCAL rule (`local_rules.repeat_extension_years`) that
  extends every period in a category by some years for each other offence in it;
- `excluded_by_licence_type`: categories not assessed for a licence type (operators: motoring).
  A holder is assessed on a category if any of the licence types in question includes it;
- protected (filtered) convictions and cautions are never assessed and never mentioned;
- an offence is inside its period up to and including the day before the period ends.
"""

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from licensing.models.offences import OFFENCE_LABELS, OffenceCategory
from licensing.policy.filtering import bundled_filtering, is_protected
from licensing.text import govuk_date

COUNTED_FROM = ("conviction", "sentence_end", "disqualification_end")
DATE_NAMES = {"conviction": "conviction", "sentence_end": "end of sentence",
              "disqualification_end": "end of disqualification"}
NEVER_SEVERITY = 1000
LICENCE_TYPE_NAMES = {
    "hackney_carriage_driver": "hackney carriage driver", "private_hire_driver": "private hire driver",
    "dual_driver": "dual driver", "hackney_carriage_vehicle": "hackney carriage vehicle",
    "private_hire_vehicle": "private hire vehicle", "private_hire_operator": "private hire operator",
}


class GuidanceError(ValueError):
    """A guidance edition file that cannot be used."""


@dataclass(frozen=True)
class CategoryRule:
    never: bool = False
    years: int | None = None
    counted_from: tuple = ("conviction", "sentence_end")
    points_threshold: int | None = None


@dataclass(frozen=True)
class GuidanceEdition:
    edition: str
    title: str
    effective_from: dt.date
    repeat_extension_years: int  # a LOCAL rule; 0 where the council has adopted none
    categories: dict  # category value -> CategoryRule
    excluded_by_licence_type: dict = field(default_factory=dict)  # licence type value -> set of categories
    source: str = ""

    def excluded_for(self, licence_types):
        """Categories not assessed when the holder's licences in question are `licence_types`."""
        types = [str(getattr(t, "value", t)) for t in licence_types or ()]
        if not types:
            return frozenset()
        return frozenset.intersection(*(frozenset(self.excluded_by_licence_type.get(t, ())) for t in types))


@dataclass(frozen=True)
class Offence:
    category: str
    disposal: str
    conviction_date: dt.date
    sentence_end_date: dt.date | None = None
    offence: str = ""
    disqualification_end: dt.date | None = None
    penalty_points: int | None = None
    endorsement_code: str | None = None
    sentence_type: str | None = None
    youth: bool = False
    listed_offence: bool = False
    protected_override: bool | None = None

    @property
    def dated(self):
        what = {"caution": "caution", "youth_caution": "youth caution", "fixed_penalty": "fixed penalty"}.get(
            self.disposal, "conviction")
        extra = [x for x in (self.endorsement_code, f"{self.penalty_points} points" if self.penalty_points else None)
                 if x]
        detail = f", {', '.join(extra)}" if extra else ""
        return f"{OFFENCE_LABELS[self.category]} ({what} of {govuk_date(self.conviction_date)}{detail})"


@dataclass(frozen=True)
class Finding:
    offence: Offence
    never: bool
    inside: bool
    period_years: int | None
    counted_from: str | None  # the date the period runs from: conviction, sentence_end, disqualification_end
    period_starts: dt.date | None
    until: dt.date | None  # the day the period (or the points total) ends; None for "never"
    explanation: str = ""
    points_total: int | None = None

    def sentence(self):
        dated = self.offence.dated
        if self.never:
            return f"{dated}: the guidance says a licence should not be held at any time"
        start = DATE_NAMES[self.counted_from]
        if self.inside:
            return f"{dated}: inside the {self.period_years}-year period from {start}, until {govuk_date(self.until)}"
        return f"{dated}: the {self.period_years}-year period from {start} ended on {govuk_date(self.until)}"


@dataclass(frozen=True)
class Assessment:
    edition: str
    as_at: dt.date
    findings: tuple = field(default_factory=tuple)
    notes: tuple = field(default_factory=tuple)  # lines about the whole assessment

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

    @property
    def explanation(self):
        """The assessment line by line: the edition and scope, then each offence."""
        return [*self.notes, *(f.explanation for f in self.findings)]

    def to_json(self):
        return [
            {
                "category": str(f.offence.category), "disposal": str(f.offence.disposal),
                "offence": f.offence.offence, "conviction_date": f.offence.conviction_date.isoformat(),
                "never": f.never, "inside": f.inside, "period_years": f.period_years,
                "counted_from": f.counted_from,
                "period_starts": f.period_starts.isoformat() if f.period_starts else None,
                "until": f.until.isoformat() if f.until else None,
                "points_total": f.points_total, "explanation": f.explanation,
            }
            for f in self.findings
        ]


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a non-leap year
        return day.replace(year=day.year + years, day=28)


def _start(offence, rule):
    """(date, which) the period runs from: the latest of the recorded dates the rule names."""
    dates = {"conviction": offence.conviction_date, "sentence_end": offence.sentence_end_date,
             "disqualification_end": offence.disqualification_end}
    candidates = [(dates[name], name) for name in rule.counted_from if dates[name]]
    candidates.append((offence.conviction_date, "conviction"))
    return max(candidates, key=lambda c: (c[0], c[1] != "conviction"))


def _basis(offence, rule):
    named = [f"{DATE_NAMES[n]} ({govuk_date(d)})" if d else f"{DATE_NAMES[n]} (none recorded)"
             for n, d in (("conviction", offence.conviction_date), ("sentence_end", offence.sentence_end_date),
                          ("disqualification_end", offence.disqualification_end)) if n in rule.counted_from]
    if len(named) == 1:
        return f"from {named[0]}"
    return f"from the later of {', '.join(named[:-1])} and {named[-1]}"


def assess(offences, as_at, edition, licence_types=(), filtering=None):
    """Assess `offences` (objects with the Conviction columns) against `edition` on `as_at` for a
    holder whose licences in question are `licence_types` (none given: every category).
    Offences after `as_at` and protected ones are left out."""
    filtering = filtering or bundled_filtering()
    recorded = [_as_offence(o) for o in offences]
    convictions = sum(1 for o in recorded if o.disposal == "conviction")
    current = [o for o in recorded if o.conviction_date <= as_at and not is_protected(o, as_at, convictions, filtering)]
    excluded = edition.excluded_for(licence_types)
    notes = [_scope_line(edition, as_at, licence_types)]
    if edition.repeat_extension_years:
        notes.append(f"Local rule of the council, not the guidance: {edition.repeat_extension_years} more years "
                     "on every period in a category for each other offence in it.")
    per_category = Counter(o.category for o in current if o.category not in excluded)
    findings = []
    for o in sorted(current, key=lambda o: (o.conviction_date, o.category)):
        if o.category in excluded:
            names = ", ".join(LICENCE_TYPE_NAMES.get(str(getattr(t, "value", t)), str(t)) for t in licence_types)
            notes.append(f"{o.dated}: not assessed, as the guidance leaves this category out for {names} licences.")
            continue
        findings.append(_finding(o, edition, per_category[o.category], as_at))
    findings = _apply_points(findings, edition, as_at)
    for category, count in sorted(per_category.items()):
        if count > 1 and not edition.repeat_extension_years:
            notes.append(f"{count} offences in “{OFFENCE_LABELS[category]}”: the guidance expects stricter "
                         "consequences for several offences but gives no formula; this is for the officer's judgement.")
    return Assessment(edition.edition, as_at, tuple(findings), tuple(notes))


def _scope_line(edition, as_at, licence_types):
    scope = ", ".join(LICENCE_TYPE_NAMES.get(str(getattr(t, "value", t)), str(t)) for t in licence_types or ())
    return (f"Guidance edition {edition.edition} ({edition.title}), as at {govuk_date(as_at)}"
            + (f", for {scope} licences." if scope else "."))


def _finding(o, edition, in_category, as_at):
    rule = edition.categories[o.category]
    if rule.never:
        return Finding(o, True, True, None, None, None, None,
                       f"{o.dated}: the guidance says a licence should not be held at any time.")
    start, which = _start(o, rule)
    years = rule.years + edition.repeat_extension_years * (in_category - 1)
    until = add_years(start, years)
    inside = as_at < until
    local = f" ({rule.years} years, plus {years - rule.years} by the local rule)" if years != rule.years else ""
    line = (f"{o.dated}: {years}-year period{local} {_basis(o, rule)}, so from {govuk_date(start)} "
            f"until {govuk_date(until)}: {'inside the period' if inside else 'the period is complete'}.")
    return Finding(o, False, inside, years, which, start, until, line)


def _apply_points(findings, edition, as_at):
    """Categories with a points threshold count only while the points inside their periods reach it."""
    result = []
    for f in findings:
        rule = edition.categories[f.offence.category]
        if f.never or rule.points_threshold is None:
            result.append(f)
            continue
        live = [g for g in findings if g.offence.category == f.offence.category and g.inside]
        total = sum(g.offence.penalty_points or 0 for g in live)
        if not f.inside:
            result.append(f)
            continue
        if total < rule.points_threshold:
            line = (f"{f.explanation[:-1]}; {total} points from these offences inside their periods on "
                    f"{govuk_date(as_at)}, below the threshold of {rule.points_threshold}: not counted.")
            result.append(Finding(f.offence, False, False, f.period_years, f.counted_from, f.period_starts,
                                  f.until, line, total))
            continue
        # The total falls below the threshold when enough of the live offences' periods end.
        running, drops = total, None
        for g in sorted(live, key=lambda g: g.until):
            running -= g.offence.penalty_points or 0
            if running < rule.points_threshold:
                drops = g.until
                break
        until = min(f.until, drops)
        line = (f"{f.explanation[:-1]}; {total} points from these offences inside their periods on "
                f"{govuk_date(as_at)}, at or above the threshold of {rule.points_threshold}: counts until "
                f"{govuk_date(until)}.")
        result.append(Finding(f.offence, False, True, f.period_years, f.counted_from, f.period_starts,
                              until, line, total))
    return result


def _as_offence(o):
    def value(name, default=None):
        found = getattr(o, name, default)
        return getattr(found, "value", found)

    return Offence(
        category=str(value("category")), disposal=str(value("disposal")),
        conviction_date=o.conviction_date, sentence_end_date=getattr(o, "sentence_end_date", None),
        offence=getattr(o, "offence", "") or "", disqualification_end=getattr(o, "disqualification_end", None),
        penalty_points=getattr(o, "penalty_points", None), endorsement_code=getattr(o, "endorsement_code", None),
        sentence_type=value("sentence_type"), youth=bool(getattr(o, "youth", False)),
        listed_offence=bool(getattr(o, "listed_offence", False)),
        protected_override=getattr(o, "protected_override", None),
    )


def _rule(name, rule):
    never = bool(rule.get("never", False))
    years = None if never else int(rule["years"])
    counted = rule.get("counted_from", ["conviction", "sentence_end"])
    if isinstance(counted, str):  # editions stored before the later-of rule named a single date
        counted = ["conviction", counted] if counted != "conviction" else ["conviction"]
    if not counted or any(c not in COUNTED_FROM for c in counted):
        raise GuidanceError(f"{name}: counted_from must list dates among {', '.join(COUNTED_FROM)}")
    if years is not None and years < 0:
        raise GuidanceError(f"{name}: years cannot be negative")
    threshold = rule.get("points_threshold")
    if threshold is not None and (int(threshold) < 1 or never):
        raise GuidanceError(f"{name}: points_threshold must be a positive number of points on a period rule")
    return CategoryRule(never, years, tuple(counted), None if threshold is None else int(threshold))


def parse_edition(raw):
    """A GuidanceEdition from the JSON structure of a data file; GuidanceError if unusable."""
    known = {c.value for c in OffenceCategory}
    try:
        categories = {}
        for name, rule in raw["categories"].items():
            if name not in known:
                raise GuidanceError(f"Unknown offence category “{name}”")
            categories[name] = _rule(name, rule)
        missing = known - set(categories)
        if missing:
            raise GuidanceError(f"The edition has no rule for: {', '.join(sorted(missing))}")
        excluded = {str(t): frozenset(cats) for t, cats in (raw.get("excluded_by_licence_type") or {}).items()}
        unknown = {c for cats in excluded.values() for c in cats} - known
        if unknown or set(excluded) - set(LICENCE_TYPE_NAMES):
            raise GuidanceError("excluded_by_licence_type names an unknown licence type or category")
        local = raw.get("local_rules") or {}
        # Editions stored before local rules were set apart kept the repeat rule at the top level.
        repeat = int(local.get("repeat_extension_years", raw.get("repeat_extension_years", 0)))
        return GuidanceEdition(
            edition=str(raw["edition"]).strip(), title=str(raw["title"]).strip(),
            effective_from=dt.date.fromisoformat(raw["effective_from"]), repeat_extension_years=repeat,
            categories=categories, excluded_by_licence_type=excluded, source=str(raw.get("source", "")),
        )
    except GuidanceError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise GuidanceError(f"The guidance file is not a valid edition ({type(error).__name__}: {error})") from None


def edition_rules(edition):
    """The stored (JSON) form of a parsed edition's rules."""
    return {
        "source": edition.source,
        "local_rules": {"repeat_extension_years": edition.repeat_extension_years},
        "excluded_by_licence_type": {t: sorted(c) for t, c in edition.excluded_by_licence_type.items()},
        "categories": {k: {"never": r.never, "years": r.years, "counted_from": list(r.counted_from),
                           "points_threshold": r.points_threshold} for k, r in edition.categories.items()},
    }


def parse_edition_text(text):
    try:
        raw = json.loads(text)
    except ValueError:
        raise GuidanceError("The guidance file is not valid JSON") from None
    if not isinstance(raw, dict):
        raise GuidanceError("The guidance file must hold one edition (a JSON object)")
    return parse_edition(raw)

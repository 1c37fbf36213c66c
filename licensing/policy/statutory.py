"""The statutory rule table as data (`data/statutory.json`): for each licence type and decision,
the power cited, whether immediate effect is available, the appeal court and period, what must be
handed back, whether s.77(2) lets the holder carry on while an appeal is pending, and the period
for giving notice of grounds. Letters, the effect engine, the return tracker and the appeals
register read it through `rule_for`."""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from licensing.policy import in_force_on

DATA_FILE = Path(__file__).parent / "data" / "statutory.json"

DECISIONS = ("grant", "refuse_new", "refuse_renewal", "conditions", "suspension", "revocation", "warning",
             "no_action", "vehicle_defect_suspension")
COURTS = {"magistrates": "the magistrates' court", "crown": "the Crown Court"}
RETURN_WORDS = {"badge": "your driver's badge", "plate": "the vehicle licence plates",
                "licence": "your operator licence document"}


class NoRule(LookupError):
    """The table has no row for this licence type and decision: the decision is not available."""


@dataclass(frozen=True)
class StatutoryRule:
    licence_type: str
    decision: str
    power: str | None  # the words cited in the letter, acts named in full; None: no statutory power
    immediate_power: str | None
    immediate_available: bool  # s.61(2B) for drivers; s.68 for vehicles
    immediate_only: bool
    appeal_court: str | None  # "magistrates" or "crown"; None: no appeal lies
    appeal_days: int | None
    appeal_against: str | None  # "decision" or "conditions"
    returns: str | None  # "badge", "plate", "licence" (the document) or None
    return_days: int | None
    stay_pending_appeal: bool  # s.77(2): carry on until the appeal is disposed of
    notice_within_days: int | None  # notice of grounds (s.60(2)/61(2)/62(2))
    deemed_revocation_months: int | None
    reminder_days_before: int | None
    source: str
    edition: str

    @property
    def appealable(self):
        return self.appeal_court is not None

    @property
    def court_name(self):
        return COURTS.get(self.appeal_court) if self.appeal_court else None

    @property
    def return_words(self):
        return RETURN_WORDS.get(self.returns) if self.returns else None

    @property
    def tracked_return(self):
        """A physical item the return tracker follows (a badge or plates, not a document)."""
        return self.returns if self.returns in ("badge", "plate") else None

    def cited_power(self, immediate=False):
        return self.immediate_power if immediate and self.immediate_power else self.power

    def appeal_deadline(self, served_on):
        """The last day to appeal, counted from the day notice was served (None: no appeal)."""
        if not self.appealable or served_on is None:
            return None
        return served_on + dt.timedelta(days=self.appeal_days)


@dataclass(frozen=True)
class Edition:
    edition: str
    effective_from: dt.date
    rules: dict  # (licence_type, decision) -> StatutoryRule


def _expand(text, acts):
    for key, name in acts.items():
        text = text.replace(f"the {key} Act", name)
    return text


def _rule(edition, acts, licence_type, raw):
    words = lambda key: _expand(raw[key], acts) if raw.get(key) else None  # noqa: E731
    power = words("dual_power") if licence_type == "dual_driver" and raw.get("dual_power") else words("power")
    return StatutoryRule(
        licence_type=licence_type, decision=raw["decision"], power=power, immediate_power=words("immediate_power"),
        immediate_available=bool(raw.get("immediate_available")), immediate_only=bool(raw.get("immediate_only")),
        appeal_court=raw.get("appeal_court"), appeal_days=raw.get("appeal_days"),
        appeal_against=raw.get("appeal_against"), returns=raw.get("returns"), return_days=raw.get("return_days"),
        stay_pending_appeal=bool(raw.get("stay_pending_appeal")), notice_within_days=raw.get("notice_within_days"),
        deemed_revocation_months=raw.get("deemed_revocation_months"),
        reminder_days_before=raw.get("reminder_days_before"), source=raw["source"], edition=edition)


def _edition(raw):
    rules = {}
    for row in raw["rules"]:
        if row["decision"] not in DECISIONS:
            raise ValueError(f"statutory.json: unknown decision {row['decision']!r}")
        for licence_type in row["licence_types"]:
            key = (licence_type, row["decision"])
            if key in rules:
                raise ValueError(f"statutory.json edition {raw['edition']}: two rows for {key}")
            rules[key] = _rule(raw["edition"], raw["acts"], licence_type, row)
    return Edition(edition=raw["edition"], effective_from=dt.date.fromisoformat(raw["effective_from"]), rules=rules)


@cache
def editions():
    raw = json.loads(DATA_FILE.read_text())["editions"]
    return tuple(sorted((_edition(e) for e in raw), key=lambda e: e.effective_from))


def _value(x):
    return getattr(x, "value", x)


def rule_for(licence_type, decision, on=None):
    """The rule for a decision of `decision` about a licence of `licence_type` (an enum or its
    value) in the edition in force on `on` (today when not given). Raises NoRule if none."""
    edition = in_force_on(editions(), on or dt.date.today())
    try:
        return edition.rules[(_value(licence_type), _value(decision))]
    except KeyError:
        raise NoRule(f"No statutory rule for {_value(decision)} of a {_value(licence_type)} licence") from None


def has_rule(licence_type, decision, on=None):
    try:
        rule_for(licence_type, decision, on)
    except NoRule:
        return False
    return True

"""The fee schedule as versioned policy data (`data/fees.json`): what a licence costs on a day."""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "fees.json"


@dataclass(frozen=True)
class FeeSchedule:
    edition: str
    effective_from: dt.date
    source: str
    grant_needs_payment: bool
    licences: dict
    replacements: dict

    def licence_fee(self, licence_type, kind):
        """Pence for a new licence or a renewal of this type."""
        return self.licences[licence_type][kind]


def _edition(raw):
    return FeeSchedule(edition=raw["edition"], effective_from=dt.date.fromisoformat(raw["effective_from"]),
                       source=raw["source"], grant_needs_payment=bool(raw["grant_needs_payment"]),
                       licences=dict(raw["licences"]), replacements=dict(raw["replacements"]))


def schedule_on(day, path=DATA_FILE):
    return in_force_on(load_editions(str(path), _edition), day)


def pounds(pence):
    return f"£{pence / 100:,.2f}"

"""The scheme of delegation as data (`data/delegations.json`): the reference an officer's notice
cites for each kind of decision taken under delegated powers."""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from licensing.policy import in_force_on

DATA_FILE = Path(__file__).parent / "data" / "delegations.json"


@dataclass(frozen=True)
class Edition:
    edition: str
    effective_from: dt.date
    scheme: str
    delegations: dict
    immediate_action: dict


@cache
def editions():
    raw = json.loads(DATA_FILE.read_text())["editions"]
    return tuple(sorted((Edition(edition=e["edition"], effective_from=dt.date.fromisoformat(e["effective_from"]),
                                 scheme=e["scheme"], delegations=e["delegations"],
                                 immediate_action=e.get("immediate_action", {})) for e in raw),
                        key=lambda e: e.effective_from))


def delegation_for(decision, on=None):
    """'<scheme>, delegation <reference>' for a statutory decision key, e.g. for 'suspension'."""
    edition = in_force_on(editions(), on or dt.date.today())
    return f"{edition.scheme}, delegation {edition.delegations[decision]['reference']}"


def authoriser_may_record(on=None):
    """Whether the officer recording an immediate action may also be its authorising officer
    (absent from an edition means no: a second officer authorises)."""
    edition = in_force_on(editions(), on or dt.date.today())
    return bool(edition.immediate_action.get("authoriser_may_record", False))

"""What an online application asks for, as versioned policy data (`data/online_applications.json`)."""

import datetime as dt
import pathlib
from dataclasses import dataclass

from licensing.policy import in_force_on, load_editions

DATA_FILE = pathlib.Path(__file__).parent / "data" / "online_applications.json"


def licence_group(licence_type):
    """"driver", "vehicle" or "operator": the questions and documents a licence type asks for."""
    return str(getattr(licence_type, "value", licence_type)).rsplit("_", 1)[-1]


@dataclass(frozen=True)
class ApplicationDocument:
    code: str
    label: str
    hint: str
    check_kind: str | None  # the check an accepted document records, if any


@dataclass(frozen=True)
class OnlineApplicationRules:
    edition: str
    effective_from: dt.date
    number_prefixes: dict
    documents: dict  # "driver", "vehicle", "operator" -> tuple of ApplicationDocument
    conviction_guidance: str
    declaration: str

    def documents_for(self, licence_type):
        return self.documents.get(licence_group(licence_type), ())

    def document(self, licence_type, code):
        return next((doc for doc in self.documents_for(licence_type) if doc.code == code), None)


def _edition(raw):
    return OnlineApplicationRules(
        edition=raw["edition"], effective_from=dt.date.fromisoformat(raw["effective_from"]),
        number_prefixes=dict(raw["number_prefixes"]),
        documents={group: tuple(ApplicationDocument(**doc) for doc in docs)
                   for group, docs in raw["documents"].items()},
        conviction_guidance=raw["conviction_guidance"], declaration=raw["declaration"],
    )


def rules_on(day, path=DATA_FILE):
    return in_force_on(load_editions(str(path), _edition), day)

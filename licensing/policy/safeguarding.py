"""Policy data for the national register beyond outgoing entries (`data/nr3s.json`) and for data
protection (`data/data_protection.json`): deadlines for incoming s.5 information, the lawful bases
for sharing, and the exemptions a disclosure officer may record."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from licensing.policy import from_record, in_force_on, load_editions

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Nr3sPolicy:
    edition: str
    effective_from: dt.date
    source: str
    consider_working_days: int
    inform_working_days: int
    override_permission: str


@dataclass(frozen=True)
class DataProtectionPolicy:
    edition: str
    effective_from: dt.date
    source: str
    lawful_bases: dict
    exemptions: dict
    third_party_fields: dict
    restricted_tables: list


def nr3s_policy_on(day):
    return in_force_on(load_editions(DATA / "nr3s.json", lambda raw: from_record(Nr3sPolicy, raw)), day)


def data_protection_on(day):
    return in_force_on(load_editions(DATA / "data_protection.json",
                                     lambda raw: from_record(DataProtectionPolicy, raw)), day)


def lawful_basis_choices(day):
    return list(data_protection_on(day).lawful_bases.items())


def exemption_choices(day):
    return list(data_protection_on(day).exemptions.items())

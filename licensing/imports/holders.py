"""Importing licence holders and their convictions."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.imports import fields as f
from licensing.imports.engine import Collector, Importer, chunks
from licensing.models import (
    Conviction,
    Disposal,
    HolderKind,
    LicenceHolder,
    OffenceCategory,
    OffenceSource,
    SentenceType,
)
from licensing.policy.conviction_record import check_conviction, stored


class HolderImporter(Importer):
    kind = "holders"
    entity = "holder"
    model = LicenceHolder
    required_columns = ("holder_ref", "first_name", "last_name", "date_of_birth", "address", "postcode",
                        "email", "phone")
    optional_columns = ("organisation_name", "dvla_licence_number")
    compared = ("kind", "first_name", "last_name", "organisation_name", "date_of_birth", "address",
                "postcode", "email", "phone", "dvla_licence_number")
    unique = {"dvla_licence_number": "dvla_licence_number"}
    natural_key_columns = ("holder_ref",)

    def parse(self, row):
        take = Collector()
        values = {
            "holder_ref": take(f.text, row, "holder_ref", required=True, max_length=32),
            "first_name": take(f.text, row, "first_name", max_length=100),
            "last_name": take(f.text, row, "last_name", max_length=100),
            "organisation_name": take(f.text, row, "organisation_name", max_length=200),
            "date_of_birth": take(f.iso_date, row, "date_of_birth", not_future=True, today=self.today),
            "address": take(f.text, row, "address", max_length=500),
            "postcode": take(f.postcode, row, "postcode"),
            "email": take(f.email, row, "email"),
            "phone": take(f.phone, row, "phone"),
            "dvla_licence_number": take(_dvla, row),
        }
        is_organisation = values["organisation_name"] is not None and values["last_name"] is None
        values["kind"] = HolderKind.ORGANISATION if is_organisation else HolderKind.PERSON
        if not is_organisation:
            if values["first_name"] is None and "first_name is required" not in take.problems:
                take.add("first_name is required (or give organisation_name for an organisation)")
            if values["last_name"] is None:
                take.add("last_name is required (or give organisation_name for an organisation)")
        return take.finish(values)

    def key(self, values):
        return (values["holder_ref"],)

    def existing(self, keys):
        return self.existing_by_column("holder_ref", [k[0] for k in keys])

    def audit_holder_id(self, values, record_id):
        return record_id


def _dvla(row):
    value = f.text(row, "dvla_licence_number", max_length=20, upper=True)
    if value is None:
        return None
    value = value.replace(" ", "")
    if not value.isalnum():
        raise f.RowProblem("dvla_licence_number may contain only letters and digits")
    return value


# The shared check's field names, as the import's columns.
COLUMNS = {"protected_override": "protected"}


def _protected(row):
    value = (row.get("protected") or "").strip().lower()
    if value not in PROTECTED_CELLS:
        raise f.RowProblem("protected must be yes, no or blank (blank: by the DBS filtering rules)")
    return PROTECTED_CELLS[value]


def holders_by_ref(refs):
    """{holder_ref: (id, kind, date_of_birth)} for the references that exist."""
    found = {}
    table = LicenceHolder.__table__
    for chunk in chunks(set(r for r in refs if r)):
        query = sa.select(table.c.holder_ref, table.c.id, table.c.kind, table.c.date_of_birth).where(
            table.c.holder_ref.in_(chunk))
        for ref, *rest in db.session.execute(query):
            found[ref] = tuple(rest)
    return found


PROTECTED_CELLS = {"yes": True, "no": False, "": None}


class ConvictionImporter(Importer):
    """Convictions, cautions and endorsements, checked by the same rules as the conviction form
    (licensing.policy.conviction_record); each problem names its column."""

    kind = "convictions"
    entity = "conviction"
    model = Conviction
    required_columns = ("holder_ref", "category", "offence", "offence_date", "conviction_date",
                        "sentence_end_date", "source")
    optional_columns = ("disposal", "endorsement_code", "penalty_points", "sentence_type", "sentence_months",
                        "sentence", "disqualification_start", "disqualification_end", "youth", "listed_offence",
                        "protected", "protected_reason")
    compared = ("offence_date", "sentence_end_date", "source", "disposal", "endorsement_code", "penalty_points",
                "sentence_type", "sentence_months", "sentence", "disqualification_start", "disqualification_end",
                "youth", "listed_offence", "protected_override", "protected_reason")

    def prepare(self, rows):
        self.holders = holders_by_ref(r.get("holder_ref", "").strip() for r in rows)
        # A file without a column leaves that field of existing records alone (an older file
        # must not wipe points or bans recorded since).
        header = set(rows[0]) if rows else set()
        self.compared = tuple(c for c in ConvictionImporter.compared
                              if c in self.required_columns or COLUMNS.get(c, c) in header)

    def parse(self, row):
        take = Collector()
        ref = take(f.text, row, "holder_ref", required=True)
        dates = {column: take(f.iso_date, row, column, not_future=column != "sentence_end_date"
                              and column != "disqualification_end", today=self.today)
                 for column in ("offence_date", "conviction_date", "sentence_end_date", "disqualification_start",
                                "disqualification_end")}
        given = {
            **dates,
            "category": take(f.choice, row, "category", OffenceCategory, required=False),
            "disposal": take(f.choice, row, "disposal", Disposal, required=False),
            "offence": take(f.text, row, "offence", max_length=500),
            "endorsement_code": take(f.text, row, "endorsement_code", max_length=4, upper=True),
            "penalty_points": take(f.integer, row, "penalty_points", required=False),
            "sentence_type": take(f.choice, row, "sentence_type", SentenceType, required=False),
            "sentence_months": take(f.integer, row, "sentence_months", required=False),
            "sentence": take(f.text, row, "sentence", max_length=500),
            "youth": take(f.boolean, row, "youth"),
            "listed_offence": take(f.boolean, row, "listed_offence"),
            "protected_override": take(_protected, row),
            "protected_reason": take(f.text, row, "protected_reason", max_length=500),
        }
        source = take(f.choice, row, "source", OffenceSource)
        holder = self.holders.get(ref)
        if ref and holder is None:
            take.add("holder_ref is not a known licence holder")
        if dates["conviction_date"] is None and not row.get("conviction_date", "").strip():
            take.add("conviction_date is required")
        if take.problems:  # cells that could not be read: the shared check would only repeat them
            return take.finish(given)
        values, problems = check_conviction(given, today=self.today, date_of_birth=holder[2] if holder else None)
        for problem in problems:
            take.add(f"{COLUMNS.get(problem.field, problem.field)}: {problem.message}")
        return take.finish({**stored(values), "holder_id": holder[0], "source": source})

    def key(self, values):
        return (values["holder_id"], values["category"], values["conviction_date"], values["offence"])

    def existing(self, keys):
        table, found = self.table, {}
        for chunk in chunks({k[0] for k in keys}):
            for row in db.session.execute(sa.select(table).where(table.c.holder_id.in_(chunk))).mappings():
                found[(row["holder_id"], row["category"], row["conviction_date"], row["offence"])] = row
        return found

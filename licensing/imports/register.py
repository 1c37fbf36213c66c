"""Importing licences, vehicles and compliance checks."""

import sqlalchemy as sa

from licensing.extensions import db
from licensing.imports import fields as f
from licensing.imports.engine import Collector, Importer, chunks
from licensing.imports.holders import holders_by_ref
from licensing.models import (
    DRIVER_TYPES,
    VEHICLE_TYPES,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    HolderKind,
    Licence,
    LicenceStatus,
    LicenceType,
    Vehicle,
    normalise_registration,
)

DRIVER_MINIMUM_AGE = 21
DATED_STATUSES = {LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED}  # in force: must show both dates


def _lookup(table, column, values, *extra):
    """{value: (id, *extra)} for the values of `column` that exist."""
    found = {}
    for chunk in chunks(set(v for v in values if v)):
        query = sa.select(table.c[column], table.c.id, *(table.c[e] for e in extra)).where(
            table.c[column].in_(chunk))
        for value, *rest in db.session.execute(query):
            found[value] = tuple(rest)
    return found


class LicenceImporter(Importer):
    kind = "licences"
    entity = "licence"
    model = Licence
    required_columns = ("licence_number", "holder_ref", "licence_type", "status", "issued_on", "expires_on",
                        "vehicle_registration")
    optional_columns = ("badge_number",)
    compared = ("status", "issued_on", "expires_on", "vehicle_id", "badge_number")
    unique = {"badge_number": "badge_number"}
    natural_key_columns = ("licence_number",)

    def prepare(self, rows):
        self.holders = holders_by_ref(r.get("holder_ref", "").strip() for r in rows)
        registrations = (normalise_registration(r.get("vehicle_registration")) for r in rows)
        self.vehicles = _lookup(Vehicle.__table__, "registration", registrations)

    def parse(self, row):
        take = Collector()
        ref = take(f.text, row, "holder_ref", required=True)
        registration = normalise_registration(row.get("vehicle_registration"))
        values = {
            "licence_number": take(f.text, row, "licence_number", required=True, max_length=32, upper=True),
            "licence_type": take(f.choice, row, "licence_type", LicenceType),
            "status": take(f.choice, row, "status", LicenceStatus),
            "issued_on": take(f.iso_date, row, "issued_on", not_future=True, today=self.today),
            "expires_on": take(f.iso_date, row, "expires_on"),
            "badge_number": take(f.text, row, "badge_number", max_length=20, upper=True),
            "vehicle_id": None,
        }
        holder = self.holders.get(ref)
        if ref and holder is None:
            take.add("holder_ref is not a known licence holder")
        values["holder_id"] = holder[0] if holder else None
        issued, expires, licence_type = values["issued_on"], values["expires_on"], values["licence_type"]
        if issued and expires and expires <= issued:
            take.add("expires_on must be after issued_on")
        if values["status"] in DATED_STATUSES and not (issued and expires):
            take.add(f"an {values['status'].value} licence needs issued_on and expires_on")
        if licence_type in VEHICLE_TYPES:
            if not registration:
                take.add("vehicle_registration is required for a vehicle licence")
            elif registration not in self.vehicles:
                take.add("vehicle_registration is not a known vehicle (import vehicles first)")
            else:
                values["vehicle_id"] = self.vehicles[registration][0]
        elif licence_type is not None and registration:
            take.add("vehicle_registration is only for hackney carriage and private hire vehicle licences")
        if licence_type in DRIVER_TYPES and holder:
            self._check_driver(take, holder, issued)
        return take.finish(values)

    def _check_driver(self, take, holder, issued):
        _id, kind, born = holder
        if kind == HolderKind.ORGANISATION:
            take.add("a driver licence must be held by a person, not an organisation")
        elif born is None:
            take.add("the holder has no date_of_birth, needed for a driver licence")
        elif f.years_between(born, issued or self.today) < DRIVER_MINIMUM_AGE:
            take.add(f"a driver must be at least {DRIVER_MINIMUM_AGE} years old")

    def key(self, values):
        return (values["licence_number"],)

    def existing(self, keys):
        return self.existing_by_column("licence_number", [k[0] for k in keys])

    def conflicts(self, values, stored):
        if stored["holder_id"] != values["holder_id"]:
            return "licence_number is already held by another licence holder"
        if stored["licence_type"] != values["licence_type"]:
            return "licence_type of an existing licence cannot be changed"
        return None


class VehicleImporter(Importer):
    kind = "vehicles"
    entity = "vehicle"
    model = Vehicle
    required_columns = ("registration", "make", "model", "colour", "seats", "wheelchair_accessible",
                        "plate_number")
    optional_columns = ("proprietor_ref",)
    compared = ("make", "model", "colour", "seats", "wheelchair_accessible", "plate_number", "proprietor_id")
    unique = {"plate_number": "plate_number"}
    natural_key_columns = ("registration",)

    def prepare(self, rows):
        self.holders = holders_by_ref(r.get("proprietor_ref", "").strip() for r in rows)

    def parse(self, row):
        take = Collector()
        registration = normalise_registration(row.get("registration"))
        if not registration:
            take.add("registration is required")
        elif len(registration) > 12:
            take.add("registration must be 12 characters or fewer")
        values = {
            "registration": registration,
            "make": take(f.text, row, "make", required=True, max_length=60),
            "model": take(f.text, row, "model", required=True, max_length=60),
            "colour": take(f.text, row, "colour", max_length=40),
            "seats": take(f.integer, row, "seats", minimum=1, maximum=16),
            "wheelchair_accessible": take(f.boolean, row, "wheelchair_accessible"),
            "plate_number": take(f.text, row, "plate_number", max_length=20, upper=True),
            "proprietor_id": None,
        }
        ref = take(f.text, row, "proprietor_ref")
        if ref:
            holder = self.holders.get(ref)
            if holder is None:
                take.add("proprietor_ref is not a known licence holder")
            else:
                values["proprietor_id"] = holder[0]
        return take.finish(values)

    def key(self, values):
        return (values["registration"],)

    def existing(self, keys):
        return self.existing_by_column("registration", [k[0] for k in keys])

    def audit_holder_id(self, values, record_id):
        return values["proprietor_id"]


class CheckImporter(Importer):
    """A check is about a holder (driver checks) or a licence (vehicle checks): the row gives
    holder_ref or licence_number; with both, the licence must belong to that holder."""

    kind = "checks"
    entity = "check"
    model = ComplianceCheck
    required_columns = ("kind", "completed_on", "expires_on", "result", "reference")
    optional_columns = ("holder_ref", "licence_number")
    compared = ("expires_on", "result", "reference")

    def header_problems(self, header):
        problems = super().header_problems(header)
        if "holder_ref" not in header and "licence_number" not in header:
            problems.append("column holder_ref or licence_number is required")
        return problems

    def prepare(self, rows):
        self.holders = holders_by_ref(r.get("holder_ref", "").strip() for r in rows)
        numbers = ((r.get("licence_number") or "").strip().upper() for r in rows)
        self.licences = _lookup(Licence.__table__, "licence_number", numbers, "holder_id")
        self.licence_holders = dict(self.licences.values())

    def parse(self, row):
        take = Collector()
        ref = take(f.text, row, "holder_ref")
        number = take(f.text, row, "licence_number", upper=True)
        values = {
            "kind": take(f.choice, row, "kind", CheckKind),
            "completed_on": take(f.iso_date, row, "completed_on", required=True, not_future=True,
                                 today=self.today),
            "expires_on": take(f.iso_date, row, "expires_on"),
            "result": take(f.choice, row, "result", CheckResult),
            "reference": take(f.text, row, "reference", max_length=64),
            "holder_id": None,
            "licence_id": None,
        }
        if not ref and not number:
            take.add("holder_ref or licence_number is required")
        if ref:
            holder = self.holders.get(ref)
            if holder is None:
                take.add("holder_ref is not a known licence holder")
            else:
                values["holder_id"] = holder[0]
        if number:
            licence = self.licences.get(number)
            if licence is None:
                take.add("licence_number is not a known licence")
            elif values["holder_id"] is not None and licence[1] != values["holder_id"]:
                take.add("licence_number belongs to a different holder from holder_ref")
            else:
                values["licence_id"] = licence[0]
        if values["completed_on"] and values["expires_on"] and values["expires_on"] < values["completed_on"]:
            take.add("expires_on must be on or after completed_on")
        return take.finish(values)

    def key(self, values):
        if values["licence_id"] is not None:
            return ("licence", values["licence_id"], values["kind"], values["completed_on"])
        return ("holder", values["holder_id"], values["kind"], values["completed_on"])

    def existing(self, keys):
        table, found = self.table, {}
        for subject, column in (("holder", "holder_id"), ("licence", "licence_id")):
            ids = {k[1] for k in keys if k[0] == subject}
            for chunk in chunks(ids):
                query = sa.select(table).where(table.c[column].in_(chunk))
                if subject == "holder":
                    query = query.where(table.c.licence_id.is_(None))
                for row in db.session.execute(query).mappings():
                    found[(subject, row[column], row["kind"], row["completed_on"])] = row
        return found

    def audit_holder_id(self, values, record_id):
        if values["holder_id"] is not None:
            return values["holder_id"]
        return self.licence_holders.get(values["licence_id"])

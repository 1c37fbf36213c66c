"""State changes to the register: holders, vehicles, compliance checks, convictions, intelligence.

Each operation takes the acting user, validates against the data already held, writes one
audit row and flushes; the view commits. Licence changes live in `licences.py`.
"""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import changes, record, snapshot
from licensing.errors import check_version, flush_versioned
from licensing.extensions import db
from licensing.holders.checks import VEHICLE_CHECK_KINDS, results_for
from licensing.holders.errors import RegisterError
from licensing.holders.evidence import store_evidence
from licensing.models import (
    DRIVER_TYPES,
    CheckKind,
    CheckResult,
    ComplianceCheck,
    Conviction,
    HolderKind,
    Intelligence,
    IntelligenceSource,
    Licence,
    LicenceHolder,
    LicenceStatus,
    OffenceSource,
    Vehicle,
    normalise_registration,
)
from licensing.models.search_indexes import FOLD_FUNCTION, fold_text
from licensing.permissions import record_intelligence_shown
from licensing.policy.conviction_record import check_conviction, first_problem_at, stored
from licensing.policy.register import age_on, rules_on
from licensing.text import govuk_date

HOLDER_FIELDS = ("kind", "first_name", "last_name", "organisation_name", "date_of_birth", "address",
                 "postcode", "email", "phone", "dvla_licence_number", "email_service_consent_on")
VEHICLE_FIELDS = ("registration", "make", "model", "colour", "seats", "wheelchair_accessible",
                  "plate_number", "camera_fitted")


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _not_in_future(value, field, what, today):
    if value is not None and value > today:
        raise RegisterError(f"{what} must be today or in the past", field=field)


# Holders ---------------------------------------------------------------------------------------

def _holder_values(data, holder, today):
    values = {key: _clean(data.get(key)) for key in HOLDER_FIELDS}
    values["kind"] = HolderKind(values["kind"] or HolderKind.PERSON)
    if values["kind"] == HolderKind.PERSON:
        values["organisation_name"] = None
        if not values["first_name"]:
            raise RegisterError("Enter the first name", field="first_name")
        if not values["last_name"]:
            raise RegisterError("Enter the last name", field="last_name")
    else:
        values.update(first_name=None, last_name=None, date_of_birth=None, dvla_licence_number=None)
        if not values["organisation_name"]:
            raise RegisterError("Enter the organisation name", field="organisation_name")
    _not_in_future(values["date_of_birth"], "date_of_birth", "Date of birth", today)
    _not_in_future(values["email_service_consent_on"], "email_service_consent_on", "The date of agreement", today)
    if values["email_service_consent_on"] and not values["email"]:
        raise RegisterError("Enter the e-mail address notices are to be served at", field="email")
    if values["postcode"]:
        values["postcode"] = " ".join(values["postcode"].upper().split())
    if values["dvla_licence_number"]:
        number = values["dvla_licence_number"].upper().replace(" ", "")
        values["dvla_licence_number"] = number
        clash = sa.select(LicenceHolder.id).where(LicenceHolder.dvla_licence_number == number)
        if holder is not None:
            clash = clash.where(LicenceHolder.id != holder.id)
        if db.session.scalar(clash):
            raise RegisterError("Another holder already has this DVLA licence number", field="dvla_licence_number")
    if holder is not None:
        _check_driver_age(holder, values, today)
    # Checked on a new holder, and on an edit only when the date changes, so that a record held
    # from before (an import, say) can still be edited for other details.
    if holder is None or values["date_of_birth"] != holder.date_of_birth:
        _check_person_age(values, today)
    return values


def _check_person_age(values, today):
    """A person on the register must be at least the policy's minimum driver age. This covers
    vehicle proprietors who do not drive too: the policy names no other minimum, and the
    register should not take a child (the review found a five-year-old could be added)."""
    born = values["date_of_birth"]
    if values["kind"] != HolderKind.PERSON or born is None:
        return
    rules = rules_on(today)
    age = age_on(born, today)
    if age < rules.driver_minimum_age_years:
        raise RegisterError(
            f"Under the {rules.title}, a licence holder must be at least {rules.driver_minimum_age_years} years "
            f"old: this date of birth makes them {age}", field="date_of_birth")


def _check_driver_age(holder, values, today):
    """A holder of a live driver licence cannot be given a date of birth under the driver minimum age."""
    driver_types = [lt.value for lt in DRIVER_TYPES]
    live = db.session.scalar(
        sa.select(sa.func.count(Licence.id)).where(
            Licence.holder_id == holder.id,
            Licence.licence_type.in_(driver_types),
            Licence.status.in_([LicenceStatus.APPLIED, LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED]),
        )
    )
    if not live:
        return
    if values["kind"] != HolderKind.PERSON:
        raise RegisterError("A driver licence holder must be a person", field="kind")
    minimum = rules_on(today).driver_minimum_age_years
    if values["date_of_birth"] is None:
        raise RegisterError("A driver licence holder must have a date of birth", field="date_of_birth")
    if age_on(values["date_of_birth"], today) < minimum:
        raise RegisterError(
            f"This holder has a driver licence: drivers must be at least {minimum}", field="date_of_birth"
        )


# The register's references: a prefix and a zero-padded number, as the demo register and
# earlier loads write them ("DRV000884", "ORG00012").
HOLDER_REF_FORMATS = {HolderKind.PERSON: ("DRV", 6), HolderKind.ORGANISATION: ("ORG", 5)}
REF_ATTEMPTS = 5


def _next_holder_number(prefix):
    """One more than the highest number already used after `prefix` (gaps are not reused).
    Longest first, then highest: among references of one length that is the highest number;
    any whose tail is not a number (none expected) is passed over."""
    refs = db.session.scalars(
        sa.select(LicenceHolder.holder_ref).where(LicenceHolder.holder_ref.like(f"{prefix}%"))
        .order_by(sa.func.length(LicenceHolder.holder_ref).desc(), LicenceHolder.holder_ref.desc()).limit(100))
    for ref in refs:
        tail = ref[len(prefix):]
        if tail.isdigit():
            return int(tail) + 1
    return 1


def _new_holder_ref(kind, skip=0):
    prefix, digits = HOLDER_REF_FORMATS[HolderKind(kind)]
    return f"{prefix}{_next_holder_number(prefix) + skip:0{digits}d}"


def _add_with_new_ref(holder):
    """Add `holder` under the next free reference. Two officers adding holders at once can both
    read the same highest number: the unique index refuses the second, which then takes the
    next one (in a savepoint, so the rest of the transaction is kept)."""
    for attempt in range(REF_ATTEMPTS):
        holder.holder_ref = _new_holder_ref(holder.kind, skip=attempt)
        try:
            with db.session.begin_nested():
                db.session.add(holder)
                db.session.flush()
            return holder
        except sa.exc.IntegrityError:
            taken = db.session.scalar(sa.select(LicenceHolder.id).where(LicenceHolder.holder_ref == holder.holder_ref))
            if taken is None:  # some other constraint: not ours to retry
                raise
    raise RegisterError("A new holder reference could not be given: try again", field="kind")


def create_holder(actor, data, today=None, *, warn_of_duplicates=False):
    """Add a licence holder. With `warn_of_duplicates` (the officer's form), a person with the name
    and date of birth of one already on the register is refused at `not_a_duplicate` unless
    `data["not_a_duplicate"]` says they are someone else (imports and loaders match by reference)."""
    today = today or dt.date.today()
    values = _holder_values(data, None, today)
    if warn_of_duplicates and values.get("kind") == HolderKind.PERSON and not data.get("not_a_duplicate"):
        _refuse_likely_duplicate(values)
    holder = _add_with_new_ref(LicenceHolder(**values))
    record(actor, "holder.create", holder, after=snapshot(holder))
    return holder


def _refuse_likely_duplicate(values):
    first, last, born = values.get("first_name"), values.get("last_name"), values.get("date_of_birth")
    if not (first and last and born):
        return
    fold = getattr(sa.func, FOLD_FUNCTION)
    same = db.session.scalars(sa.select(LicenceHolder.holder_ref).where(
        fold(LicenceHolder.first_name) == fold_text(first), fold(LicenceHolder.last_name) == fold_text(last),
        LicenceHolder.date_of_birth == born).order_by(LicenceHolder.holder_ref).limit(5)).all()
    if same:
        raise RegisterError(f"{first} {last}, born {govuk_date(born)}, may already be on the register as "
                            f"{', '.join(same)}. If this is someone else, tick the box and save again",
                            field="not_a_duplicate")


def update_holder(actor, holder, data, version, today=None):
    today = today or dt.date.today()
    check_version(holder, version, "licence holder")
    values = _holder_values(data, holder, today)
    before = snapshot(holder)
    for key, value in values.items():
        setattr(holder, key, value)
    flush_versioned(holder, version, "licence holder")
    old, new = changes(before, snapshot(holder))
    if new:
        record(actor, "holder.update", holder, before=old, after=new)
    return holder


# Vehicles --------------------------------------------------------------------------------------

def _vehicle_values(data, vehicle):
    values = {key: _clean(data.get(key)) for key in VEHICLE_FIELDS}
    registration = normalise_registration(values["registration"])
    if not 2 <= len(registration) <= 8:
        raise RegisterError("Enter a vehicle registration of 2 to 8 letters and numbers", field="registration")
    values["registration"] = registration
    values["plate_number"] = (values["plate_number"] or "").upper() or None
    values["wheelchair_accessible"] = bool(values["wheelchair_accessible"])
    values["camera_fitted"] = bool(values["camera_fitted"])
    if values["seats"] is None or not 1 <= int(values["seats"]) <= 16:
        raise RegisterError("Seats must be between 1 and 16", field="seats")
    for key, label in (("make", "make"), ("model", "model")):
        if not values[key]:
            raise RegisterError(f"Enter the {label}", field=key)
    for column, key, message in (
        (Vehicle.registration, "registration", "Another vehicle already has this registration"),
        (Vehicle.plate_number, "plate_number", "Another vehicle already has this plate number"),
    ):
        if values[key] is None:
            continue
        clash = sa.select(Vehicle.id).where(column == values[key])
        if vehicle is not None:
            clash = clash.where(Vehicle.id != vehicle.id)
        if db.session.scalar(clash):
            raise RegisterError(message, field=key)
    return values


def create_vehicle(actor, holder, data):
    vehicle = Vehicle(proprietor=holder, **_vehicle_values(data, None))
    db.session.add(vehicle)
    record(actor, "vehicle.create", vehicle, after=snapshot(vehicle))
    return vehicle


def update_vehicle(actor, vehicle, data, version):
    check_version(vehicle, version, "vehicle")
    values = _vehicle_values(data, vehicle)
    before = snapshot(vehicle)
    for key, value in values.items():
        setattr(vehicle, key, value)
    flush_versioned(vehicle, version, "vehicle")
    old, new = changes(before, snapshot(vehicle))
    if new:
        record(actor, "vehicle.update", vehicle, before=old, after=new)
    return vehicle


# Compliance checks -----------------------------------------------------------------------------

def record_check(actor, holder, data, evidence=None, max_upload_bytes=None, today=None):
    """Record a compliance check (and optionally its evidence file) for a holder or one of its licences."""
    today = today or dt.date.today()
    kind = CheckKind(data["kind"])
    result = CheckResult(data["result"])
    if result not in results_for(kind):
        allowed = ", ".join(r.label.lower() for r in results_for(kind))
        raise RegisterError(f"The result of a {kind.label} must be one of: {allowed}", field="result")
    licence = _check_licence(holder, kind, data.get("licence_id"))
    completed_on, expires_on = data["completed_on"], data.get("expires_on")
    _not_in_future(completed_on, "completed_on", "The date completed", today)
    if expires_on is not None and expires_on < completed_on:
        raise RegisterError("The expiry date must be on or after the date completed", field="expires_on")
    points = data.get("points")
    if kind != CheckKind.DVLA and points is not None:
        raise RegisterError("Penalty points apply only to a DVLA licence check", field="points")
    if points is not None and not 0 <= points <= 99:
        raise RegisterError("Penalty points must be between 0 and 99", field="points")
    barred = bool(data.get("barred_lists_checked")) if kind == CheckKind.DBS_ENHANCED else None
    check = ComplianceCheck(
        holder_id=holder.id, licence=licence, kind=kind, completed_on=completed_on, expires_on=expires_on,
        result=result, reference=_clean(data.get("reference")), points=points, barred_lists_checked=barred,
        notes=_clean(data.get("notes")), recorded_by_id=actor.id,
        # A lookup's answer names the service it came from (licensing/integrations); by hand, none.
        source=data.get("source"), lookup_id=data.get("lookup_id"),
    )
    db.session.add(check)
    record(actor, "check.record", check, after=snapshot(check))
    _dvla_endorsement(actor, holder, kind, data, today)
    if evidence is not None and evidence.filename:
        store_evidence(actor, holder, check, evidence, max_upload_bytes)
    return check


ENDORSEMENT_FIELDS = ("endorsement_code", "offence", "offence_date", "conviction_date", "penalty_points",
                      "disqualification_start", "disqualification_end")


def _dvla_endorsement(actor, holder, kind, data, today):
    """An endorsement shown on a DVLA check becomes a conviction with source DVLA."""
    given = {f: data.get(f if f.startswith("endorsement_") else f"endorsement_{f}") for f in ENDORSEMENT_FIELDS}
    if not any(v not in (None, "") for v in given.values()):
        return None
    if kind != CheckKind.DVLA:
        raise RegisterError("Endorsements are recorded only with a DVLA licence check", field="endorsement_code")
    if not given["endorsement_code"]:
        raise RegisterError("Enter the endorsement code the DVLA check shows", field="endorsement_code")
    # A problem at a field the check form does not have (the category) shows at the code.
    fields = {f: f if f.startswith("endorsement_") else f"endorsement_{f}" for f in ENDORSEMENT_FIELDS}
    return conviction_values(actor, holder, given, today, OffenceSource.DVLA.value, fields=fields,
                             fallback="endorsement_code")


def _check_licence(holder, kind, licence_id):
    licence = None
    if licence_id:
        licence = db.session.get(Licence, int(licence_id))
        if licence is None or licence.holder_id != holder.id:
            raise RegisterError("Choose one of this holder's licences", field="licence_id")
    if kind in VEHICLE_CHECK_KINDS and (licence is None or not licence.licence_type.is_vehicle):
        raise RegisterError(f"Choose the vehicle licence this {kind.label} is for", field="licence_id")
    return licence


def add_evidence(actor, check, evidence, max_upload_bytes):
    if evidence is None or not evidence.filename:
        raise RegisterError("Select a file", field="evidence")
    return store_evidence(actor, check.holder or check.licence.holder, check, evidence, max_upload_bytes)


# Convictions -----------------------------------------------------------------------------------

CONVICTION_FORM_FIELDS = frozenset({
    "category", "disposal", "offence", "endorsement_code", "offence_date", "conviction_date", "sentence_type",
    "sentence_months", "sentence", "sentence_end_date", "penalty_points", "disqualification_start",
    "disqualification_end", "youth", "listed_offence", "protected_reason",
})
PROTECTED_VALUES = {"yes": True, "no": False}


def conviction_values(actor, holder, data, today, source, fields=None, fallback=None):
    """A new Conviction from `data` checked by the one shared rule set; RegisterError at the first bad
    field. `fields` maps the rule set's field names to the form's (default: the conviction form)."""
    fields = fields or {f: f for f in CONVICTION_FORM_FIELDS}
    data = dict(data)
    override = data.get("protected_override")
    data["protected_override"] = PROTECTED_VALUES.get(override, override if isinstance(override, bool) else None)
    values, problems = check_conviction(data, today=today, date_of_birth=holder.date_of_birth)
    problem = first_problem_at(problems, set(fields))
    if problem:
        raise RegisterError(problem.message, field=fields.get(problem.field, fallback))
    conviction = Conviction(holder_id=holder.id, source=OffenceSource(source), **stored(values))
    db.session.add(conviction)
    record(actor, "conviction.record", conviction, after=snapshot(conviction))
    return conviction


def record_conviction(actor, holder, data, today=None):
    return conviction_values(actor, holder, data, today or dt.date.today(), data["source"])


# Intelligence ----------------------------------------------------------------------------------

def _require_clearance(actor):
    if not getattr(actor, "can_read_intelligence", False):
        raise PermissionError("intelligence needs an officer with clearance")


def record_intelligence(actor, holder, data, today=None):
    """Record restricted intelligence. The audit row names the record, never its content."""
    _require_clearance(actor)
    today = today or dt.date.today()
    summary, grading = _clean(data.get("summary")), _clean(data.get("grading"))
    if not grading:
        raise RegisterError("Enter the grading", field="grading")
    if not summary:
        raise RegisterError("Enter a summary of the intelligence", field="summary")
    _not_in_future(data["received_on"], "received_on", "The date received", today)
    intelligence = Intelligence(
        holder_id=holder.id, source=IntelligenceSource(data["source"]), grading=grading,
        received_on=data["received_on"], summary=summary, disclose_to_panel=bool(data.get("disclose_to_panel")),
        recorded_by_id=actor.id,
    )
    db.session.add(intelligence)
    record(actor, "intelligence.create", intelligence)
    return intelligence


def record_intelligence_view(actor, holder, where="holder record"):
    """Every time intelligence is shown: who saw it, about whom, never what."""
    record_intelligence_shown(actor, holder.id, where)

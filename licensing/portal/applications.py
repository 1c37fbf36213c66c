"""Applying online for a driver, vehicle or operator licence, new or renewal: the answers are saved section by section
(save and return), documents are uploaded against the application, and sending it records the
application in the register through the register's own operations, so the same rules apply
(minimum age, one pending application per licence) and officers decide it on the one path.

A document uploaded with an application waits, unseen by any panel, until an officer accepts it
(licensing/portal/evidence.py), as a document sent for a due requirement does.
"""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.holders.errors import RegisterError
from licensing.holders.operations.holders import create_holder, create_vehicle
from licensing.holders.operations.licences import apply_for_licence, record_renewal
from licensing.models import (
    DRIVER_TYPES,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    OnlineApplication,
    OnlineApplicationStatus,
    SubmittedEvidence,
    Vehicle,
)
from licensing.models.base import utcnow
from licensing.models.holders import normalise_registration
from licensing.policy.online_applications import licence_group, rules_on
from licensing.portal.mail import queue_account_email
from licensing.portal.operations import PortalError
from licensing.text import govuk_date

ONLINE_TYPES = (*(t for t in LicenceType if t in DRIVER_TYPES), LicenceType.HACKNEY_CARRIAGE_VEHICLE,
                LicenceType.PRIVATE_HIRE_VEHICLE, LicenceType.PRIVATE_HIRE_OPERATOR)
ABOUT_YOU = ("first_name", "last_name", "date_of_birth", "address", "postcode", "phone")
CONVICTIONS = ("has_convictions",)
# Each group's sections of the task list, in order, and the answers each must hold to be complete.
SECTIONS_BY_GROUP = {
    "driver": {"about_you": ABOUT_YOU, "driving_licence": ("dvla_licence_number", "dvla_check_code"),
               "convictions": CONVICTIONS, "dbs": ("dbs_update_service", "dbs_consent")},
    "vehicle": {"about_you": ABOUT_YOU,
                "vehicle": ("registration", "make", "model", "colour", "seats", "wheelchair_accessible")},
    "operator": {"about_you": ABOUT_YOU,
                 "operating_centre": ("operating_centre_address", "operating_centre_postcode", "vehicles_expected"),
                 "convictions": CONVICTIONS},
}


def sections_for(licence_type):
    return SECTIONS_BY_GROUP[licence_group(licence_type)]


OPEN = (OnlineApplicationStatus.DRAFT, OnlineApplicationStatus.MORE_INFORMATION)


def renewable_licences(account):
    """The account's licences that can be renewed online."""
    if account.holder_id is None:
        return []
    return db.session.execute(
        sa.select(Licence).where(Licence.holder_id == account.holder_id, Licence.licence_type.in_(ONLINE_TYPES),
                                 Licence.status.in_([LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED]))
        .order_by(Licence.id)
    ).scalars().all()


def start_application(account, choice):
    """`choice`: a licence type for a new licence, or "renew:<licence id>" for one the holder has."""
    if choice.startswith("renew:"):
        licence = next((lic for lic in renewable_licences(account) if str(lic.id) == choice[6:]), None)
        if licence is None:
            raise PortalError("Choose one of your licences to renew", field="choice")
        application = OnlineApplication(account_id=account.id, licence_type=licence.licence_type.value,
                                        kind="renewal", renews_licence_id=licence.id, holder_id=licence.holder_id)
    else:
        if choice not in {t.value for t in ONLINE_TYPES}:
            raise PortalError("Choose the licence you want to apply for", field="choice")
        application = OnlineApplication(account_id=account.id, licence_type=choice, kind="new",
                                        holder_id=account.holder_id)
    application.answers = _known_answers(account, application)
    db.session.add(application)
    record(None, "online_application.start", application, holder_id=account.holder_id,
           after={"licence_type": application.licence_type, "kind": application.kind})
    return application


def _known_answers(account, application):
    """What the register already knows of a linked holder (and of the vehicle a renewal is for),
    so they are not asked again."""
    holder = db.session.get(LicenceHolder, account.holder_id) if account.holder_id else None
    if holder is None:
        return {}
    known = {"first_name": holder.first_name, "last_name": holder.last_name, "address": holder.address,
             "postcode": holder.postcode, "phone": holder.phone, "dvla_licence_number": holder.dvla_licence_number,
             "date_of_birth": holder.date_of_birth.isoformat() if holder.date_of_birth else None}
    renewed = db.session.get(Licence, application.renews_licence_id) if application.renews_licence_id else None
    if renewed is not None and renewed.vehicle is not None:
        vehicle = renewed.vehicle
        known.update(registration=vehicle.registration, make=vehicle.make, model=vehicle.model,
                     colour=vehicle.colour, seats=vehicle.seats,
                     wheelchair_accessible="yes" if vehicle.wheelchair_accessible else "no")
    return {key: value for key, value in known.items() if value}


_YES_NO = {"yes": "Yes", "no": "No"}


def answer_rows(application):
    """(section page, question, answer as it reads) for check your answers and the officers' page,
    for the sections this application's licence type asks."""
    a = application.answers or {}
    born = govuk_date(dt.date.fromisoformat(a["date_of_birth"])) if a.get("date_of_birth") else ""
    rows = {
        "about_you": [("about-you", "Name", f"{a.get('first_name') or ''} {a.get('last_name') or ''}".strip()),
                      ("about-you", "Date of birth", born),
                      ("about-you", "Home address", f"{a.get('address') or ''} {a.get('postcode') or ''}".strip()),
                      ("about-you", "Phone number", a.get("phone") or "")],
        "driving_licence": [("driving-licence", "Driving licence number", a.get("dvla_licence_number") or ""),
                            ("driving-licence", "DVLA check code", a.get("dvla_check_code") or "")],
        "vehicle": [("vehicle", "Registration number", a.get("registration") or ""),
                    ("vehicle", "Make and model", f"{a.get('make') or ''} {a.get('model') or ''}".strip()),
                    ("vehicle", "Colour", a.get("colour") or ""),
                    ("vehicle", "Passenger seats", str(a.get("seats") or "")),
                    ("vehicle", "Carries a wheelchair user", _YES_NO.get(a.get("wheelchair_accessible"), ""))],
        "operating_centre": [
            ("operating-centre", "Operating centre",
             f"{a.get('operating_centre_address') or ''} {a.get('operating_centre_postcode') or ''}".strip()),
            ("operating-centre", "Trading name", a.get("trading_name") or "None"),
            ("operating-centre", "Vehicles expected", str(a.get("vehicles_expected") or ""))],
        "convictions": [("convictions", "Convictions or cautions to declare",
                         _YES_NO.get(a.get("has_convictions"), "")),
                        ("convictions", "Details", a.get("conviction_details") or "None")],
        "dbs": [("dbs", "DBS update service", _YES_NO.get(a.get("dbs_update_service"), "")),
                ("dbs", "DBS certificate number", a.get("dbs_certificate_number") or "Not given"),
                ("dbs", "Consent to update service checks", "Yes" if a.get("dbs_consent") else "No")],
    }
    return [row for section in sections_for(application.licence_type) for row in rows[section]]


def editable(application):
    if application.status not in OPEN:
        raise PortalError("This application has been sent and can no longer be changed")


def save_section(application, section, values, today=None):
    """Save one section's answers (dates as ISO text); later sections are kept as they are."""
    today = today or dt.date.today()
    editable(application)
    values = {key: (value.isoformat() if isinstance(value, dt.date) else value) for key, value in values.items()}
    if section == "about_you":
        born = dt.date.fromisoformat(values["date_of_birth"])
        if born >= today:
            raise PortalError("Your date of birth must be in the past", field="date_of_birth")
    if section == "convictions" and values.get("has_convictions") == "yes" and not values.get("conviction_details"):
        raise PortalError("Tell us about each conviction, caution or pending case", field="conviction_details")
    if section == "dbs" and not values.get("dbs_consent"):
        raise PortalError("You must agree to the council checking your DBS certificate", field="dbs_consent")
    if section == "vehicle":
        values["registration"] = _free_registration(application, values.get("registration"))
    application.answers = {**(application.answers or {}), **values}
    application.updated_at = utcnow()
    record(None, "online_application.save", application, holder_id=application.holder_id,
           after={"section": section})
    return application


def documents(application):
    """{document code: latest submission} of the application's uploads."""
    rows = db.session.execute(
        sa.select(SubmittedEvidence).where(SubmittedEvidence.online_application_id == application.id)
        .order_by(SubmittedEvidence.id)
    ).scalars().all()
    return {row.requirement: row for row in rows}


def attach_document(application, code, upload, today=None):
    today = today or dt.date.today()
    editable(application)
    document = rules_on(today).document(application.licence_type, code)
    if document is None:
        raise PortalError("This application does not need that document", field="document")
    content, content_type, name, sha256 = upload
    submission = SubmittedEvidence(
        holder_id=application.holder_id, account_id=application.account_id, online_application_id=application.id,
        licence_id=application.renews_licence_id, requirement=code, completed_on=today, original_name=name,
        content_type=content_type, size_bytes=len(content), sha256=sha256, content=content,
    )
    db.session.add(submission)
    record(None, "online_evidence.submit", submission, holder_id=application.holder_id,
           after={"application": application.reference, "document": code, "sha256": sha256})
    return submission


def progress(application, today=None):
    """{section: complete?} for the task list, documents included."""
    today = today or dt.date.today()
    answers = application.answers or {}
    done = {section: all(answers.get(key) not in (None, "", False) for key in keys)
            for section, keys in sections_for(application.licence_type).items()}
    uploaded = documents(application)
    for document in rules_on(today).documents_for(application.licence_type):
        done[f"document:{document.code}"] = document.code in uploaded
    return done


def submit_application(application, declared, today=None, now=None):
    """Send the application: record it in the register as a new application (creating the
    holder's record when the account has none yet) or as a renewal of the holder's licence."""
    today, now = today or dt.date.today(), now or utcnow()
    editable(application)
    missing = [section for section, complete in progress(application, today).items() if not complete]
    if missing:
        raise PortalError("Finish every section before you send the application", field="declaration")
    if not declared:
        raise PortalError("Confirm the declaration to send your application", field="declaration")
    # An application sent back for more information is in the register already: it only returns.
    if application.status == OnlineApplicationStatus.DRAFT:
        try:
            (_record_renewal if application.kind == "renewal" else _record_new)(application, today)
        except RegisterError as error:
            raise PortalError(error.message, field="declaration") from error
    db.session.execute(sa.update(SubmittedEvidence).where(SubmittedEvidence.online_application_id == application.id)
                       .values(holder_id=application.holder_id, licence_id=application.licence_id))
    application.status, application.submitted_at = OnlineApplicationStatus.SUBMITTED, now
    record(None, "online_application.submit", application, holder_id=application.holder_id,
           after={"reference": application.reference, "licence_id": application.licence_id,
                  "declared": True, "has_convictions": application.answers.get("has_convictions")})
    return application


def _record_new(application, today):
    answers = application.answers
    holder = db.session.get(LicenceHolder, application.holder_id) if application.holder_id else None
    if holder is None:
        holder = create_holder(None, {
            "kind": "person", "first_name": answers["first_name"], "last_name": answers["last_name"],
            "date_of_birth": dt.date.fromisoformat(answers["date_of_birth"]), "address": answers["address"],
            "postcode": answers["postcode"], "phone": answers["phone"], "email": application.account.email,
            "dvla_licence_number": answers.get("dvla_licence_number")}, today=today)
        db.session.flush()
        account = application.account
        if account.holder_id is None:  # the applicant's own new record: nothing earlier to see
            account.holder_id, account.linked_at = holder.id, utcnow()
    vehicle = _vehicle_for(application, holder) if licence_group(application.licence_type) == "vehicle" else None
    prefix = rules_on(today).number_prefixes[application.licence_type]
    licence = apply_for_licence(None, holder, licence_type=application.licence_type,
                                licence_number=f"{prefix}-{application.id:06d}", received_on=today, today=today,
                                vehicle=vehicle, origin="online")
    db.session.flush()
    application.holder_id, application.licence_id = holder.id, licence.id
    application.application_id = licence.applications[-1].id


def _free_registration(application, registration):
    """The registration as the register writes it, refused at the field if another keeper's
    vehicle has it (the applicant's own vehicle, already in the register, may be licensed again)."""
    registration = normalise_registration(registration or "")
    if not 2 <= len(registration) <= 8:
        raise PortalError("Enter the registration of 2 to 8 letters and numbers, like AB12 CDE", field="registration")
    owner = db.session.scalar(sa.select(Vehicle.proprietor_id).where(Vehicle.registration == registration))
    if owner is not None and (application.holder_id is None or owner != application.holder_id):
        raise PortalError("This vehicle is in the register under another keeper. Contact the licensing team",
                          field="registration")
    return registration


def _vehicle_for(application, holder):
    """The vehicle a new vehicle licence is for: the holder's own, if the register has it, else a new one."""
    answers = application.answers
    registration = _free_registration(application, answers["registration"])
    vehicle = db.session.execute(sa.select(Vehicle).where(Vehicle.registration == registration,
                                                          Vehicle.proprietor_id == holder.id)).scalar_one_or_none()
    if vehicle is None:
        vehicle = create_vehicle(None, holder, {
            "registration": registration, "make": answers["make"], "model": answers["model"],
            "colour": answers.get("colour"), "seats": int(answers["seats"]),
            "wheelchair_accessible": answers.get("wheelchair_accessible") == "yes"})
        db.session.flush()
    return vehicle


def _record_renewal(application, today):
    licence = db.session.get(Licence, application.renews_licence_id)
    renewal = record_renewal(None, licence, received_on=today, version=licence.version, today=today,
                             origin="online")
    db.session.flush()
    application.licence_id, application.application_id = licence.id, renewal.id


def ask_for_more(actor, application, request_text):
    """An officer asks the applicant for more; the application opens again for them to answer."""
    request_text = (request_text or "").strip()
    if not request_text:
        raise PortalError("Say what the applicant needs to send or answer", field="request_text")
    if application.status != OnlineApplicationStatus.SUBMITTED:
        raise PortalError("Only an application with the licensing team can be sent back", field="request_text")
    application.status, application.officer_request = OnlineApplicationStatus.MORE_INFORMATION, request_text
    record(actor, "online_application.more_information", application, holder_id=application.holder_id,
           reason=request_text)
    queue_account_email(application.account, f"online:more:{application.id}:{utcnow().isoformat()}",
                        f"Your application {application.reference}: we need more from you",
                        f"{request_text}\nSign in to your account to answer and send it back.")


def possible_duplicates(application):
    """Other register records with the applicant's last name and date of birth: one person applying
    afresh under a new record must not escape the history of the old one."""
    answers = application.answers or {}
    if not answers.get("date_of_birth") or not answers.get("last_name"):
        return []
    born_that_day = db.session.execute(
        sa.select(LicenceHolder).where(LicenceHolder.date_of_birth == dt.date.fromisoformat(answers["date_of_birth"]),
                                       LicenceHolder.id != (application.holder_id or 0))
        .order_by(LicenceHolder.id).limit(500)
    ).scalars().all()
    # Compared here, not in SQL: SQLite's lower() leaves "Ż" as it is.
    wanted = answers["last_name"].strip().casefold()
    return [holder for holder in born_that_day if (holder.last_name or "").casefold() == wanted][:10]


def queue(limit=200):
    """Online applications with the licensing team, oldest first."""
    return db.session.execute(
        sa.select(OnlineApplication).where(OnlineApplication.status == OnlineApplicationStatus.SUBMITTED)
        .order_by(OnlineApplication.submitted_at, OnlineApplication.id).limit(limit)
    ).scalars().all()


def own_applications(account):
    return db.session.execute(
        sa.select(OnlineApplication).where(OnlineApplication.account_id == account.id)
        .order_by(OnlineApplication.id.desc())
    ).scalars().all()

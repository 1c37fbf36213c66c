"""The demo council's online accounts: a driver whose account is linked to their record, with
something coming due, an applicant not yet known to the register with an application half done,
and applicants whose online applications stand at each later stage (sent, paid, sent back for more
information; a vehicle and an operator application), made through the portal's own operations."""

import datetime as dt
import hashlib

import sqlalchemy as sa

from licensing.audit import record
from licensing.auth.passwords import hash_password
from licensing.compliance.evaluate import population_compliance
from licensing.extensions import db
from licensing.models import DRIVER_TYPES, Licence, LicenceStatus, Payment, PaymentStatus, PortalAccount
from licensing.models.base import utcnow

DEMO_DRIVER = "driver@example.com"
DEMO_APPLICANT = "applicant@example.com"
_ABOUT = {"address": "12 Demo Road, Exampleton", "postcode": "EX1 2DM", "phone": "07700 900456"}
_DRIVER = {"driving_licence": {"dvla_check_code": "Dm12Co34"}, "convictions": {"has_convictions": "no"},
           "dbs": {"dbs_update_service": "yes", "dbs_certificate_number": "001234567891", "dbs_consent": True}}
# (e-mail, name, licence type, stage, born, sections beyond "about you")
STAGES = [
    (DEMO_APPLICANT, "Demo Applicant", "private_hire_driver", "draft", "1990-05-14", {}),
    ("sent@example.com", "Sam Sent", "private_hire_driver", "sent", "1987-02-03", _DRIVER),
    ("paid@example.com", "Pria Paid", "hackney_carriage_driver", "paid", "1979-11-21", _DRIVER),
    ("moreinfo@example.com", "Mo Moreinfo", "private_hire_driver", "more_information", "1993-07-09", _DRIVER),
    ("proprietor@example.com", "Pat Proprietor", "private_hire_vehicle", "sent", "1975-03-30", {
        "vehicle": {"registration": "DM26ONL", "make": "Toyota", "model": "Corolla", "colour": "Silver", "seats": 4,
                    "wheelchair_accessible": "no"}}),
    ("operator@example.com", "Olu Operator", "private_hire_operator", "sent", "1968-09-12", {
        "operating_centre": {"operating_centre_address": "Unit 3, Mill Lane, Exampleton",
                             "operating_centre_postcode": "EX2 9ZZ", "trading_name": "Exampleton Cars",
                             "vehicles_expected": 12},
        "convictions": {"has_convictions": "no"}}),
]
DEMO_PDF = b"%PDF-1.4\n% a demo document\ntrailer<<>>\n%%EOF\n"


def _driver_with_something_due(today):
    """The first person holding an active driver licence with a requirement due within 60 days."""
    candidates = db.session.execute(
        sa.select(Licence.holder_id).where(Licence.status == LicenceStatus.ACTIVE,
                                           Licence.licence_type.in_(list(DRIVER_TYPES)))
        .order_by(Licence.holder_id).limit(200)
    ).scalars().all()
    statuses = population_compliance(today, candidates)
    for holder_id in candidates:
        status = statuses.get(holder_id)
        if status and status.compliant and status.due_within(60):
            return holder_id
    return candidates[0] if candidates else None


def _account(email, name, password, holder_id, now):
    """The demo account, made unless it exists; None when it existed already."""
    if db.session.execute(sa.select(PortalAccount.id).filter_by(email=email)).first() is not None:
        return None
    taken = holder_id and db.session.execute(sa.select(PortalAccount.id).filter_by(holder_id=holder_id)).first()
    account = PortalAccount(email=email, name=name, password_hash=hash_password(password), verified_at=now,
                            holder_id=None if taken else holder_id, linked_at=None if taken else now)
    db.session.add(account)
    db.session.flush()
    record(None, "online_account.demo_created", account)
    return account


def _application_at(account, licence_type, stage, born, sections, today):
    """An application taken to `stage` through the portal's operations, as an applicant would."""
    from licensing.policy.online_applications import rules_on
    from licensing.portal import applications
    from licensing.portal.payments import fee_for

    first, last = account.name.split(" ", 1)
    application = applications.start_application(account, licence_type)
    db.session.flush()
    applications.save_section(application, "about_you", {
        "first_name": first, "last_name": last, "date_of_birth": born, **_ABOUT}, today=today)
    if stage == "draft":
        return application
    # A driving licence number of the DVLA's shape: surname, birth decade, month, day, year, initial.
    number = f"{(last.upper() + '99999')[:5]}{born[2]}{born[5:7]}{born[8:10]}{born[3]}{first[0].upper()}99DM"
    for section, values in sections.items():
        if section == "driving_licence":
            values = {**values, "dvla_licence_number": number}
        applications.save_section(application, section, values, today=today)
    for document in rules_on(today).documents_for(licence_type):
        applications.attach_document(application, document.code, (
            DEMO_PDF, "application/pdf", f"{document.code}.pdf", hashlib.sha256(DEMO_PDF).hexdigest()), today=today)
    applications.submit_application(application, declared=True, today=today)
    if stage == "paid":  # as the payment service's success answer records it
        amount, edition = fee_for(application, today)
        payment = Payment(online_application_id=application.id, licence_application_id=application.application_id,
                          holder_id=application.holder_id, account_id=account.id, amount_pence=amount,
                          description=f"Fee for {application.reference}", fee_edition=edition,
                          provider="fake", provider_payment_id=f"demo-{application.id}", status=PaymentStatus.SUCCESS,
                          paid_at=utcnow())
        db.session.add(payment)
        db.session.flush()
        record(None, "payment.demo_paid", payment, holder_id=application.holder_id)
    elif stage == "more_information":
        applications.ask_for_more(None, application, "Your DBS certificate photo is blurred: please upload it again.")
    return application


def ensure_demo_online_accounts(password, today=None):
    """Create the demo holder accounts that do not exist yet, with their applications; return their logins."""
    today = today or dt.date.today()
    now = utcnow()
    _account(DEMO_DRIVER, "Demo Driver", password, _driver_with_something_due(today), now)
    logins = [("holder", DEMO_DRIVER, password)]
    for email, name, licence_type, stage, born, sections in STAGES:
        account = _account(email, name, password, None, now)
        if account is not None:
            _application_at(account, licence_type, stage, born, sections, today)
        logins.append((stage.replace("_", " "), email, password))
    return logins

"""Building register data for tests through the register's own operations."""

import datetime as dt

import sqlalchemy as sa

from licensing.extensions import db
from licensing.holders.operations.holders import create_holder, create_vehicle, record_check
from licensing.holders.operations.licences import apply_for_licence
from licensing.models import User
from licensing.policy.requirements import required_check_kinds

TODAY = dt.date.today()
RESULTS = {"dbs_enhanced": "clear", "dbs_basic": "clear", "dbs_update_service": "clear", "nr3s_search": "no_match"}


def user(email):
    return db.session.execute(sa.select(User).filter_by(email=email)).scalar_one()


def person(actor, last_name="Driver", born=dt.date(1980, 5, 17), **extra):
    data = {"kind": "person", "first_name": "Dana", "last_name": last_name, "date_of_birth": born, **extra}
    return create_holder(actor, data)


def organisation(actor, name="Acme Cars Ltd"):
    return create_holder(actor, {"kind": "organisation", "organisation_name": name})


def vehicle(actor, holder, registration="AB12 CDE", plate="P001"):
    return create_vehicle(actor, holder, {
        "registration": registration, "make": "Skoda", "model": "Octavia", "colour": "Silver", "seats": 4,
        "plate_number": plate,
    })


def add_check(actor, holder, kind, completed_on=None, expires_on=None, licence=None, result=None):
    return record_check(actor, holder, {
        "kind": kind, "result": result or RESULTS.get(kind, "pass"),
        "completed_on": completed_on or TODAY - dt.timedelta(days=10),
        "expires_on": expires_on, "licence_id": licence.id if licence else None, "reference": "REF1",
    })


def add_required_checks(actor, licence, skip=()):
    """Record every check the policy requires for this licence, current today."""
    for kind in required_check_kinds(licence.licence_type, TODAY):
        if kind in skip:
            continue
        expires = None if kind in ("nr3s_search", "right_to_work") else TODAY + dt.timedelta(days=365)
        on_licence = licence if licence.licence_type.is_vehicle else None
        add_check(actor, licence.holder, kind, expires_on=expires, licence=on_licence)


def driver_application(actor, holder, number="DL0001", licence_type="private_hire_driver"):
    return apply_for_licence(actor, holder, licence_type=licence_type, licence_number=number,
                             received_on=TODAY - dt.timedelta(days=5))


def date_parts(value):
    return [str(value.day), str(value.month), str(value.year)]


def field_error(html, field):
    """The error message GOV.UK Frontend shows at a field, or None."""
    import html as html_lib
    import re

    match = re.search(rf'id="{re.escape(field)}-error"[^>]*>(.*?)</p>', html, re.S)
    if match is None:
        return None
    text = re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "")
    return html_lib.unescape(" ".join(text.split()))

"""API test helpers: clients created through the operations, and a grantable driver licence."""

import datetime as dt

from licensing.api.operations import create_client
from licensing.extensions import db
from licensing.holders.operations.licences import change_status, decide_application, pending_application
from tests.support import register
from tests.support.register import TODAY

ALL_SCOPES = ("validity:read", "register:read", "applications:write")


def client_token(actor, scopes=ALL_SCOPES, name="Council CRM", webhook_url=None):
    client, token, secret = create_client(actor, name, scopes, webhook_url)
    db.session.commit()
    return client, token, secret


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def granted_driver(officer, number="DL0001", last_name="Driver", badge=None):
    holder = register.person(officer, last_name=last_name, address="1 High Street", postcode="AB1 2CD")
    licence = register.driver_application(officer, holder, number=number)
    if badge:
        licence.badge_number = badge
    register.add_required_checks(officer, licence)
    decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                       decided_on=TODAY, reasons="Checks complete", version=licence.version,
                       expires_on=TODAY + dt.timedelta(days=3 * 365))
    db.session.commit()
    return licence


def suspend(officer, licence):
    change_status(officer, licence, "suspended", "Medical overdue")
    db.session.commit()

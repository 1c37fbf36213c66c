"""Online accounts for tests, made through the real pages; e-mails read from the outbox."""

import re

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import OutboundEmail, PortalAccount

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - test only


def last_email(app, email):
    with app.app_context():
        message = db.session.execute(
            sa.select(OutboundEmail).where(OutboundEmail.to_address == email).order_by(OutboundEmail.id.desc())
        ).scalars().first()
        return None if message is None else (message.subject, message.body)


def link_in(body):
    return re.search(r"http://localhost(/account/\S+)", body).group(1)


def code_in(body):
    return re.search(r"\b(\d{6})\b", body).group(1)


def create_account(client, email, name="Dana Driver", password=PASSWORD):
    """Sign up and confirm the address through its e-mailed link."""
    response = client.post("/account/create", data={"name": name, "email": email, "password": password,
                                                     "confirm": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    _subject, body = last_email(client.application, email)
    assert client.get(link_in(body)).status_code == 302


def sign_in(client, email, password=PASSWORD):
    """Password, then the e-mailed code (when the app asks for one)."""
    response = client.post("/account/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    if response.location.endswith("/account/sign-in/code"):
        _subject, body = last_email(client.application, email)
        response = client.post("/account/sign-in/code", data={"code": code_in(body)})
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return response


def account(app, email):
    with app.app_context():
        return db.session.execute(sa.select(PortalAccount).filter_by(email=email)).scalar_one()

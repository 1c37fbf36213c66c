"""Online accounts for tests, made through the real pages; e-mails read from the outbox."""

import datetime as dt
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


def linked_holder(app, officer_email, ref, email):
    """A holder with an active private hire driver licence (its checks not yet recorded), and a
    signed-in client for the holder's account, linked by an officer's code."""
    from licensing.models import LicenceHolder
    from licensing.portal.operations import issue_holder_link_code, link_account
    from tests.support import register
    from tests.support.reviews import holder

    with app.app_context():
        person = holder(ref)
        secret, _link = issue_holder_link_code(register.user(officer_email), db.session.get(LicenceHolder, person.id))
        db.session.commit()
        person_id = person.id
    client = app.test_client()
    create_account(client, email)
    sign_in(client, email)
    with app.app_context():
        link_account(db.session.execute(sa.select(PortalAccount).filter_by(email=email)).scalar_one(), secret)
        db.session.commit()
    return client, person_id


def jpeg_with_metadata():
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "SecretCam Ltd"  # Make
    exif[0x9003] = "2026:11:30 10:00:00"  # DateTimeOriginal
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def sample_route_args(app, holder_id):
    """An online account for the holder and a document it sent, for the access matrix."""
    import hashlib

    from licensing.models import SubmittedEvidence

    with app.app_context():
        account = PortalAccount(email=f"matrix{holder_id}@example.com", name="Matrix Holder", password_hash="x",
                                holder_id=holder_id)
        db.session.add(account)
        db.session.flush()
        content = b"%PDF-1.4 sample"
        submission = SubmittedEvidence(holder_id=holder_id, account_id=account.id, requirement="dvla",
                                       completed_on=dt.date.today(), original_name="dvla.pdf",
                                       content_type="application/pdf", size_bytes=len(content),
                                       sha256=hashlib.sha256(content).hexdigest(), content=content)
        db.session.add(submission)
        from licensing.models import OnlineApplication

        application = OnlineApplication(account_id=account.id, licence_type="private_hire_driver", kind="new",
                                        holder_id=holder_id, answers={"first_name": "Matrix", "last_name": "Holder"})
        db.session.add(application)
        db.session.flush()
        from licensing.models import Payment

        payment = Payment(online_application_id=application.id, holder_id=holder_id, account_id=account.id,
                          amount_pence=25000, description="Fee", fee_edition="2026-04", provider="fake")
        db.session.add(payment)
        db.session.commit()
        return {"submission_id": submission.id, "application_id": application.id, "payment_id": payment.id}


class FakePayServer:
    """The local fake payment service on a loopback port of its own, as the app calls GOV.UK Pay."""

    def __init__(self):
        import threading

        from flask import Flask
        from werkzeug.serving import make_server

        from licensing.portal.fake_pay import bp

        fake = Flask("fake_pay")
        fake.register_blueprint(bp)
        self.server = make_server("127.0.0.1", 0, fake, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/fake-pay"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()


def pay_on_fake_page(client_of_fake, next_url, outcome="pay"):
    """What the payer does on the payment page: returns the return URL it sends them back to."""
    import urllib.error
    import urllib.parse
    import urllib.request

    with urllib.request.urlopen(next_url) as page:  # noqa: S310 - the loopback fake
        assert b"Test payment service" in page.read()
    data = urllib.parse.urlencode({"outcome": outcome}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(next_url, data=data, method="POST"))  # noqa: S310 - the loopback fake
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Location"]
    raise AssertionError("the payment page did not send the payer back")


def pay_online(client, application_id, outcome="pay"):
    """The applicant pays the application's fee (or cancels): the page they come back to."""
    from urllib.parse import urlsplit

    response = client.post(f"/account/applications/{application_id}/pay")
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert "/fake-pay/pay/" in response.location
    back = pay_on_fake_page(None, response.location, outcome)
    return client.get(urlsplit(back).path)

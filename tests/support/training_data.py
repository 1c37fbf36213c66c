"""Builders for training and compliance tests (inside an app context)."""

import datetime as dt
import email
import email.policy
import json
import socket
import threading

from aiosmtpd.controller import Controller

from licensing.extensions import db
from licensing.models import (
    CheckKind,
    CheckResult,
    ComplianceCheck,
    CourseKind,
    HolderKind,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
)
from licensing.policy.requirements import DATA_FILE
from licensing.training.operations import create_course, create_session


def make_driver(ref, *, issued_on, expires_on, email=None, dob=dt.date(1980, 6, 1),
                licence_type=LicenceType.PRIVATE_HIRE_DRIVER, status=LicenceStatus.ACTIVE):
    holder = LicenceHolder(holder_ref=ref, kind=HolderKind.PERSON, first_name="Sam", last_name=f"Driver {ref}",
                           date_of_birth=dob, email=email or f"{ref.lower()}@drivers.example", address="1 High St")
    db.session.add(holder)
    db.session.flush()
    licence = Licence(licence_number=f"L-{ref}", holder_id=holder.id, licence_type=licence_type,
                      status=status, issued_on=issued_on, expires_on=expires_on)
    db.session.add(licence)
    db.session.flush()
    return holder, licence


def add_check(holder, kind, completed_on, expires_on=None, result=CheckResult.PASS):
    check = ComplianceCheck(holder_id=holder.id, kind=CheckKind(kind), completed_on=completed_on,
                            expires_on=expires_on, result=result)
    db.session.add(check)
    db.session.flush()
    return check


def safeguarding_session(actor, held_on, capacity=10):
    course = create_course(actor, code=f"SG-{held_on.isoformat()}", title="Safeguarding children and vulnerable adults",
                           kind=CourseKind.SAFEGUARDING, satisfies="safeguarding_training", validity_months=36)
    return create_session(actor, course=course, held_on=held_on, venue="Town Hall", capacity=capacity,
                          trainer="A Trainer")


def write_policy(tmp_path, ongoing, rules, effective_from="2015-07-07", extra_editions=()):
    """A policy file with one edition (plus `extra_editions`), keeping the grant requirements."""
    base = json.loads(DATA_FILE.read_text())["editions"][0]
    editions = [dict(base, edition="test", effective_from=effective_from, ongoing=ongoing, rules=rules)]
    editions += list(extra_editions)
    path = tmp_path / "requirements.json"
    path.write_text(json.dumps({"editions": editions}))
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Collects messages received by the local SMTP server."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"

    def subjects_for(self, address):
        return [str(email.message_from_string(content, policy=email.policy.default)["Subject"])
                for rcpts, content in self.messages if address in rcpts]


def start_smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox


def sample_training_records(today=None):
    """One of each training record for the route-walking tests: {url argument: id}."""
    from licensing.models import Role, User
    from licensing.training.operations import book
    from licensing.training.suspensions import confirm_suspensions, propose_suspensions

    today = today or dt.date.today()
    officer = User(email="records-officer@test.example.gov.uk", name="Records Officer", role=Role.OFFICER,
                   password_hash="x")
    db.session.add(officer)
    holder, licence = make_driver("R1", issued_on=today - dt.timedelta(days=200),
                                  expires_on=today + dt.timedelta(days=900))
    session = safeguarding_session(officer, today)
    booking = book(officer, session.id, holder.id)
    propose_suspensions(today, holder_ids=[holder.id])
    from licensing.models import SuspensionProposal

    proposal = db.session.query(SuspensionProposal).filter_by(licence_id=licence.id).one()
    confirm_suspensions(officer, [proposal.id], "Checks overdue", today)
    db.session.commit()
    return {"session_id": session.id, "booking_id": booking.id, "proposal_id": proposal.id, "holder_id": holder.id}

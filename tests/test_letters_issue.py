"""One way to issue a letter and one constructor of an enforcement action: every notice is an
issued letter with its hash, e-mailed to a holder who has an address, and every action is taken
through `licensing.revocations.operations.take_action`."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app

import licensing
from licensing.extensions import db
from licensing.hearings import decisions
from licensing.hearings import operations as hearing_ops
from licensing.letters.issue import find_letter_email
from licensing.models import (
    AuditEvent,
    EmailStatus,
    EnforcementAction,
    IssuedLetter,
    LicenceStatus,
    OutboundEmail,
    SuspensionProposal,
)
from licensing.revocations.errors import RevocationError
from licensing.revocations.immediate import take_immediate_action
from licensing.training.suspensions import NOTICE_KIND, notice_pdf
from tests.support import reviews as build
from tests.support.hearings import TODAY, awaiting_case, hearing, staff
from tests.support.people import authoriser_for
from tests.support.training_data import sample_training_records

PACKAGE = Path(licensing.__file__).parent


def _constructing(name):
    """Modules of the package that call `name(` (its class statement aside)."""
    call = re.compile(rf"(?<!class )\b{name}\(")
    return sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                  if call.search(path.read_text(encoding="utf-8")))


def test_only_take_action_constructs_an_enforcement_action():
    assert _constructing("EnforcementAction") == ["revocations/operations.py"]
    source = (PACKAGE / "revocations" / "operations.py").read_text(encoding="utf-8")
    assert len(re.findall(r"\bEnforcementAction\(", source)) == 1


def test_only_issue_letter_constructs_an_issued_letter():
    assert _constructing("IssuedLetter") == ["letters/issue.py"]


def test_an_officers_immediate_notice_is_queued_as_email_like_hearing_letters(ctx, users):
    officer = build.user(users["officer"])
    holder = build.holder("EM9")
    holder.email = "driver.em9@example.com"
    action = take_immediate_action(officer, holder.licences[0], "suspension", grounds="Arrested",
                                   public_safety_reason="Risk to passengers", police_information=True,
                                   authorised_by_id=authoriser_for(officer).id, today=dt.date(2026, 3, 2),
                                   suspension_to=dt.date(2026, 4, 1))
    db.session.commit()
    letter = db.session.execute(sa.select(IssuedLetter).filter_by(action_id=action.id)).scalar_one()
    assert letter.sha256 == hashlib.sha256(letter.content).hexdigest()
    message = find_letter_email(letter)
    assert message is not None and message.status == EmailStatus.QUEUED
    assert (message.to_address, message.letter_id, message.holder_id) == (holder.email, letter.id, holder.id)
    assert message.subject == "Your licence is suspended with immediate effect"
    assert letter.filename in message.body
    queued = db.session.scalars(sa.select(AuditEvent).filter_by(action="letter.email_queued")).all()
    assert [e.entity_id for e in queued] == [letter.id]


def test_an_immediate_notice_to_a_holder_without_an_address_is_not_queued(ctx, users):
    officer = build.user(users["officer"])
    action = take_immediate_action(officer, build.holder("EM8").licences[0], "revocation", grounds="Arrested",
                                   public_safety_reason="Risk", police_information=False,
                                   authorised_by_id=authoriser_for(officer).id, today=dt.date(2026, 3, 2))
    db.session.commit()
    assert find_letter_email(action.letters[0]) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboundEmail)) == 0


def test_the_suspension_until_compliant_notice_is_an_issued_letter_with_its_hash(ctx):
    ids = sample_training_records()
    proposal = db.session.get(SuspensionProposal, ids["proposal_id"])
    letter = db.session.execute(sa.select(IssuedLetter).filter_by(kind=NOTICE_KIND)).scalar_one()
    assert letter.holder_id == proposal.holder_id and letter.filename == f"suspension-{proposal.id}.pdf"
    assert letter.sha256 == hashlib.sha256(letter.content).hexdigest()
    assert letter.content.startswith(b"%PDF") and notice_pdf(proposal) == letter.content
    issued = db.session.execute(sa.select(AuditEvent).filter_by(action="letter.issued", entity_id=letter.id)
                                ).scalar_one()
    assert issued.after["sha256"] == letter.sha256
    assert find_letter_email(letter) is None  # sent by post, as before
    # The notice belongs to the suspension's enforcement action; the licence is in force meanwhile.
    assert letter.action_id == proposal.action_id is not None
    assert proposal.licence.status == LicenceStatus.ACTIVE


def test_a_hearing_cannot_give_immediate_effect_that_would_not_move_the_licence(ctx, users):
    """An officer's interim suspension, then a hearing's immediate suspension: refused by the one
    constructor of actions at the field (the licence is already suspended)."""
    current_app.config["ALLOW_INTERIM_SUSPENSION"] = True
    officer, chair = staff("officer", "imm-officer@x.gov.uk"), staff("panel", "imm-chair@x.gov.uk")
    case = awaiting_case(officer, "IM1")
    licence = case.licences[0]
    take_immediate_action(officer, licence, "suspension", grounds="Arrested", public_safety_reason="Risk",
                          police_information=True,
                          authorised_by_id=authoriser_for(officer).id, interim_pending_hearing=True,
                          case=case, today=TODAY)
    listing = hearing_ops.list_case(officer, hearing(officer, chair), case, today=TODAY)
    db.session.commit()
    with pytest.raises(RevocationError, match="cannot be given an immediate suspension") as refused:
        decisions.record_decision(officer, listing, outcome="suspend", reasons="Proved", decided_by=chair,
                                  immediate=True, public_safety_reason="Risk", suspension_to=dt.date(2026, 9, 1))
    assert refused.value.field == "immediate"
    db.session.rollback()
    assert licence.status == LicenceStatus.SUSPENDED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EnforcementAction)) == 1
    revoked = decisions.record_decision(officer, listing, outcome="revoke", reasons="Proved", decided_by=chair,
                                        immediate=True, public_safety_reason="Risk")
    assert licence.status == LicenceStatus.REVOKED and revoked.action.immediate

"""Holders see only their own records: two linked holders try each other's ids on every holder
route that takes one, and every attempt is refused (404) and audited."""

import re

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, Licence, LicenceStatus, LicenceType, PortalAccount, SubmittedEvidence
from licensing.permissions import HOLDER
from licensing.portal.operations import issue_holder_link_code, link_account
from tests.support import register
from tests.support.portal import account, create_account, sign_in
from tests.support.reviews import holder

LICENCES_EACH = 110


def _linked_holder(app, officer_email, ref, email):
    """A holder with LICENCES_EACH licences, and a signed-in client for their linked account."""
    with app.app_context():
        person = holder(ref)
        for n in range(LICENCES_EACH - 1):
            db.session.add(Licence(licence_number=f"L-{ref}-{n}", holder_id=person.id, status=LicenceStatus.ACTIVE,
                                   licence_type=LicenceType.PRIVATE_HIRE_VEHICLE))
        secret, _link = issue_holder_link_code(register.user(officer_email), person)
        db.session.commit()
        person_id = person.id
    client = app.test_client()
    create_account(client, email)
    sign_in(client, email)
    with app.app_context():
        link_account(db.session.get(PortalAccount, account(app, email).id), secret)
        db.session.commit()
        ids = db.session.execute(sa.select(Licence.id).filter_by(holder_id=person_id)).scalars().all()
    return client, ids


def _sent_document(app, client, licence_id):
    from tests.test_portal_evidence import _send

    assert _send(client, licence_id).status_code == 302
    with app.app_context():
        return db.session.execute(sa.select(sa.func.max(SubmittedEvidence.id))).scalar_one()


SAMPLES = {"requirement": "medical_group2", "section": "about-you", "code": "photo", "payment_id": 1}


# Training is booked for a requirement some course satisfies (the test adds one).
BY_ENDPOINT = {"portal_evidence.book": {"requirement": "safeguarding_training"}}


def _course(app, officer_email):
    import datetime as dt

    from licensing.training.operations import create_course, create_session

    with app.app_context():
        officer = register.user(officer_email)
        course = create_course(officer, code="SG-M", title="Safeguarding", kind="safeguarding",
                               satisfies="safeguarding_training", validity_months=36)
        db.session.flush()
        create_session(officer, course=course, held_on=dt.date.today() + dt.timedelta(days=9), venue="Hall",
                       capacity=20, trainer="T")
        db.session.commit()


def _application(client):
    response = client.post("/account/apply", data={"choice": "private_hire_driver"})
    return int(re.search(r"/applications/(\d+)", response.location).group(1))


def _fill(rule, ids):
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def _holder_routes_with_ids(app):
    return [rule for rule in app.url_map.iter_rules()
            if getattr(app.view_functions[rule.endpoint], "access_rule", None) == HOLDER and "<int:" in rule.rule]


def test_no_holder_reaches_another_holders_records(app, users):
    alice, alice_ids = _linked_holder(app, users["officer"], "A-1", "alice@example.com")
    bob, bob_ids = _linked_holder(app, users["officer"], "B-1", "bob@example.com")
    _course(app, users["officer"])
    # Each holder's records by route parameter: every licence, and one document sent online.
    records = {
        "alice": {"licence_id": alice_ids, "submission_id": [_sent_document(app, alice, alice_ids[0])],
                  "application_id": [_application(alice)]},
        "bob": {"licence_id": bob_ids, "submission_id": [_sent_document(app, bob, bob_ids[0])],
                "application_id": [_application(bob)]},
    }
    routes = _holder_routes_with_ids(app)
    assert {rule.endpoint for rule in routes} >= {"portal.licence", "portal_evidence.send", "portal_evidence.sent",
                                                  "portal_apply.tasks", "portal_apply.section", "portal_apply.check",
                                                  "portal_apply.pay", "portal_apply.payment", "portal_evidence.book"}
    attempts = succeeded = 0
    for rule in routes:
        method = "GET" if "GET" in rule.methods else "POST"
        for client, own, other in ((alice, records["alice"], records["bob"]), (bob, records["bob"], records["alice"])):
            mine = {name: ids[0] for name, ids in own.items()} | SAMPLES | BY_ENDPOINT.get(rule.endpoint, {})
            if method == "GET" and "<int:payment_id>" not in rule.rule:  # a draft has no payment yet
                assert client.get(_fill(rule, mine)).status_code == 200, rule.rule
            name = next(n for n in own if f"<int:{n}>" in rule.rule)
            for other_id in other[name]:
                response = client.open(_fill(rule, mine | {name: other_id}), method=method)
                attempts += 1
                succeeded += response.status_code != 404
    assert attempts >= 200 and succeeded == 0
    with app.app_context():
        denied = db.session.execute(sa.select(sa.func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.action == "access.denied",
                                           AuditEvent.entity_type == "portal_accounts")).scalar_one()
    assert denied == attempts


def test_an_unlinked_account_sees_no_record(app, users):
    _alice, alice_ids = _linked_holder(app, users["officer"], "A-2", "alice2@example.com")
    stranger = app.test_client()
    create_account(stranger, "stranger@example.com")
    sign_in(stranger, "stranger@example.com")
    for licence_id in alice_ids[:10]:
        assert stranger.get(f"/account/licences/{licence_id}").status_code == 404

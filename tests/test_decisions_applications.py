"""Every decision on an application goes one way, whoever decides it: the officer's page and the
hearing both close the application, and each grant or refusal has its notice with the power, the
court and the last day to appeal from the statutory rule table (legal review L9, L10, N1, G5)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.decisions.operations import decide_application
from licensing.extensions import db
from licensing.holders.operations.licences import apply_for_licence, pending_application, record_renewal
from licensing.models import (
    ApplicationOutcome,
    EnforcementAction,
    IssuedLetter,
    Licence,
    LicenceStatus,
    LicenceType,
    Nr3sEntry,
)
from licensing.policy.service import deemed_served_on
from licensing.policy.statutory import rule_for
from licensing.policy.terms import standard_expiry
from licensing.text import govuk_date
from tests.conftest import login
from tests.support import register
from tests.support.pdf import pdf_text
from tests.support.register import TODAY, date_parts, field_error

TYPES = [t.value for t in LicenceType]


def _application(officer, licence_type, number, renewal=False):
    holder = register.person(officer, last_name=f"Applicant{number}")
    vehicle = register.vehicle(officer, holder, registration=f"AB{number[-2:]} CDE", plate=f"P{number}") \
        if LicenceType(licence_type).is_vehicle else None
    licence = apply_for_licence(officer, holder, licence_type=licence_type, licence_number=number,
                                received_on=TODAY - dt.timedelta(days=30), vehicle=vehicle)
    register.add_required_checks(officer, licence)
    if renewal:
        decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                           decided_on=TODAY - dt.timedelta(days=5), reasons="Granted", issue_notice=False)
        record_renewal(officer, licence, received_on=TODAY - dt.timedelta(days=2), version=licence.version)
    db.session.commit()
    return licence.id


def _decide_on_page(client, licence_id, outcome, **extra):
    page = client.get(f"/holders/licences/{licence_id}/decision")
    assert page.status_code == 200
    data = {"version": extra.pop("version", None) or _version(client, licence_id), "outcome": outcome,
            "decided_on": date_parts(TODAY), "reasons": "Considered the application and the evidence",
            "service_method": "first_class_post", "notice_date": date_parts(TODAY), **extra}
    return client.post(f"/holders/licences/{licence_id}/decision", data=data)


def _version(client, licence_id):
    with client.application.app_context():
        return str(db.session.get(Licence, licence_id).version)


def _latest_letter(licence_id):
    licence = db.session.get(Licence, licence_id)
    return db.session.execute(sa.select(IssuedLetter).where(IssuedLetter.holder_id == licence.holder_id)
                              .order_by(IssuedLetter.id.desc())).scalars().first()


@pytest.mark.parametrize("licence_type", TYPES)
@pytest.mark.parametrize("decision", ["grant", "refuse_new", "refuse_renewal"])
def test_every_application_decision_row_through_the_page(app, client, users, licence_type, decision):
    renewal = decision == "refuse_renewal"
    with app.app_context():
        licence_id = _application(register.user(users["officer"]), licence_type, "RT0001", renewal=renewal)
    login(client, users["officer"])
    outcome = "granted" if decision == "grant" else "refused"
    extra = {"expires_on": date_parts(standard_expiry(licence_type, TODAY))} if outcome == "granted" else {}
    response = _decide_on_page(client, licence_id, outcome, **extra)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    rule = rule_for(licence_type, decision)
    served = deemed_served_on("first_class_post", TODAY)
    with app.app_context():
        letter = _latest_letter(licence_id)
        text = pdf_text(letter.content)
        licence = db.session.get(Licence, licence_id)
        assert rule.power in text, text
        assert f"treated as served on {govuk_date(served)}" in text
        if rule.court_name:
            assert f"to {rule.court_name}. The last day to appeal is {govuk_date(served + dt.timedelta(days=21))}" \
                in text, text
        else:
            assert "appeal" not in text.lower()
        assert "Example Borough Council licensing team" in text and "Telephone:" in text
        application = licence.applications[-1]
        assert application.outcome == ApplicationOutcome(outcome)
        if decision == "grant":
            assert licence.status == LicenceStatus.ACTIVE
            assert f"until {govuk_date(standard_expiry(licence_type, TODAY))}" in text
        elif decision == "refuse_new":
            assert licence.status == LicenceStatus.REFUSED and "No licence is granted" in text
        else:
            assert licence.status == LicenceStatus.ACTIVE and "section 77(2)" in text
        if outcome == "refused":
            action = db.session.execute(sa.select(EnforcementAction).filter_by(application_id=application.id)
                                        ).scalar_one()
            assert action.decision == decision and action.served_on == served
            assert action.appeals == [] and letter.action_id == action.id


def test_a_driver_refused_on_safeguarding_grounds_gets_an_nr3s_task_and_is_told(app, client, users):
    with app.app_context():
        licence_id = _application(register.user(users["officer"]), "private_hire_driver", "NR0001")
    login(client, users["officer"])
    response = _decide_on_page(client, licence_id, "refused", safeguarding_or_road_safety="y",
                               reasons="Undisclosed conviction for a sexual offence")
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.execute(sa.select(Nr3sEntry)).scalar_one()
        assert entry.action.decision == "refuse_new"
        text = pdf_text(_latest_letter(licence_id).content)
        assert "national register of refusals, revocations and suspensions (NR3S)" in text


def test_a_refusal_not_on_those_grounds_prints_no_register_sentence(app, client, users):
    with app.app_context():
        licence_id = _application(register.user(users["officer"]), "private_hire_driver", "NR0002")
    login(client, users["officer"])
    assert _decide_on_page(client, licence_id, "refused").status_code == 302
    with app.app_context():
        assert db.session.execute(sa.select(Nr3sEntry)).first() is None
        assert "NR3S" not in pdf_text(_latest_letter(licence_id).content)


def test_a_driver_licence_cannot_be_granted_for_nine_years(app, client, users):
    with app.app_context():
        licence_id = _application(register.user(users["officer"]), "private_hire_driver", "TM0001")
    login(client, users["officer"])
    page = _decide_on_page(client, licence_id, "granted",
                           expires_on=date_parts(TODAY + dt.timedelta(days=9 * 365))).get_data(as_text=True)
    latest = standard_expiry("private_hire_driver", TODAY)
    assert field_error(page, "expires_on").startswith(f"The expiry date can be no later than {govuk_date(latest)}")
    assert "s.53" in field_error(page, "expires_on")
    with app.app_context():
        assert db.session.get(Licence, licence_id).status == LicenceStatus.APPLIED


def test_no_licence_runs_past_the_right_to_work(app, client, users):
    ends = TODAY + dt.timedelta(days=200)
    with app.app_context():
        officer = register.user(users["officer"])
        licence_id = _application(officer, "private_hire_driver", "TM0002")
        licence = db.session.get(Licence, licence_id)
        register.add_check(officer, licence.holder, "right_to_work", expires_on=ends)
        db.session.commit()
    login(client, users["officer"])
    page = client.get(f"/holders/licences/{licence_id}/decision").get_data(as_text=True)
    assert f'value="{ends.day}"' in page  # the proposed expiry is the right-to-work end
    html = _decide_on_page(client, licence_id, "granted",
                           expires_on=date_parts(ends + dt.timedelta(days=1))).get_data(as_text=True)
    assert "the holder's right to work ends on" in field_error(html, "expires_on")
    assert _decide_on_page(client, licence_id, "granted", expires_on=date_parts(ends)).status_code == 302


def test_the_officer_decides_as_themselves_never_as_a_hearing(app, client, users):
    with app.app_context():
        licence_id = _application(register.user(users["officer"]), "private_hire_driver", "CP0001")
    login(client, users["officer"])
    _decide_on_page(client, licence_id, "deferred", capacity="hearing")
    with app.app_context():
        application = db.session.get(Licence, licence_id).applications[-1]
        assert application.outcome == ApplicationOutcome.DEFERRED
        assert application.capacity.value == "delegated_officer"
        assert application.decided_by.email == users["officer"]


def test_a_deferral_stays_a_deferral_in_its_period_when_the_application_is_later_granted(ctx, users):
    from licensing.models import RecordedApplicationDecision
    from licensing.reports.statistics import FIGURES

    officer = register.user(users["officer"])
    licence_id = _application(officer, "private_hire_driver", "DF0001")
    licence = db.session.get(Licence, licence_id)
    deferred_on, granted_on = TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=2)
    decide_application(officer, pending_application(licence), outcome="deferred", capacity="delegated_officer",
                       decided_on=deferred_on, reasons="Waiting for the medical")
    decide_application(officer, pending_application(licence), outcome="granted", capacity="delegated_officer",
                       decided_on=granted_on, reasons="Medical received", issue_notice=False)
    db.session.flush()
    figures = {f.key: f for f in FIGURES}

    def count(key, start, end):
        return len(db.session.execute(figures[key].records(start, end)).all())

    first = (deferred_on - dt.timedelta(days=1), deferred_on + dt.timedelta(days=1))
    second = (granted_on - dt.timedelta(days=1), granted_on)
    assert (count("applications.deferred", *first), count("applications.granted", *first)) == (1, 0)
    assert (count("applications.deferred", *second), count("applications.granted", *second)) == (0, 1)
    assert count("applications.decided", first[0], second[1]) == 2
    history = db.session.execute(sa.select(RecordedApplicationDecision.outcome, RecordedApplicationDecision.decided_on)
                                 .order_by(RecordedApplicationDecision.id)).all()
    assert [tuple(row) for row in history] == [("deferred", deferred_on), ("granted", granted_on)]

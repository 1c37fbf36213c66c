"""Every form, submitted empty, says what is wrong the GOV.UK way: the page title starts with
"Error:", the error summary lists each problem linked to its field, and no message is one of the
form library's defaults that names no field ("This field is required.")."""

import re

from licensing.models import Role
from licensing.permissions import AUTHENTICATED, PUBLIC, roles_granted
from tests.conftest import login
from tests.test_access import _routes, _sample_records, _url

LIBRARY_DEFAULTS = re.compile(
    r"This field is required\.|Not a valid (integer|decimal|float|choice|date)|Field cannot be longer than"
    r"|Field must be (at least|between)|Number must be|Invalid (email|input|Choice)|is not a valid choice")
# Posts whose empty submission is not a form left blank: buttons that carry their own values (a
# browser always sends them), steps of signing in (the test is signed in already), and pages whose
# sample record has nothing to decide. Each is covered where it matters by its own tests.
EXEMPT = {
    "auth.logout_view": "a button: signing out needs no answer",
    "auth.login": "signed in already: sent home",
    "auth.two_factor": "a step of signing in",
    "auth.enrol": "a step of signing in",
    "hearings.publish": "a button: publishing needs no answer",
    "hearings.email_letter": "a button: e-mailing a letter needs no answer",
    "hearings.order": "an up or down button whose direction the page sends",
    "holders.edit_holder": "an empty post keeps the record as it is (every field is sent by the page)",
    "reviews.assess": "blank means today: the assessment runs",
    "reviews.document_flags": "tick boxes: none ticked is an answer",
    "reviews.report": "an empty officer's report is saved as a draft",
    "reviews.check_case": "a button: opening a case from a check needs no answer",
    "reviews.complaint_case": "a button: opening a case from a complaint needs no answer",
    "training.cancel": "a button: cancelling a booking needs no answer",
    "safeguarding.subject_access_item": "the sample request has no item to review",
    "decisions.decide": "the sample licence has no pending application (tested below with one)",
    "online_accounts.issue_code": "a button: issuing an account code needs no answer",
    "reports.request_export": "a button whose report and format the page sends",
    "integrations.notify_receipt": "GOV.UK Notify's callback, answered only with its token",
    "portal.sign_in_code": "a step of signing in to the holder's service",
    "portal.reset_password": "the sample link is not a real one: its expired page is shown",
}
ROLE_USERS = {Role.OFFICER: "officer", Role.PANEL: "panel", Role.MANAGER: "manager", Role.ADMIN: "admin"}


def _poster(app, access):
    """A role that may post to the route: the officer first, then whoever holds the permission."""
    if access in (PUBLIC, AUTHENTICATED):
        return "officer"
    for role in (Role.OFFICER, Role.ADMIN, Role.MANAGER, Role.PANEL):
        if role in roles_granted(access):
            return ROLE_USERS[role]
    return None


def _summary_problems(html):
    problems = []
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    messages = [" ".join(re.sub(r"<[^>]+>", " ", m).split())
                for m in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', html, re.S)]
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not title.startswith("Error:"):
        problems.append(f"title {title!r}")
    if summary is None:
        problems.append("no error summary")
    for message in messages + ([summary.group(1)] if summary else []):
        if LIBRARY_DEFAULTS.search(message):
            problems.append(f"library message {LIBRARY_DEFAULTS.search(message).group(0)!r}")
    return problems


def test_every_form_submitted_empty_shows_the_error_summary(app, users):
    records = _sample_records(app, users["officer"])
    clients, failures, checked = {}, {}, []
    for rule in sorted(_routes(app), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.endpoint in EXEMPT:
            continue
        who = _poster(app, app.view_functions[rule.endpoint].access_rule)
        if who is None:
            continue
        if who not in clients:
            clients[who] = app.test_client()
            login(clients[who], users[who])
        response = clients[who].post(_url(rule, records), data={})
        html = response.get_data(as_text=True)
        if response.status_code not in (200, 400) or "text/html" not in response.content_type:
            failures.setdefault("not shown again", []).append(f"{rule.endpoint} {response.status_code}")
            continue
        problems = _summary_problems(html)
        checked.append(rule.endpoint)
        if problems:
            failures[rule.endpoint] = problems
    assert failures == {}, failures
    assert len(checked) >= 60, checked


def test_a_decision_submitted_empty_shows_the_error_summary(app, client, users):
    from licensing.extensions import db
    from tests.support import register

    with app.app_context():
        officer = register.user(users["officer"])
        licence = register.driver_application(officer, register.person(officer))
        db.session.commit()
        licence_id = licence.id
    login(client, users["officer"])
    html = client.post(f"/holders/licences/{licence_id}/decision", data={}).get_data(as_text=True)
    assert _summary_problems(html) == []


def test_library_messages_are_rewritten_to_name_their_field(app):
    from flask_wtf import FlaskForm
    from wtforms import IntegerField, SelectField, StringField
    from wtforms.validators import InputRequired, Length

    from licensing.web.messages import name_the_fields

    class Sample(FlaskForm):
        class Meta:
            csrf = False

        first_name = StringField("First name", validators=[Length(max=5)])
        seats = IntegerField("Seats (including the driver)")
        trainer = StringField("Trainer", validators=[InputRequired()])
        kind = SelectField("Licence type", choices=[("a", "A")])

    with app.test_request_context(method="POST", data={"first_name": "Alexandra", "seats": "lots", "kind": "z"}):
        form = Sample()
        assert not form.validate()
        name_the_fields(form)
        assert form.first_name.errors == ["First name must be 5 characters or fewer"]
        assert form.seats.errors == ["Seats must be a whole number"]
        assert form.trainer.errors == ["Enter the trainer"]
        assert form.kind.errors == ["Choose the licence type from the list"]


def test_dates_and_times_are_read_as_people_type_them(app):
    import datetime as dt

    from flask_wtf import FlaskForm

    from licensing.web.fields import GovukDateField, GovukTimeField

    class Sample(FlaskForm):
        class Meta:
            csrf = False

        on = GovukDateField("Date of the hearing")
        at = GovukTimeField("Start time")

    for typed, time, day in (("10am", "10:00", "3/3/2026"), ("2.30pm", "14:30", "3 March 2026"),
                             ("14:05", "14:05", "03.03.26")):
        with app.test_request_context(method="POST", data={"on": [day, "", ""], "at": typed}):
            form = Sample()
            assert form.validate(), form.errors
            assert form.at.data == time and form.on.data == dt.date(2026, 3, 3)
    with app.test_request_context(method="POST", data={"on": ["31/2/2026", "", ""], "at": "25pm"}):
        form = Sample()
        assert not form.validate()
        assert form.on.errors == ["Date of the hearing must be a real date, like 27 3 2026"]
        assert form.at.errors == ["Enter start time like 10am, 2:30pm or 14:30"]

"""The demo council's online accounts: `flask demo-data` prints them, and the demo driver signs in
to a linked account that shows their licence and a requirement coming due."""

from tests.support.portal import sign_in


def test_demo_holder_accounts_sign_in_and_see_what_is_due(app):
    app.config["PORTAL_EMAIL_CODE"] = False  # as in the development demo
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--holders", "60", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "driver@example.com" in result.output and "applicant@example.com" in result.output
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert again.output.count("driver@example.com") == 1
    client = app.test_client()
    sign_in(client, "driver@example.com", "demo-licensing-2026")
    page = client.get("/account/").get_data(as_text=True)
    assert "What you need to do" in page and "Your licences" in page
    assert "Due in the next 60 days" in page
    applicant = app.test_client()
    sign_in(applicant, "applicant@example.com", "demo-licensing-2026")
    assert "Link your account to your licence" in applicant.get("/account/").get_data(as_text=True)


def test_reminders_link_to_the_online_account_when_the_service_address_is_set(app):
    import datetime as dt

    from licensing.training.reminders import render_reminder

    values = {"holder_name": "Dana Driver", "label": "Enhanced DBS check", "licence_number": "DL1",
              "due_on": dt.date(2027, 1, 10), "today": dt.date(2026, 12, 3)}
    with app.app_context():
        _subject, without = render_reminder(**values)
        app.config["SERVICE_URL"] = "https://taxi.example.gov.uk/"
        _subject, with_link = render_reminder(**values)
    assert "online account" not in without
    assert "https://taxi.example.gov.uk/account/" in with_link


def test_the_demo_has_online_applications_at_every_stage(app):
    import sqlalchemy as sa

    from licensing.extensions import db
    from licensing.models import OnlineApplication, Payment, PortalAccount

    app.config["PORTAL_EMAIL_CODE"] = False
    result = app.test_cli_runner().invoke(args=["demo-data", "--holders", "60", "--seed", "4"])
    assert result.exit_code == 0, result.output
    for email in ("sent@example.com", "paid@example.com", "moreinfo@example.com", "proprietor@example.com",
                  "operator@example.com"):
        assert email in result.output
    with app.app_context():
        stages = dict(db.session.execute(
            sa.select(PortalAccount.email, OnlineApplication.status).join(OnlineApplication.account)).all())
        types = dict(db.session.execute(
            sa.select(PortalAccount.email, OnlineApplication.licence_type).join(OnlineApplication.account)).all())
        assert {email: status.value for email, status in stages.items()} == {
            "applicant@example.com": "draft", "sent@example.com": "submitted", "paid@example.com": "submitted",
            "moreinfo@example.com": "more_information", "proprietor@example.com": "submitted",
            "operator@example.com": "submitted"}
        assert types["proprietor@example.com"] == "private_hire_vehicle"
        assert types["operator@example.com"] == "private_hire_operator"
        paid = db.session.execute(sa.select(Payment)).scalar_one()
        assert paid.status.value == "success"
        assert db.session.get(PortalAccount, paid.account_id).email == "paid@example.com"
    client = app.test_client()
    sign_in(client, "moreinfo@example.com", "demo-licensing-2026")
    assert "The licensing team needs more from you" in client.get("/account/apply").get_data(as_text=True)

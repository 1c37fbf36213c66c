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

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

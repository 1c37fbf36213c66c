"""The page header, navigation and footer are kept per role and page: each role sees its own
navigation with the current section marked, and each user their own name."""

import re

from tests.conftest import login


def _nav(html):
    items = re.findall(r'<li class="govuk-service-navigation__item[^"]*"[^>]*>(.*?)</li>', html, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in items]


def _active(html):
    return re.findall(r'aria-current="[a-z]+"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', html)


def test_navigation_follows_the_role_and_the_page(app, users):
    officer, panel = app.test_client(), app.test_client()
    login(officer, users["officer"])
    login(panel, users["panel"])
    holders = officer.get("/holders/").get_data(as_text=True)
    reviews = officer.get("/reviews/").get_data(as_text=True)
    panel_home = panel.get("/home").get_data(as_text=True)
    officer_home = officer.get("/home").get_data(as_text=True)
    assert "Reviews" in _nav(holders) and "New licence holder" in _nav(holders)
    assert [a.strip() for a in _active(holders)] == ["Licence holders"]
    assert [a.strip() for a in _active(reviews)] == ["Reviews"]
    assert _nav(panel_home) == ["Home", "My hearings"], _nav(panel_home)
    assert "My hearings" not in _nav(officer_home) and "Hearings" in _nav(officer_home)
    assert "Signed in as Test Panel member" in panel_home and "Test Licensing officer" not in panel_home
    assert "Signed in as Test Licensing officer" in officer_home


def test_signed_out_pages_have_no_navigation_and_the_same_footer(app, users):
    client = app.test_client()
    signed_out = client.get("/accessibility").get_data(as_text=True)
    login(client, users["officer"])
    signed_in = client.get("/accessibility").get_data(as_text=True)
    assert _nav(signed_out) == [] and "Home" in _nav(signed_in)
    footer = re.compile(r'<footer class="app-footer">.*?</footer>', re.S)
    assert footer.search(signed_out).group(0) == footer.search(signed_in).group(0)
    assert "Public register of licences" in footer.search(signed_in).group(0)

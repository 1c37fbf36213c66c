"""The page header, navigation and footer are kept per role and page: each role sees its own
navigation with the current section marked, and each user their own name."""

import json
import os
import re

from tests.conftest import login

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def test_pages_carry_the_councils_brand_and_no_gov_uk_brand(app, client):
    """A council service is not on GOV.UK: no crown, logotype, crest, Crown copyright or OGL."""
    for path in ("/auth/login", "/public-register/", "/accessibility"):
        html = client.get(path).get_data(as_text=True)
        assert 'class="govuk-generic-header' in html and "govuk-header__logotype" not in html, path
        banner = re.search(r'<header class="govuk-template__header">(.*?)</header>', html, re.S)[1]
        assert "govuk-generic-header" in banner and "govuk-service-navigation" in banner, path
        assert "Example Borough Council" in re.search(r'class="govuk-generic-header.*?</div>\s*</div>', html, re.S)[0]
        assert 'href="https://www.example.gov.uk/"' in html
        chrome = html.split("<main", 1)[0] + html.rsplit('<footer class="app-footer">', 1)[1]
        assert "GOV.UK" not in chrome, path
        for mark in ("Crown copyright", "govuk-crest", "govuk-footer__crown", "crown-copyright",
                     "Open Government Licence", "govuk-icon", "favicon.ico"):
            assert mark not in html, (path, mark)
        assert "© Example Borough Council" in html


def test_the_council_sets_its_name_logo_and_link(tmp_path):
    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path / 'brand.db'}", COUNCIL_NAME="Borsetshire County Council",
                    COUNCIL_URL="https://www.borsetshire.example/", COUNCIL_LOGO="council/logo.svg")
    html = app.test_client().get("/accessibility").get_data(as_text=True)
    header = re.search(r'class="govuk-generic-header.*?</div>\s*</div>', html, re.S)[0]
    assert '<img class="app-council-logo" src="/static/council/logo.svg" alt=""' in header
    assert "Borsetshire County Council" in header and 'href="https://www.borsetshire.example/"' in header
    assert "Example Borough Council" not in html


def test_the_stylesheet_is_built_from_gov_uk_frontend_with_the_councils_font():
    with open(os.path.join(ROOT, "static", "govuk", "govuk-frontend.min.css")) as handle:
        css = handle.read()
    assert ".govuk-generic-header" in css and ".govuk-service-navigation" in css
    assert "GDS Transport" not in css and "@font-face" not in css
    assert 'font-family:system-ui,-apple-system,"Segoe UI"' in css
    with open(os.path.join(ROOT, "package-lock.json")) as handle:
        lock = json.load(handle)["packages"]
    assert lock["node_modules/sass"]["integrity"].startswith("sha512-") and lock["node_modules/sass"]["dev"]
    assert not os.path.exists(os.path.join(ROOT, "static", "govuk", "assets", "images", "govuk-crest.svg"))

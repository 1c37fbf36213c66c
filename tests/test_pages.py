import pytest
import sqlalchemy as sa

from licensing.demo.council import build_demo_council, ensure_demo_users
from licensing.extensions import db
from licensing.models import LicenceHolder
from licensing.models.search_indexes import holder_sort_name
from tests.conftest import login


def _load_demo(app, holders=60):
    with app.app_context():
        ensure_demo_users()
        db.session.commit()
        build_demo_council(holders=holders, seed=7)
        db.session.commit()


def test_officer_sees_the_holder_list_with_demo_data(app, client, users):
    _load_demo(app)
    login(client, users["officer"])
    page = client.get("/holders/").get_data(as_text=True)
    with app.app_context():
        first = db.session.execute(
            # The register's order: surname, or organisation name, then first name.
            sa.select(LicenceHolder).order_by(holder_sort_name(), LicenceHolder.id)
        ).scalars().first()
    assert "60 licence holders" in page
    assert first.holder_ref in page


def test_search_finds_by_name_licence_and_registration(app, client, users):
    _load_demo(app)
    login(client, users["officer"])
    with app.app_context():
        holder = db.session.execute(sa.select(LicenceHolder).filter_by(kind="person")).scalars().first()
        licence_number = holder.licences[0].licence_number
        surname = holder.last_name
    assert holder.holder_ref in client.get(f"/holders/?q={surname.lower()}").get_data(as_text=True)
    # A licence number names one holder: the search goes straight to their page.
    response = client.get(f"/holders/?q={licence_number}")
    assert response.status_code == 302 and response.location.endswith(f"/holders/{holder.id}")


def test_pages_use_the_govuk_template_and_security_headers(client, users):
    response = client.get("/auth/login")
    html = response.get_data(as_text=True)
    assert "govuk-template" in html and "govuk-frontend.min.css" in html
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in html  # the one inline script carries the nonce
    login(client, users["officer"])
    assert client.get("/home").headers["Cache-Control"] == "no-store"


def test_not_found_page_is_styled(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.clean_database  # adds a route, which a shared app that has served requests refuses
def test_server_error_shows_a_reference_and_no_detail(app):
    from licensing.permissions import public

    @public
    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "quote reference" in html and "secret internal detail" not in html and "Traceback" not in html


def test_navigation_depends_on_role(client, users):
    login(client, users["panel"])
    html = client.get("/home").get_data(as_text=True)
    assert "Licence holders" not in html and "Audit trail" not in html
    client.post("/auth/logout")
    login(client, users["admin"])
    html = client.get("/home").get_data(as_text=True)
    assert "Audit trail" in html


def test_admin_can_filter_the_audit_trail(app, client, users):
    _load_demo(app, holders=10)
    login(client, users["admin"])
    html = client.get("/admin/audit?action=demo.load").get_data(as_text=True)
    assert "demo.load" in html and "1 event" in html
    html = client.get("/admin/audit?action=user.create").get_data(as_text=True)
    assert "demo data, seed 7" not in html and "6 events" in html


def test_health_endpoint_checks_the_database(client, tmp_path):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    from tests.conftest import build_app

    broken = build_app(f"sqlite:///{tmp_path}/missing-dir/nowhere.db")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"

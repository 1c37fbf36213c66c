"""The public register publishes only whitelisted fields of licences in force."""

import csv
import datetime as dt
import io

import pytest

from licensing.extensions import db
from licensing.models import Conviction, Intelligence, Licence, LicenceHolder, Vehicle
from tests.conftest import make_user

SENTINELS = ["Sentinel Street 99", "ZZ9 9SN", "sentinel@example.com", "07000 999111", "SENTI703030ZZ9ZZ",
             "1966-06-16", "16 June 1966", "Sentinel robbery", "Sentinel intelligence summary"]


@pytest.fixture
def register(ctx):
    officer = make_user("officer", email="o@example.gov.uk")
    ann = LicenceHolder(holder_ref="H-SENT", first_name="Ann", last_name="Driver", address=SENTINELS[0],
                        postcode=SENTINELS[1], email=SENTINELS[2], phone=SENTINELS[3],
                        dvla_licence_number=SENTINELS[4], date_of_birth=dt.date(1966, 6, 16))
    ops = LicenceHolder(holder_ref="H-OPS", kind="organisation", organisation_name="=Acme Cars")
    db.session.add_all([ann, ops])
    db.session.flush()
    car = Vehicle(registration="AB12CDE", make="Skoda", model="Octavia", seats=4, plate_number="PHV-7")
    db.session.add(car)
    db.session.flush()
    dates = {"issued_on": dt.date(2025, 1, 1), "expires_on": dt.date(2028, 1, 1)}
    db.session.add_all([
        Licence(licence_number="PHD/1", holder_id=ann.id, licence_type="private_hire_driver", status="active",
                **dates),
        Licence(licence_number="PHV/1", holder_id=ann.id, licence_type="private_hire_vehicle", status="suspended",
                vehicle_id=car.id, **dates),
        Licence(licence_number="PHO/1", holder_id=ops.id, licence_type="private_hire_operator", status="active",
                **dates),
        Licence(licence_number="HCD/9", holder_id=ann.id, licence_type="hackney_carriage_driver", status="revoked",
                **dates),
        Licence(licence_number="HCD/8", holder_id=ann.id, licence_type="hackney_carriage_driver", status="applied"),
        Conviction(holder_id=ann.id, category="violence", offence=SENTINELS[7], conviction_date=dt.date(2001, 1, 1),
                   source="dbs"),
        Intelligence(holder_id=ann.id, source="police", grading="1A", received_on=dt.date(2024, 1, 1),
                     summary=SENTINELS[8], recorded_by_id=officer),
    ])
    db.session.commit()


def _assert_no_sentinels(text):
    for sentinel in SENTINELS:
        assert sentinel not in text, sentinel


def test_page_lists_licences_in_force_with_published_fields_only(register, client):
    response = client.get("/public-register/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for shown in ["Ann Driver", "PHD/1", "PHV/1", "PHO/1", "AB12CDE", "Skoda", "PHV-7", "Suspended",
                  "1 January 2028", "Private hire operator"]:
        assert shown in html, shown
    assert "HCD/9" not in html and "HCD/8" not in html  # revoked and applied are not published
    assert "H-SENT" not in html  # internal holder reference
    _assert_no_sentinels(html)


def test_csv_has_published_fields_only_and_neutralises_formulas(register, client):
    response = client.get("/public-register/register.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    _assert_no_sentinels(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["name", "licence_number", "licence_type", "status", "expires_on",
                             "vehicle_registration", "vehicle_make", "plate_number"]
    assert [r["licence_number"] for r in rows] == ["PHD/1", "PHO/1", "PHV/1"]
    assert rows[1]["name"] == "'=Acme Cars"
    assert rows[2]["vehicle_registration"] == "AB12CDE" and rows[2]["status"] == "Suspended"


@pytest.mark.parametrize("query, expected", [
    ("q=driver", ["PHD/1", "PHV/1"]),
    ("q=phd/1", ["PHD/1"]),
    ("q=ab12+cde", ["PHV/1"]),
    ("q=phv-7", ["PHV/1"]),
    ("section=operators", ["PHO/1"]),
    ("section=vehicles", ["PHV/1"]),
    ("q=ann&section=drivers", ["PHD/1"]),
    ("q=hcd/9", []),
])
def test_search_and_sections(register, client, query, expected):
    text = client.get(f"/public-register/register.csv?{query}").get_data(as_text=True)
    assert [r["licence_number"] for r in csv.DictReader(io.StringIO(text))] == expected
    html = client.get(f"/public-register/?{query}").get_data(as_text=True)
    for number in ["PHD/1", "PHV/1", "PHO/1"]:
        assert (number in html) == (number in expected)


def test_pages_by_keyset(ctx, client):
    holder = LicenceHolder(holder_ref="H", first_name="Pat", last_name="Many")
    db.session.add(holder)
    db.session.flush()
    db.session.add_all(
        Licence(licence_number=f"PHD/{i:03d}", holder_id=holder.id, licence_type="private_hire_driver",
                status="active", issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2028, 1, 1))
        for i in range(30)
    )
    db.session.commit()
    first = client.get("/public-register/").get_data(as_text=True)
    assert "PHD/024" in first and "PHD/025" not in first and "30 licences" in first
    last_id = db.session.scalar(db.select(Licence.id).filter_by(licence_number="PHD/024"))
    second = client.get(f"/public-register/?after={last_id}").get_data(as_text=True)
    assert "PHD/025" in second and "PHD/029" in second and "PHD/024" not in second
    assert "before=" in second


def test_the_register_is_linked_from_the_sign_in_page(client):
    assert "/public-register/" in client.get("/auth/login").get_data(as_text=True)

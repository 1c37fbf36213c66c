"""The holder page and the holder list issue a fixed number of SQL statements, however much a
holder holds or a page lists (no query per row), and the filtered search counts correctly."""

import datetime as dt
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.holders.queries import search
from licensing.holders.queries.search import search_holders
from licensing.models import (
    ComplianceCheck,
    Conviction,
    Licence,
    LicenceHolder,
    OffenceSource,
    User,
    Vehicle,
)
from tests.conftest import login

HOLDER_PAGE_BOUND = 16  # 14 today: user, holder, a presence probe, then each section that has rows
SHORT_RECORD_BOUND = 13  # 12 today: a holder with a licence and checks only: empty sections are not queried
HOLDER_LIST_BOUND = 7  # 5 today: user, page ids, holders, licences with vehicles, count
ISSUED = dt.date(2025, 1, 1)


@contextmanager
def counted_statements(app):
    """Every SQL statement the application's engine runs inside the block."""
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _holder_with(ref, last_name, licences=1, checks_per_licence=1, convictions=0, vehicles=0, officer=None):
    holder = LicenceHolder(holder_ref=ref, first_name="Pat", last_name=last_name, date_of_birth=dt.date(1980, 1, 1))
    db.session.add(holder)
    db.session.flush()
    for n in range(vehicles):
        db.session.add(Vehicle(registration=f"{ref}V{n}", make="Skoda", model="Octavia", seats=4,
                               plate_number=f"{ref}P{n}", proprietor_id=holder.id))
    db.session.flush()
    vehicle_ids = db.session.scalars(sa.select(Vehicle.id).where(Vehicle.proprietor_id == holder.id)).all()
    for n in range(licences):
        vehicle_id = vehicle_ids[n] if n < len(vehicle_ids) else None
        licence = Licence(licence_number=f"{ref}/{n}", holder_id=holder.id, status="active",
                          licence_type="private_hire_vehicle" if vehicle_id else "private_hire_driver",
                          vehicle_id=vehicle_id, issued_on=ISSUED, expires_on=dt.date(2028, 1, 1),
                          badge_number=f"{ref}B{n}")
        db.session.add(licence)
        db.session.flush()
        for k in range(checks_per_licence):
            db.session.add(ComplianceCheck(holder_id=holder.id, licence_id=licence.id,
                                           kind=["dbs_enhanced", "dvla", "medical_group2"][k % 3],
                                           completed_on=ISSUED + dt.timedelta(days=k), result="clear",
                                           expires_on=dt.date(2029, 1, 1), reference=f"R{k}"))
    for n in range(convictions):
        db.session.add(Conviction(holder_id=holder.id, category="minor_traffic", offence=f"Offence {n}",
                                  conviction_date=dt.date(2020, 1, 1 + n), source=OffenceSource.DVLA))
    if officer is not None:
        record(officer, "holder.create", holder, holder_id=holder.id)
    db.session.flush()
    return holder.id


def _holder_page_statements(app, client, holder_id):
    client.get(f"/holders/{holder_id}")  # warm: first requests load users and templates
    with counted_statements(app) as statements:
        response = client.get(f"/holders/{holder_id}")
    assert response.status_code == 200
    return statements


def test_holder_page_runs_a_fixed_number_of_statements(app, client, users):
    with app.app_context():
        small = _holder_with("QS1", "Small", convictions=1, vehicles=1)
        large = _holder_with("QL1", "Large", licences=6, checks_per_licence=5, convictions=4, vehicles=3)
        db.session.commit()
    login(client, users["officer"])
    few = _holder_page_statements(app, client, small)
    many = _holder_page_statements(app, client, large)
    assert len(many) <= HOLDER_PAGE_BOUND, many
    assert len(many) == len(few), "the holder page runs more statements for a holder with more records"


def test_holder_page_does_not_query_sections_the_holder_has_nothing_in(app, client, users):
    with app.app_context():
        short = _holder_with("QS2", "Short")
        full = _holder_with("QF2", "Full", convictions=1, vehicles=1)
        db.session.commit()
    login(client, users["officer"])
    short_statements = _holder_page_statements(app, client, short)
    full_statements = _holder_page_statements(app, client, full)
    assert len(short_statements) <= SHORT_RECORD_BOUND, short_statements
    loads = ("SELECT convictions.", "SELECT vehicles.")  # the sections' own queries, not the probe
    assert not any(s.lstrip().startswith(loads) for s in short_statements), short_statements
    assert sum(s.lstrip().startswith(loads) for s in full_statements) == 2, full_statements
    assert len(short_statements) < len(full_statements)


def test_holder_list_runs_a_fixed_number_of_statements(app, client, users):
    with app.app_context():
        for n in range(3):
            _holder_with(f"LA{n}", f"Fewname{n:02d}", licences=2, vehicles=1)
        for n in range(30):
            _holder_with(f"LB{n}", f"Manyname{n:02d}", licences=3, vehicles=2)
        db.session.commit()
    login(client, users["officer"])
    sizes = {}
    for term in ("fewname", "manyname"):
        client.get("/holders/", query_string={"q": term})
        with counted_statements(app) as statements:
            response = client.get("/holders/", query_string={"q": term})
        assert response.status_code == 200
        sizes[term] = len(statements)
        assert len(statements) <= HOLDER_LIST_BOUND, statements
    html = response.get_data(as_text=True)
    assert "Manyname00" in html and "Manyname24" in html and "Manyname25" not in html
    # The long list also counts its matches (one more statement than a list that fits one page).
    assert sizes["manyname"] <= sizes["fewname"] + 1


def test_holder_timeline_pages_past_fifty_events(app, client, users):
    with app.app_context():
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        holder_id = _holder_with("TL1", "Timeline", officer=officer)
        holder = db.session.get(LicenceHolder, holder_id)
        for n in range(55):
            record(officer, "holder.update", holder, reason=f"Change {n}", holder_id=holder_id)
        db.session.commit()
    login(client, users["officer"])
    first = client.get(f"/holders/{holder_id}")
    assert first.status_code == 200
    assert f"/holders/{holder_id}?page=2" in first.get_data(as_text=True)
    second = client.get(f"/holders/{holder_id}?page=2")
    assert second.status_code == 200 and "Licence holder created" in second.get_data(as_text=True)


@pytest.fixture
def filtered_register(ctx):
    for n in range(12):
        status = "active" if n % 3 else "suspended"
        holder = LicenceHolder(holder_ref=f"F{n:02d}", first_name="Fay", last_name=f"Filter{n:02d}")
        db.session.add(holder)
        db.session.flush()
        db.session.add(Licence(licence_number=f"FL/{n}", holder_id=holder.id, status=status,
                               licence_type="private_hire_driver", issued_on=ISSUED,
                               expires_on=dt.date(2028, 1, 1)))
    db.session.commit()


def test_filtered_search_pages_and_counts_in_name_order(filtered_register):
    first = search_holders("filter", status="active", per_page=3)
    assert [h.last_name for h in first.holders] == ["Filter01", "Filter02", "Filter04"]
    assert first.count == 8 and first.next_after is not None
    second = search_holders("filter", status="active", after=first.next_after, per_page=3)
    assert [h.last_name for h in second.holders] == ["Filter05", "Filter07", "Filter08"]
    assert search_holders("filter", status="suspended", per_page=3).count == 4
    assert search_holders("filter", status="revoked").count == 0
    assert search_holders("filter", licence_type="private_hire_vehicle").holders == []


def test_filtered_search_count_stops_at_the_cap(filtered_register, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    page = search_holders("filter", status="active", per_page=2)
    assert page.count == 6 and page.count_is_capped


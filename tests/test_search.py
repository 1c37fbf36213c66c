"""The register search: every key, the filters and keyset pagination, on both databases."""

import datetime as dt

import pytest

from licensing.extensions import db
from licensing.holders.queries.search import parse_date_term, search_holders
from licensing.models import Licence, LicenceHolder, Vehicle
from tests.conftest import login


def _holder(ref, first, last, dob=None, dvla=None, **fields):
    holder = LicenceHolder(holder_ref=ref, first_name=first, last_name=last, date_of_birth=dob,
                           dvla_licence_number=dvla, **fields)
    db.session.add(holder)
    db.session.flush()
    return holder


def _licence(holder, number, licence_type="private_hire_driver", status="active", vehicle=None, badge=None):
    licence = Licence(licence_number=number, holder_id=holder.id, licence_type=licence_type, status=status,
                      issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2028, 1, 1), vehicle=vehicle,
                      badge_number=badge)
    db.session.add(licence)
    db.session.flush()
    return licence


@pytest.fixture
def register(ctx):
    ann = _holder("H-0001", "Ann", "Smith", dt.date(1970, 3, 3), dvla="SMITH703030A99AB")
    bob = _holder("H-0002", "Bob", "Smithson", dt.date(1980, 12, 25))
    cara = _holder("H-0003", "Cara", "Jones", dt.date(1975, 6, 1))
    acme = LicenceHolder(holder_ref="H-0004", kind="organisation", organisation_name="Acme Cars Ltd")
    db.session.add(acme)
    van = Vehicle(registration="AB12CDE", make="Skoda", model="Octavia", seats=4, plate_number="PHV-17")
    cab = Vehicle(registration="XY99ZZZ", make="LEVC", model="TX", seats=6, plate_number="HCV-3",
                  proprietor=cara)
    db.session.add_all([van, cab])
    db.session.flush()
    _licence(ann, "PHD/2025/0001", badge="B-123")
    _licence(bob, "HCD/2025/0002", licence_type="hackney_carriage_driver", status="suspended")
    _licence(cara, "PHV/2025/0003", licence_type="private_hire_vehicle", vehicle=van)
    _licence(acme, "PHO/2025/0004", licence_type="private_hire_operator", status="expired")
    db.session.commit()
    return {"ann": ann.id, "bob": bob.id, "cara": cara.id, "acme": acme.id}


def _refs(page):
    return [h.holder_ref for h in page.holders]


@pytest.mark.parametrize("term, expected", [
    ("smith", ["H-0001", "H-0002"]),
    ("SMITH", ["H-0001", "H-0002"]),
    ("ann smith", ["H-0001"]),
    ("Smith, Ann", ["H-0001"]),
    ("mithso", ["H-0002"]),
    ("acme", ["H-0004"]),
    ("3/3/1970", ["H-0001"]),
    ("03/03/1970", ["H-0001"]),
    ("1970-03-03", ["H-0001"]),
    ("3 March 1970", ["H-0001"]),
    ("25 dec 1980", ["H-0002"]),
    ("h-0003", ["H-0003"]),
    ("phd/2025/0001", ["H-0001"]),
    ("b-123", ["H-0001"]),
    ("phv-17", ["H-0003"]),
    ("hcv-3", ["H-0003"]),
    ("ab12 cde", ["H-0003"]),
    ("xy 99 zzz", ["H-0003"]),
    ("smith703030a99ab", ["H-0001"]),
    ("100%", []),
    ("nobody", []),
])
def test_each_search_key_finds_the_holder(register, term, expected):
    assert sorted(_refs(search_holders(term))) == expected


def test_filters_by_licence_type_and_status(register):
    assert _refs(search_holders(licence_type="hackney_carriage_driver")) == ["H-0002"]
    assert _refs(search_holders(status="active")) == ["H-0003", "H-0001"]  # name order: Jones, Smith
    assert _refs(search_holders("smith", status="suspended")) == ["H-0002"]
    assert _refs(search_holders("smith", licence_type="private_hire_vehicle")) == []


def test_results_are_in_name_order_and_page_by_keyset(register):
    first = search_holders(per_page=2)
    assert _refs(first) == ["H-0004", "H-0003"]  # Acme, Jones
    assert first.count == 4 and first.previous_before is None
    second = search_holders(after=first.next_after, per_page=2)
    assert _refs(second) == ["H-0001", "H-0002"]
    assert second.next_after is None
    back = search_holders(before=second.previous_before, per_page=2)
    assert _refs(back) == ["H-0004", "H-0003"]
    assert back.previous_before is None


def test_parse_date_term_rejects_impossible_dates():
    assert parse_date_term("31/02/1970") is None
    assert parse_date_term("PHD/2025/0001") is None
    assert parse_date_term("3 Smarch 1970") is None


def test_search_page_shows_licences_and_pages(app, client, users):
    with app.app_context():
        holders = [_holder(f"H-{i:04d}", "Pat", f"Name{i:03d}") for i in range(30)]
        _licence(holders[0], "PHD/9/1")
        db.session.commit()
        anchor = holders[24].id
    login(client, users["officer"])
    page = client.get("/holders/?q=pat")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Pat Name000" in html and "PHD/9/1" in html and "Private hire driver" in html
    assert "1 January 2028" in html
    assert "Pat Name025" not in html and "after=" in html
    later = client.get("/holders/?q=pat&after=" + str(anchor)).get_data(as_text=True)
    assert "Pat Name025" in later and "Pat Name000" not in later
    assert client.get("/holders/?status=nonsense").status_code == 200


def test_results_link_to_the_holder_page(app, client, users):
    from licensing.models import LicenceHolder

    with app.app_context():
        holder = LicenceHolder(holder_ref="LINK1", first_name="Linda", last_name="Linker")
        db.session.add(holder)
        db.session.commit()
        holder_id = holder.id
    login(client, users["officer"])
    html = client.get("/holders/?q=Linker").get_data(as_text=True)
    assert f'href="/holders/{holder_id}"' in html


def test_searches_of_the_same_shape_share_one_statement_with_their_own_values(app, register):
    """The union behind a search is built once per shape (a name, a date, with or without a
    registration-like term, filters, paging) and the term is bound, never written into the SQL."""
    from licensing.holders.queries.search import _page_select
    from tests.test_register_queries import counted_statements

    with counted_statements(app) as statements:
        smith = search_holders("smith")
        reused = _page_select.cache_info().hits
        jones = search_holders("jones")
        assert _page_select.cache_info().hits == reused + 1, "the second name search reuses the first's statement"
        acme = search_holders("acme", licence_type="private_hire_driver")
    texts = [s for s in statements if "UNION" in s]
    assert texts[0] == texts[1], "two name searches run the same statement"
    assert not any(word in s.lower() for s in texts for word in ("smith", "jones", "acme"))
    assert [h.holder_ref for h in smith.holders] == ["H-0001", "H-0002"]
    assert [h.holder_ref for h in jones.holders] == ["H-0003"]
    assert acme.holders == [] and acme.count == 0

"""Search that finds people: accents and case folded on both databases, the public register
searchable by badge number, and one exact match going straight to the record."""

import datetime as dt

import pytest

from licensing.extensions import db
from licensing.holders.queries.search import find_holder, search_holders
from licensing.models import Licence, LicenceHolder
from licensing.models.search_indexes import fold_text
from licensing.public_register.queries import register_page
from tests.conftest import login


@pytest.fixture
def lukasz(ctx):
    holder = LicenceHolder(holder_ref="H-PL01", first_name="Łukasz", last_name="Żółć-Newdriver",
                           date_of_birth=dt.date(1990, 4, 2))
    other = LicenceHolder(holder_ref="H-PL02", first_name="Zoe", last_name="Lucas")
    db.session.add_all([holder, other])
    db.session.flush()
    db.session.add(Licence(licence_number="PHD/PL/1", holder_id=holder.id, licence_type="private_hire_driver",
                           status="active", badge_number="B000884", issued_on=dt.date(2025, 1, 1),
                           expires_on=dt.date(2028, 1, 1)))
    db.session.commit()
    return holder.id


@pytest.mark.parametrize("term", ["Łukasz", "łukasz", "LUKASZ", "lukasz", "Żółć", "zolc", "Zolc-newdriver",
                                  "Łukasz Żółć-Newdriver", "lukasz zolc", "Żółć-Newdriver, Łukasz"])
def test_a_name_is_found_whatever_its_accents_and_case(lukasz, term):
    assert [h.id for h in search_holders(term).holders] == [lukasz], term


def test_folding_matches_the_database(lukasz):
    assert fold_text("Łukasz Żółć-Newdriver") == "lukasz zolc-newdriver"
    assert fold_text("Ærøskøbing Straße") == "aeroskobing strasse"
    assert db.session.scalar(db.select(db.func.licensing_fold("Łukasz Żółć ÆØ ß"))) == fold_text("Łukasz Żółć ÆØ ß")


def test_the_public_register_finds_a_badge_number_and_an_accented_name(lukasz):
    for term in ("B000884", "b000884", "zolc", "Łukasz"):
        page = register_page(term)
        assert [row.licence_number for row in page.entries] == ["PHD/PL/1"], term


def test_a_form_asking_for_a_holder_takes_a_badge_or_a_name_only_one_has(lukasz):
    assert find_holder("b000884") == (db.session.get(LicenceHolder, lukasz), 1)
    assert find_holder("zolc")[0].id == lukasz
    assert find_holder("nobody at all") == (None, 0)


def test_an_exact_badge_number_goes_straight_to_the_holder(app, client, users, lukasz):
    login(client, users["officer"])
    response = client.get("/holders/?q=B000884")
    assert response.status_code == 302 and response.location.endswith(f"/holders/{lukasz}")
    # A name, even one only they have, still shows the results: it may be the start of another's.
    assert client.get("/holders/?q=zolc").status_code == 200

"""Enumerations, foreign keys and date rules are enforced by the database itself."""

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from licensing.extensions import db
from licensing.models import (
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    Vehicle,
    normalise_registration,
)


def _holder(ref="H1"):
    holder = LicenceHolder(holder_ref=ref, first_name="Ann", last_name="Driver")
    db.session.add(holder)
    db.session.flush()
    return holder


def _raw_insert_licence(holder_id, status="active", licence_type="private_hire_driver", **extra):
    values = {"licence_number": "L1", "holder_id": holder_id, "licence_type": licence_type,
              "status": status, "created_at": dt.datetime(2026, 1, 1), "version": 1, **extra}
    cols = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    db.session.execute(sa.text(f"INSERT INTO licences ({cols}) VALUES ({params})"), values)
    db.session.flush()


def test_valid_licence_is_stored(ctx):
    holder = _holder()
    _raw_insert_licence(holder.id)
    db.session.commit()
    licence = db.session.execute(sa.select(Licence)).scalar_one()
    assert licence.status == LicenceStatus.ACTIVE
    assert licence.licence_type == LicenceType.PRIVATE_HIRE_DRIVER


@pytest.mark.parametrize("field,value", [("status", "pending"), ("licence_type", "rickshaw")])
def test_database_rejects_unknown_enumeration_values(ctx, field, value):
    holder = _holder()
    with pytest.raises(IntegrityError):
        _raw_insert_licence(holder.id, **{field: value})
    db.session.rollback()


def test_database_rejects_licence_for_missing_holder(ctx):
    with pytest.raises(IntegrityError):
        _raw_insert_licence(999)
    db.session.rollback()


def test_database_rejects_expiry_before_issue(ctx):
    holder = _holder()
    db.session.add(Licence(licence_number="L2", holder=holder, licence_type=LicenceType.PRIVATE_HIRE_DRIVER,
                           issued_on=dt.date(2026, 5, 1), expires_on=dt.date(2026, 4, 30)))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_rejects_duplicate_licence_numbers(ctx):
    holder = _holder()
    _raw_insert_licence(holder.id)
    with pytest.raises(IntegrityError):
        _raw_insert_licence(holder.id)
    db.session.rollback()


def test_database_rejects_vehicle_on_a_driver_licence(ctx):
    holder = _holder()
    vehicle = Vehicle(registration="AB12CDE", make="Toyota", model="Prius", seats=4)
    db.session.add(Licence(licence_number="L3", holder=holder, vehicle=vehicle,
                           licence_type=LicenceType.PRIVATE_HIRE_DRIVER))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_person_needs_a_surname_and_organisation_a_name(ctx):
    db.session.add(LicenceHolder(holder_ref="X", kind="organisation", first_name="No", last_name="Org"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("raw", ["ab12 cde", "AB12CDE", " ab-12-cde "])
def test_registrations_normalise_to_one_form(raw):
    assert normalise_registration(raw) == "AB12CDE"


def test_licence_type_groups():
    assert LicenceType.DUAL_DRIVER.is_driver and not LicenceType.DUAL_DRIVER.is_vehicle
    assert LicenceType.PRIVATE_HIRE_VEHICLE.is_vehicle
    assert not LicenceType.PRIVATE_HIRE_OPERATOR.is_driver

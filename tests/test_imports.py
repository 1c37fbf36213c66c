"""Bulk import (all rows or none, idempotent, audited) and the register export."""

import csv
import datetime as dt

import pytest
import sqlalchemy as sa

from licensing.extensions import db
from licensing.imports.commands import IMPORTERS
from licensing.imports.engine import run_import
from licensing.models import AuditEvent, ComplianceCheck, Conviction, Licence, LicenceHolder, Vehicle
from tests.conftest import login
from tests.support.database import count_rows as _count

TODAY = dt.date(2026, 6, 1)
HOLDERS = """holder_ref,first_name,last_name,date_of_birth,address,postcode,email,phone,dvla_licence_number
H1,Ann,Smith,1970-03-03,1 High St,AB1 2CD,ann@example.com,01234 567890,SMITH703030A99AB
H2,Bob,Jones,1990-01-01,2 High St,AB1 2CE,bob@example.com,,
"""
VEHICLES = """registration,make,model,colour,seats,wheelchair_accessible,plate_number,proprietor_ref
ab12 cde,Skoda,Octavia,Silver,4,no,PHV-1,H1
"""
LICENCES = """licence_number,holder_ref,licence_type,status,issued_on,expires_on,vehicle_registration
PHD/1,H1,private_hire_driver,active,2025-01-01,2028-01-01,
PHV/1,H1,private_hire_vehicle,active,2025-01-01,2026-12-31,AB12CDE
"""
CHECKS = """holder_ref,licence_number,kind,completed_on,expires_on,result,reference
H1,,dbs_enhanced,2025-01-01,2028-01-01,clear,001234567890
,PHV/1,mot,2025-06-01,2026-06-01,pass,MOT-1
"""
CONVICTIONS = """holder_ref,category,offence,offence_date,conviction_date,sentence_end_date,source
H1,minor_traffic,Speeding,2019-01-01,2019-03-01,2019-06-01,dvla
"""


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _import(kind, path, dry_run=False):
    result = run_import(IMPORTERS[kind](today=TODAY), path, dry_run=dry_run)
    db.session.commit() if result.ok and not dry_run else db.session.rollback()
    return result


def _load_all(tmp_path):
    for kind, text in [("holders", HOLDERS), ("vehicles", VEHICLES), ("licences", LICENCES),
                       ("checks", CHECKS), ("convictions", CONVICTIONS)]:
        result = _import(kind, _file(tmp_path, f"{kind}.csv", text))
        assert result.ok, result.errors


def test_each_record_type_imports(ctx, tmp_path):
    _load_all(tmp_path)
    ann = db.session.execute(sa.select(LicenceHolder).filter_by(holder_ref="H1")).scalar_one()
    assert ann.date_of_birth == dt.date(1970, 3, 3) and ann.postcode == "AB1 2CD"
    vehicle = db.session.execute(sa.select(Vehicle)).scalar_one()
    assert vehicle.registration == "AB12CDE" and vehicle.proprietor_id == ann.id
    licence = db.session.execute(sa.select(Licence).filter_by(licence_number="PHV/1")).scalar_one()
    assert licence.vehicle_id == vehicle.id and licence.holder_id == ann.id
    checks = db.session.scalars(sa.select(ComplianceCheck).order_by(ComplianceCheck.id)).all()
    assert [(c.kind.value, c.holder_id, c.licence_id) for c in checks] == [
        ("dbs_enhanced", ann.id, None), ("mot", None, licence.id)]
    conviction = db.session.execute(sa.select(Conviction)).scalar_one()
    assert conviction.category.value == "minor_traffic" and conviction.holder_id == ann.id
    created = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("%.imported"))).all()
    assert sorted(set(created)) == ["check.imported", "conviction.imported", "holder.imported",
                                    "licence.imported", "vehicle.imported"]
    assert len(created) == 8
    assert _count(AuditEvent.__table__.select().where(AuditEvent.action == "import.completed").subquery()) == 5


def test_reimporting_the_same_files_changes_nothing(ctx, tmp_path):
    _load_all(tmp_path)
    audit_rows = _count(AuditEvent)
    for kind in IMPORTERS:
        result = _import(kind, str(tmp_path / f"{kind}.csv"))
        assert result.ok and result.created == 0 and result.updated == 0 and result.unchanged > 0
    assert _count(AuditEvent) == audit_rows
    assert _count(LicenceHolder) == 2 and _count(ComplianceCheck) == 2


def test_changed_rows_update_with_audit_before_and_after(ctx, tmp_path):
    _load_all(tmp_path)
    changed = HOLDERS.replace("1 High St,AB1 2CD", "9 New Road,ZZ9 9ZZ")
    result = _import("holders", _file(tmp_path, "changed.csv", changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    ann = db.session.execute(sa.select(LicenceHolder).filter_by(holder_ref="H1")).scalar_one()
    assert ann.address == "9 New Road" and ann.version == 2
    event = db.session.execute(sa.select(AuditEvent).filter_by(action="holder.import_updated")).scalar_one()
    assert event.before == {"address": "1 High St", "postcode": "AB1 2CD"}
    assert event.after == {"address": "9 New Road", "postcode": "ZZ9 9ZZ"}
    assert event.entity_id == ann.id and event.holder_id == ann.id


def test_one_bad_row_imports_nothing_and_names_line_and_reason(ctx, tmp_path):
    bad = HOLDERS + "H3,Cara,Lee,1970-13-01,,,,,\n"
    result = _import("holders", _file(tmp_path, "bad.csv", bad))
    assert result.errors == [(4, "date_of_birth is not a real date")]
    assert _count(LicenceHolder) == 0 and _count(AuditEvent) == 0


@pytest.mark.parametrize("kind, text, expected", [
    ("holders", HOLDERS + "H1,Ann,Again,1970-03-03,,,,,\n", (4, "duplicates line 2")),
    ("holders", HOLDERS + "H3,Cy,Lee,03/03/1970,,,,,\n", (4, "date_of_birth must be a date in the form YYYY-MM-DD")),
    ("holders", HOLDERS + "H3,Cy,Lee,,,,not-an-email,,\n", (4, "email is not a valid e-mail address")),
    ("holders", HOLDERS + "H3,Cy,Lee,,,,,,smith703030a99ab\n", (4, "dvla_licence_number duplicates line 2")),
    ("holders", HOLDERS + "H3,Cy,,,,,,,\n",
     (4, "last_name is required (or give organisation_name for an organisation)")),
    ("holders", "holder_ref,first_name\nH1,Ann\n", (1, "column last_name is missing")),
    ("licences", LICENCES.replace("2028-01-01", "2024-01-01"), (2, "expires_on must be after issued_on")),
    ("licences", LICENCES.replace("private_hire_driver", "taxi"), (2, "licence_type must be one of: "
     "hackney_carriage_driver, private_hire_driver, dual_driver, hackney_carriage_vehicle, "
     "private_hire_vehicle, private_hire_operator")),
    ("licences", LICENCES + "PHD/2,H9,dual_driver,applied,,,\n", (4, "holder_ref is not a known licence holder")),
    ("licences", LICENCES + "PHV/2,H1,private_hire_vehicle,applied,,,ZZ11ZZZ\n",
     (4, "vehicle_registration is not a known vehicle (import vehicles first)")),
    ("licences", LICENCES + "phd/1,H1,private_hire_driver,applied,,,\n", (4, "duplicates line 2")),
    ("convictions", CONVICTIONS.replace("minor_traffic", "speeding"), (2, "category must be one of: death")),
    ("convictions", CONVICTIONS.replace("2019-06-01", "2018-06-01"),
     (2, "sentence_end_date: The sentence cannot end before the conviction")),
    ("checks", CHECKS.replace("2028-01-01", "2024-01-01"), (2, "expires_on must be on or after completed_on")),
    ("checks", CHECKS + ",,dvla,2025-01-01,,pass,\n", (4, "holder_ref or licence_number is required")),
    ("vehicles", VEHICLES.replace(",4,", ",40,"), (2, "seats must be between 1 and 16")),
    ("vehicles", VEHICLES + "XY1 2AB,Ford,Galaxy,,6,maybe,PHV-2,\n", (3, "wheelchair_accessible must be yes or no")),
    ("vehicles", VEHICLES + "XY1 2AB,Ford,Galaxy,,6,yes,phv-1,\n", (3, "plate_number duplicates line 2")),
    ("vehicles", "registration,make,model,colour,seats,wheelchair_accessible,plate_number\n"
     "XY1 2AB,Ford,Galaxy,,6,yes,PHV-1\n", (2, "plate_number is already recorded against another record")),
])
def test_validation_reasons(ctx, tmp_path, kind, text, expected):
    _load_all(tmp_path)
    before = _count(AuditEvent)
    result = _import(kind, _file(tmp_path, "check.csv", text))
    assert any(line == expected[0] and expected[1] in reason for line, reason in result.errors), result.errors
    assert _count(AuditEvent) == before


def test_driver_under_21_on_the_issue_date_is_refused(ctx, tmp_path):
    _load_all(tmp_path)
    text = LICENCES + "PHD/2,H2,private_hire_driver,active,2010-01-01,2013-01-01,\n"
    result = _import("licences", _file(tmp_path, "young.csv", text))
    assert result.errors == [(4, "a driver must be at least 21 years old")]


def test_dry_run_writes_nothing(ctx, tmp_path):
    result = _import("holders", _file(tmp_path, "h.csv", HOLDERS), dry_run=True)
    assert result.ok and result.created == 2
    assert _count(LicenceHolder) == 0 and _count(AuditEvent) == 0


def test_cli_reports_lines_writes_errors_csv_and_exits_non_zero(app, tmp_path):
    path = _file(tmp_path, "bad.csv", HOLDERS + "H3,Cy,,,,,,,\nH4,Di,Ray,2999-01-01,,,,,\n")
    errors = tmp_path / "errors.csv"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "holders", path, "--errors-csv", str(errors)])
    assert result.exit_code == 1
    assert "line 4: last_name is required" in result.output
    assert "line 5: date_of_birth must not be in the future" in result.output
    assert "nothing was imported" in result.output
    with open(errors, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["line", "reason"] and [r[0] for r in rows[1:]] == ["4", "5"]
    good = _file(tmp_path, "good.csv", HOLDERS)
    assert runner.invoke(args=["import", "holders", good, "--dry-run"]).exit_code == 0
    result = runner.invoke(args=["import", "holders", good])
    assert result.exit_code == 0 and "2 created" in result.output
    with app.app_context():
        assert _count(LicenceHolder) == 2


def test_export_register_csv_has_licences_and_no_convictions(app, client, users, tmp_path):
    with app.app_context():
        _load_all(tmp_path)
        db.session.execute(sa.update(LicenceHolder).where(LicenceHolder.holder_ref == "H2")
                           .values(address="=HYPERLINK(\"x\")"))
        db.session.commit()
    out = tmp_path / "register.csv"
    assert app.test_cli_runner().invoke(args=["export", "register", str(out)]).exit_code == 0
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["holder_ref"], r["licence_number"]) for r in rows] == [("H1", "PHD/1"), ("H1", "PHV/1"), ("H2", "")]
    assert rows[1]["vehicle_registration"] == "AB12CDE"
    assert rows[2]["address"] == "'=HYPERLINK(\"x\")"
    login(client, users["officer"])
    response = client.get("/register-data/register.csv")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "PHV/1" in body and "Speeding" not in body and "minor_traffic" not in body
    with app.app_context():
        assert _count(AuditEvent.__table__.select().where(AuditEvent.action == "register.exported").subquery()) == 2


def test_imported_audit_rows_join_the_tamper_evident_chain(app, tmp_path):
    from licensing.audit import verify_chain

    path = tmp_path / "holders.csv"
    path.write_text(
        "holder_ref,first_name,last_name,date_of_birth,address,postcode,email,phone\n"
        "CH1,Ann,Chain,1970-01-01,1 Road,AB1 2CD,a@example.com,01632 960001\n"
        "CH2,Bob,Chain,1971-02-02,2 Road,AB1 2CD,b@example.com,01632 960002\n"
    )
    result = app.test_cli_runner().invoke(args=["import", "holders", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        checked, problems = verify_chain()
        assert problems == [] and checked >= 3  # two holders and the import summary

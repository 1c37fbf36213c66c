import datetime as dt
import json

from licensing.models import CheckKind, LicenceType
from licensing.policy.requirements import DATA_FILE, edition_on, editions, required_check_kinds


def test_every_licence_type_has_requirements_of_known_kinds():
    known = {k.value for k in CheckKind}
    for edition in editions():
        assert set(edition.requirements) == {t.value for t in LicenceType}
        for kinds in edition.requirements.values():
            assert set(kinds) <= known


def test_drivers_need_an_nr3s_search_and_dbs():
    kinds = required_check_kinds(LicenceType.PRIVATE_HIRE_DRIVER, dt.date(2026, 1, 1))
    assert "nr3s_search" in kinds and "dbs_enhanced" in kinds


def test_a_new_edition_applies_from_its_effective_date(tmp_path):
    data = json.loads(DATA_FILE.read_text())
    latest = data["editions"][-1]
    newer = dict(latest, edition="2027-01", effective_from="2027-01-01")
    newer["requirements"] = dict(newer["requirements"], private_hire_operator=["dbs_enhanced"])
    data["editions"].append(newer)
    path = tmp_path / "requirements.json"
    path.write_text(json.dumps(data))
    assert edition_on(dt.date(2026, 12, 31), path).edition == latest["edition"]
    assert edition_on(dt.date(2027, 1, 1), path).edition == "2027-01"
    assert required_check_kinds("private_hire_operator", dt.date(2027, 6, 1), path) == ("dbs_enhanced",)

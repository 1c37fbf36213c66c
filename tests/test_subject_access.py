"""Subject access (G22): one holder's export holds their records, letters and audit rows, and
never a trace of another holder."""

import datetime as dt
import io
import json
import zipfile

import pypdf

from licensing.extensions import db
from licensing.holders.operations.holders import create_vehicle, record_conviction, record_intelligence
from licensing.models import Licence
from licensing.reviews.operations import cases as review_ops
from licensing.reviews.operations import registers as register_operations
from licensing.revocations import immediate as action_operations
from tests.support import reviews
from tests.support.people import authoriser_for
from tests.support.register import user


def _seed(officer, ref, sentinel):
    holder = reviews.holder(ref, last_name=f"Surname{sentinel}")
    create_vehicle(officer, holder, {"registration": f"{ref[-3:]}12 ABC", "make": "Skoda", "model": sentinel,
                                     "seats": 4})
    record_conviction(officer, holder, {"category": "minor_traffic", "disposal": "conviction",
                                        "offence": f"Offence {sentinel}", "source": "dvla",
                                        "conviction_date": dt.date.today() - dt.timedelta(days=30)})
    record_intelligence(officer, holder, {"source": "police", "grading": "B2 P", "summary": f"Intel {sentinel}",
                                          "received_on": dt.date.today()})
    case = review_ops.open_case(officer, holder, "audit", f"Case {sentinel}")
    review_ops.add_note(officer, case, f"Note {sentinel}")
    register_operations.record_complaint(officer, received_on=dt.date.today(), channel="email", category="other",
                                         details=f"Complaint {sentinel}", holder_id=holder.id)
    action_operations.take_immediate_action(
        officer, db.session.get(Licence, holder.licences[0].id), "suspension", grounds=f"Grounds {sentinel}",
        public_safety_reason="Safety", police_information=False, authorised_by_id=authoriser_for(officer).id,
        suspension_to=dt.date.today() + dt.timedelta(days=30))
    db.session.commit()
    return holder.holder_ref


def test_export_holds_one_person_only(app, ctx, users, tmp_path):
    officer = user(users["officer"])
    mine = _seed(officer, "SARONE", "MINE7431")
    _seed(officer, "SARTWO", "OTHER9902")
    out = tmp_path / "sar.zip"
    result = app.test_cli_runner().invoke(args=["subject-access", mine, "--out", str(out)])
    assert result.exit_code == 0, result.output

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        blobs = {name: archive.read(name) for name in names}
    text = b"\n".join(blobs.values())
    for table in ("licence_holders", "licences", "vehicles", "convictions", "intelligence", "review_cases",
                  "review_case_notes", "complaints", "enforcement_actions", "issued_letters", "audit_events"):
        assert f"{table}.json" in names, table
    for what in ("SurnameMINE7431", "Offence MINE7431", "Intel MINE7431", "Case MINE7431", "Note MINE7431",
                 "Complaint MINE7431", "Grounds MINE7431"):
        assert what.encode() in text, what
    assert b"OTHER9902" not in text and b"SARTWO" not in text
    holders = json.loads(blobs["licence_holders.json"])
    assert [h["holder_ref"] for h in holders] == [mine]
    audit = json.loads(blobs["audit_events.json"])
    assert audit and {row["holder_id"] for row in audit} == {holders[0]["id"]}

    letters = [name for name in names if name.startswith("files/issued_letters/")]
    assert letters

    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(blobs[letters[0]])).pages)
    assert "SurnameMINE7431" in pdf_text and "OTHER9902" not in pdf_text


def test_unknown_reference_is_refused(app, ctx, tmp_path):
    result = app.test_cli_runner().invoke(args=["subject-access", "NOPE", "--out", str(tmp_path / "x.zip")])
    assert result.exit_code != 0 and "No licence holder has the reference NOPE" in result.output

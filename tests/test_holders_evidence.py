"""Evidence uploads: content checks, size limits, generated names and safe downloads."""

import hashlib
import io

import sqlalchemy as sa

from licensing.extensions import db
from licensing.models import AuditEvent, ComplianceCheck, EvidenceDocument
from tests.conftest import login
from tests.support import register
from tests.support.register import TODAY, date_parts, field_error

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _setup(app, users):
    with app.app_context():
        officer = register.user(users["officer"])
        holder = register.person(officer)
        check = register.add_check(officer, holder, "dbs_enhanced")
        db.session.commit()
        return holder.id, check.id


def _check_form(data=None, name="certificate.pdf", content=PDF):
    return {"kind": "dvla", "licence_id": "", "result": "pass", "completed_on": date_parts(TODAY),
            "evidence": (io.BytesIO(content), name), **(data or {})}


def test_upload_with_a_check_is_stored_with_its_hash_under_a_generated_name(app, client, users):
    holder_id, _ = _setup(app, users)
    login(client, users["officer"])
    response = client.post(f"/holders/{holder_id}/checks/new", data=_check_form(name="../../etc/passwd.pdf"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        document = db.session.execute(sa.select(EvidenceDocument)).scalar_one()
        assert document.sha256 == hashlib.sha256(PDF).hexdigest() and document.size_bytes == len(PDF)
        assert document.content_type == "application/pdf"
        assert document.original_name == "passwd.pdf"
        assert "/" not in document.stored_name and ".." not in document.stored_name
        assert document.stored_name.endswith(".pdf") and len(document.stored_name) == 36
        assert document.check.kind == "dvla"
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="evidence.upload")).scalar_one()
        assert event.after["sha256"] == document.sha256 and event.holder_id == holder_id


def test_wrong_magic_bytes_are_refused_at_the_field_and_nothing_is_saved(app, client, users):
    holder_id, check_id = _setup(app, users)
    login(client, users["officer"])
    html_named_pdf = b"<html><script>alert(1)</script></html>"
    page = client.post(f"/holders/{holder_id}/checks/new", data=_check_form(content=html_named_pdf),
                       content_type="multipart/form-data").get_data(as_text=True)
    assert field_error(page, "evidence") == "The selected file must be a PDF, JPG or PNG"
    gif = {"evidence": (io.BytesIO(b"GIF89a...."), "x.png")}
    page = client.post(f"/holders/checks/{check_id}/evidence", data=gif,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert field_error(page, "evidence") == "The selected file must be a PDF, JPG or PNG"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidenceDocument)) == 0
        # The check with the bad file was not half-saved either: only the set-up check exists.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ComplianceCheck)) == 1


def test_over_size_file_gets_a_field_message_and_a_huge_body_gets_413(app, client, users):
    holder_id, check_id = _setup(app, users)
    app.config["MAX_UPLOAD_BYTES"] = 1024
    login(client, users["officer"])
    just_over = PNG + b"\x00" * 2000
    page = client.post(f"/holders/checks/{check_id}/evidence", data={"evidence": (io.BytesIO(just_over), "b.png")},
                       content_type="multipart/form-data")
    assert page.status_code == 200
    assert field_error(page.get_data(as_text=True), "evidence") == "The file must be smaller than 1 KB"
    huge = PNG + b"\x00" * (2 * 1024 + 300 * 1024)
    response = client.post(f"/holders/checks/{check_id}/evidence", data={"evidence": (io.BytesIO(huge), "h.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    response = client.post(f"/holders/checks/{check_id}/evidence", data={"evidence": (io.BytesIO(PNG), "ok.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(EvidenceDocument.original_name)).all() == ["ok.png"]


def test_download_is_an_attachment_with_nosniff_and_sandbox(app, client, users):
    holder_id, check_id = _setup(app, users)
    login(client, users["officer"])
    client.post(f"/holders/checks/{check_id}/evidence", data={"evidence": (io.BytesIO(PDF), 'a"b<c>.pdf')},
                content_type="multipart/form-data")
    with app.app_context():
        document_id = db.session.execute(sa.select(EvidenceDocument.id)).scalar_one()
    response = client.get(f"/holders/evidence/{document_id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        event = db.session.execute(sa.select(AuditEvent).filter_by(action="evidence.download")).scalar_one()
        assert event.entity_id == document_id and event.holder_id == holder_id


def test_unauthorised_download_is_refused(app, client, users):
    _, check_id = _setup(app, users)
    login(client, users["officer"])
    client.post(f"/holders/checks/{check_id}/evidence", data={"evidence": (io.BytesIO(PDF), "a.pdf")},
                content_type="multipart/form-data")
    with app.app_context():
        document_id = db.session.execute(sa.select(EvidenceDocument.id)).scalar_one()
    client.post("/auth/logout")
    for role in ("manager", "panel", "admin"):
        other = app.test_client()
        login(other, users[role])
        assert other.get(f"/holders/evidence/{document_id}").status_code == (404 if role == "panel" else 403), role
    anonymous = app.test_client().get(f"/holders/evidence/{document_id}")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.location
    assert client.get("/holders/evidence/999999").status_code in (302, 404)

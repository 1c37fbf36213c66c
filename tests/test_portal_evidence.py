"""A holder sends a document for a due requirement; it waits, unseen by any panel, until an officer
accepts it (then it is a recorded check and counts) or does not (the holder sees why)."""

import datetime as dt
import io
import os
import socket
import struct
import threading

import sqlalchemy as sa

from licensing.compliance.evaluate import holder_compliance
from licensing.extensions import db
from licensing.models import ComplianceCheck, EvidenceDocument, LicenceHolder, OutboundEmail, SubmittedEvidence
from tests.conftest import login
from tests.support.portal import jpeg_with_metadata, linked_holder
from tests.support.register import date_parts

TODAY = dt.date.today()


def _licence_id(app, holder_id):
    with app.app_context():
        return db.session.get(LicenceHolder, holder_id).licences[0].id


def _send(client, licence_id, content=None, name="medical.jpg", requirement="medical_group2", completed=None):
    return client.post(f"/account/licences/{licence_id}/send/{requirement}", content_type="multipart/form-data", data={
        "document": (io.BytesIO(content if content is not None else jpeg_with_metadata()), name),
        "completed_on": date_parts(completed or TODAY - dt.timedelta(days=3)), "reference": "MED-1"})


def _overdue(app, holder_id):
    with app.app_context():
        return {item.requirement for item in holder_compliance(holder_id, TODAY).reasons}


def test_a_sent_document_counts_once_an_officer_accepts_it(app, users):
    holder_client, holder_id = linked_holder(app, users["officer"], "E-1", "e1@example.com")
    licence_id = _licence_id(app, holder_id)
    home = holder_client.get("/account/").get_data(as_text=True)
    assert f"/account/licences/{licence_id}/send/medical_group2" in home
    assert "medical_group2" in _overdue(app, holder_id)
    response = _send(holder_client, licence_id)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert "/account/documents/" in response.location
    assert "Document sent" in holder_client.get(response.location).get_data(as_text=True)
    assert "Sent: waiting to be checked" in holder_client.get("/account/").get_data(as_text=True)
    with app.app_context():
        submission = db.session.execute(sa.select(SubmittedEvidence)).scalar_one()
        assert b"SecretCam" not in submission.content and submission.content.startswith(b"\xff\xd8\xff")
        assert db.session.execute(sa.select(sa.func.count()).select_from(EvidenceDocument)).scalar_one() == 0
        submission_id = submission.id
    assert "medical_group2" in _overdue(app, holder_id)  # not yet: nothing counts before it is accepted

    officer = app.test_client()
    login(officer, users["officer"])
    queue = officer.get("/holders/online-documents").get_data(as_text=True)
    assert f"DOC-{submission_id:06d}" in queue and "1 waiting" in queue
    item = officer.get(f"/holders/online-documents/{submission_id}").get_data(as_text=True)
    assert "MED-1" in item
    download = officer.get(f"/holders/online-documents/{submission_id}/file")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    accepted = officer.post(f"/holders/online-documents/{submission_id}/accept", data={
        "result": "pass", "completed_on": date_parts(TODAY - dt.timedelta(days=3)),
        "expires_on": date_parts(TODAY + dt.timedelta(days=5 * 365)), "reference": "MED-1"})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)[:500]
    assert "medical_group2" not in _overdue(app, holder_id)
    with app.app_context():
        check = db.session.execute(sa.select(ComplianceCheck).filter_by(holder_id=holder_id)).scalar_one()
        assert check.kind.value == "medical_group2" and check.reference == "MED-1"
        document = db.session.execute(sa.select(EvidenceDocument)).scalar_one()
        assert document.check_id == check.id
        assert db.session.get(SubmittedEvidence, submission_id).status.value == "accepted"
        subjects = db.session.execute(sa.select(OutboundEmail.subject).where(
            OutboundEmail.to_address == "e1@example.com")).scalars().all()
        assert "Your document has been accepted" in subjects
    assert "0 waiting" in officer.get("/holders/online-documents").get_data(as_text=True)
    again = officer.post(f"/holders/online-documents/{submission_id}/reject", data={"reason": "Late"})
    assert again.status_code == 400 and "already accepted" in again.get_data(as_text=True)


def test_a_document_not_accepted_shows_the_holder_why(app, users):
    holder_client, holder_id = linked_holder(app, users["officer"], "E-2", "e2@example.com")
    _send(holder_client, _licence_id(app, holder_id))
    with app.app_context():
        submission_id = db.session.execute(sa.select(SubmittedEvidence.id)).scalar_one()
    officer = app.test_client()
    login(officer, users["officer"])
    empty = officer.post(f"/holders/online-documents/{submission_id}/reject", data={"reason": " "})
    assert empty.status_code == 400 and "govuk-error-summary" in empty.get_data(as_text=True)
    assert officer.post(f"/holders/online-documents/{submission_id}/reject",
                        data={"reason": "The photo is blurred: send a clearer one"}).status_code == 302
    page = holder_client.get(f"/account/documents/{submission_id}").get_data(as_text=True)
    assert "Not accepted" in page and "The photo is blurred" in page
    assert "medical_group2" in _overdue(app, holder_id)


def test_bad_uploads_are_refused_at_the_field_and_nothing_is_kept(app, users):
    holder_client, holder_id = linked_holder(app, users["officer"], "E-3", "e3@example.com")
    licence_id = _licence_id(app, holder_id)
    for content, name, message in ((b"MZ\x90\x00 not a pdf", "medical.pdf", "must be a PDF, JPG or PNG"),
                                   (b"", "empty.pdf", "The selected file is empty")):
        page = _send(holder_client, licence_id, content, name).get_data(as_text=True)
        assert 'id="document-error"' in page and message in page
    future = _send(holder_client, licence_id, completed=TODAY + dt.timedelta(days=2)).get_data(as_text=True)
    assert "must be today or in the past" in future
    not_due = _send(holder_client, licence_id, requirement="nr3s_search")
    assert not_due.status_code == 404  # the council makes that check itself
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(SubmittedEvidence)).scalar_one() == 0


class FakeClamd:
    """A ClamAV daemon on a Unix socket that answers INSTREAM with a fixed verdict."""

    def __init__(self, path, verdict):
        self.path, self.verdict, self.received = path, verdict, b""
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        conn, _ = self.server.accept()
        with conn:
            assert conn.recv(10) == b"zINSTREAM\0"
            while True:
                size = struct.unpack("!L", conn.recv(4))[0]
                if size == 0:
                    break
                while size:
                    part = conn.recv(size)
                    self.received += part
                    size -= len(part)
            conn.sendall(self.verdict + b"\0")


def test_the_virus_scan_refuses_an_infected_file_and_fails_closed(app, users, tmp_path):
    holder_client, holder_id = linked_holder(app, users["officer"], "E-4", "e4@example.com")
    licence_id = _licence_id(app, holder_id)
    infected = FakeClamd(str(tmp_path / "infected.sock"), b"stream: Eicar-Test-Signature FOUND")
    app.config["CLAMD_SOCKET"] = infected.path
    page = _send(holder_client, licence_id).get_data(as_text=True)
    assert "contains a virus" in page and infected.received.startswith(b"\xff\xd8\xff")
    app.config["CLAMD_SOCKET"] = str(tmp_path / "nobody-listening.sock")
    assert "could not check the file for viruses" in _send(holder_client, licence_id).get_data(as_text=True)
    clean = FakeClamd(str(tmp_path / "clean.sock"), b"stream: OK")
    app.config["CLAMD_SOCKET"] = clean.path
    assert _send(holder_client, licence_id).status_code == 302
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(SubmittedEvidence)).scalar_one() == 1
    os.unlink(infected.path)


def test_the_officers_queue_runs_the_same_statements_for_one_document_or_many(app, users):
    """No query per waiting document: the queue loads each document's holder and licence with it."""
    from tests.test_register_queries import counted_statements

    officer = app.test_client()
    login(officer, users["officer"])
    holder_client, holder_id = linked_holder(app, users["officer"], "E-Q", "eq@example.com")
    licence_id = _licence_id(app, holder_id)
    assert _send(holder_client, licence_id).status_code == 302

    def statements():
        officer.get("/holders/online-documents")  # warm
        with counted_statements(app) as run:
            page = officer.get("/holders/online-documents")
        assert page.status_code == 200
        return len(run)

    one = statements()
    for n in range(2, 5):
        other_client, other_id = linked_holder(app, users["officer"], f"E-Q{n}", f"eq{n}@example.com")
        assert _send(other_client, _licence_id(app, other_id)).status_code == 302
    assert statements() == one

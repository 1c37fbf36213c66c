"""Evidence uploads: PDF, JPEG or PNG only, recognised by their content, stored in the database."""

import hashlib
import os
import unicodedata
import uuid

from licensing.audit import record
from licensing.extensions import db
from licensing.holders.errors import RegisterError
from licensing.models import EvidenceDocument

# (leading bytes, content type, extension). The client's file name and type are never trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def detect_type(content):
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    return None


def display_name(filename):
    """The client's file name reduced to a harmless label (no folders, no control characters)."""
    name = os.path.basename((filename or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable() and ch not in '"<>|:*?')
    name = name.strip(" .")
    return name[-200:] or "evidence"


def size_text(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{max(size // 1024, 1)} KB"


def read_upload(storage, max_bytes, field="evidence"):
    """Read a Werkzeug FileStorage within the limit; returns (content, content type, extension)."""
    content = storage.stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise RegisterError(f"The file must be smaller than {size_text(max_bytes)}", field=field)
    if not content:
        raise RegisterError("The selected file is empty", field=field)
    detected = detect_type(content)
    if detected is None:
        raise RegisterError("The selected file must be a PDF, JPG or PNG", field=field)
    return content, *detected


def store_evidence(actor, holder, check, storage, max_bytes, field="evidence", enforcement_check=None):
    """Validate and store one uploaded file under a generated name, with its SHA-256; audited."""
    content, content_type, _extension = read_upload(storage, max_bytes, field)
    return store_content(actor, holder, check, content, content_type, display_name(storage.filename),
                         enforcement_check=enforcement_check)


def store_content(actor, holder, check, content, content_type, original_name, enforcement_check=None):
    """Store checked content (an upload just read, or a document a holder sent online) as evidence."""
    extension = next(ext for _magic, kind, ext in SIGNATURES if kind == content_type)
    document = EvidenceDocument(
        check=check,
        enforcement_check=enforcement_check,
        holder_id=holder.id,
        stored_name=f"{uuid.uuid4().hex}.{extension}",
        original_name=original_name,
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    record(actor, "evidence.upload", document, after={
        "stored_name": document.stored_name, "content_type": content_type,
        "size_bytes": document.size_bytes, "sha256": document.sha256, "check_id": check.id if check else None,
        "enforcement_check_id": enforcement_check.id if enforcement_check else None,
    })
    return document


def record_download(actor, document):
    record(actor, "evidence.download", document)

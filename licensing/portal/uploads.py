"""What a holder uploads is checked before it is kept: its type from its first bytes (as the
register's uploads), its size, an optional virus scan by a ClamAV daemon (CLAMD_SOCKET: a Unix
socket path, or host:port), and images re-encoded without their metadata (camera, place, time)."""

import hashlib
import io
import socket
import struct

from flask import current_app
from PIL import Image, UnidentifiedImageError

from licensing.holders.errors import RegisterError
from licensing.holders.evidence import display_name, read_upload
from licensing.portal.operations import PortalError

CHUNK = 64 * 1024


class ScanUnavailable(PortalError):
    """The virus scanner is configured but did not answer: the upload is refused, not let through."""


def _connect(address, timeout):
    if ":" in address and not address.startswith("/"):
        host, port = address.rsplit(":", 1)
        return socket.create_connection((host, int(port)), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(address)
    return sock


def virus_scan(content, address, timeout=10):
    """clamd's INSTREAM command: None when clean, else the signature name it found."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start:start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScanUnavailable("We could not check the file for viruses just now. Try again later",
                              field="document") from error
    text = reply.rstrip(b"\0").decode(errors="replace")
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.split(":", 1)[-1].removesuffix("FOUND").strip()
    raise ScanUnavailable("We could not check the file for viruses just now. Try again later", field="document")


def without_metadata(content, content_type):
    """A JPEG or PNG re-encoded from its pixels alone, so no EXIF, GPS or comment survives."""
    if content_type not in ("image/jpeg", "image/png"):
        return content
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            clean = Image.frombytes(image.mode, image.size, image.tobytes())  # pixels only, no info
            if image.mode == "P" and image.getpalette():
                clean.putpalette(image.getpalette())
            out = io.BytesIO()
            clean.save(out, format="JPEG" if content_type == "image/jpeg" else "PNG", quality=90)
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise PortalError("The selected image could not be read. Send a PDF, JPG or PNG",
                          field="document") from error
    return out.getvalue()


def checked_upload(storage):
    """(content, content type, file name, SHA-256) of an accepted upload, or PortalError at `document`."""
    if storage is None or not storage.filename:
        raise PortalError("Select a file", field="document")
    try:
        content, content_type, _extension = read_upload(storage, current_app.config["MAX_UPLOAD_BYTES"], "document")
    except RegisterError as error:
        raise PortalError(error.message, field="document") from error
    scanner = current_app.config.get("CLAMD_SOCKET")
    if scanner:
        found = virus_scan(content, scanner)
        if found:
            raise PortalError("The selected file contains a virus and has not been sent", field="document")
    content = without_metadata(content, content_type)
    return content, content_type, display_name(storage.filename), hashlib.sha256(content).hexdigest()

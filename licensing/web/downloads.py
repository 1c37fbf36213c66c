"""Serving stored files: always as attachments, never rendered in the site's origin."""

import io

from flask import send_file

# A downloaded file runs in a sandbox with no permissions and cannot be framed.
DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


def attachment(content, filename, mimetype):
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response

"""Serving stored files: always as attachments, never rendered in the site's origin."""

import io

from flask import Response, send_file, stream_with_context

from licensing.text import csv_line

# A downloaded file runs in a sandbox with no permissions and cannot be framed.
DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


def attachment(content, filename, mimetype):
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_download(filename, header, rows):
    """A CSV file streamed row by row as it is read: `rows()` is called only once the body is sent,
    after the request's edge has committed (so an audit row of the download is saved first)."""

    def generate():
        yield csv_line(header)
        for row in rows():
            yield csv_line(row)

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response

from flask import Blueprint, Response, stream_with_context
from flask_login import current_user

from licensing.audit import record
from licensing.extensions import db
from licensing.imports.csvio import csv_line
from licensing.imports.export import EXPORT_COLUMNS, register_rows
from licensing.permissions import Permission, requires

bp = Blueprint("register_data", __name__, url_prefix="/register-data")


@bp.route("/register.csv")
@requires(Permission.REGISTER_EXPORT)
def export_register():
    """The whole register as CSV (personal data: staff only, and every download is audited)."""
    record(current_user, "register.exported", entity_type="register", reason="register CSV download")
    db.session.commit()

    def generate():
        yield csv_line(EXPORT_COLUMNS)
        for row in register_rows():
            yield csv_line(row)

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=licence-register.csv"},
    )

from flask import Blueprint
from flask_login import current_user

from licensing.audit import record
from licensing.imports.export import EXPORT_COLUMNS, register_rows
from licensing.permissions import Permission, requires
from licensing.web.downloads import csv_download

bp = Blueprint("register_data", __name__, url_prefix="/register-data")


@bp.route("/register.csv")
@requires(Permission.REGISTER_EXPORT)
def export_register():
    """The whole register as CSV (personal data: staff only, and every download is audited)."""
    record(current_user, "register.exported", entity_type="register", reason="register CSV download")
    return csv_download("licence-register.csv", EXPORT_COLUMNS, register_rows)

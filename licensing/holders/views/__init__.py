"""The register's pages: search, the holder page, licences, and the records on a holder."""

from flask import Blueprint

bp = Blueprint("holders", __name__, url_prefix="/holders")

from licensing.holders.views import holder, licence, records, search  # noqa: E402,F401

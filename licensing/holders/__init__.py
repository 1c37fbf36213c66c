from flask import Blueprint

bp = Blueprint("holders", __name__, url_prefix="/holders")

from licensing.holders import holder_views, licence_views, record_views, views  # noqa: E402,F401

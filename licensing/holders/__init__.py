from flask import Blueprint

bp = Blueprint("holders", __name__, url_prefix="/holders")

from licensing.holders import views  # noqa: E402,F401

from flask import Blueprint

bp = Blueprint("revocations", __name__, url_prefix="/revocations")

from licensing.revocations import views  # noqa: E402,F401

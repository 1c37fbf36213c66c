from flask import Blueprint

bp = Blueprint("hearings", __name__, url_prefix="/hearings")

from licensing.hearings import views  # noqa: E402,F401

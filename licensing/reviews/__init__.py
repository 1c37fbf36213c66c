from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from licensing.reviews import views, views_registers  # noqa: E402,F401

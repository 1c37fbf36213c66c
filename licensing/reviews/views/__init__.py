"""Review pages: cases and guidance, and the complaints, enforcement-check and action registers."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from licensing.reviews.views import cases, registers, report  # noqa: E402,F401

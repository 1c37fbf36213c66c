"""Bulk import and export of the register (CSV), and the staff download of the register."""

from flask import Blueprint

bp = Blueprint("register_data", __name__, url_prefix="/register-data")

from licensing.imports import views  # noqa: E402,F401

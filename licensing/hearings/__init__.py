from flask import Blueprint

bp = Blueprint("hearings", __name__, url_prefix="/hearings")

from licensing.hearings import views  # noqa: E402,F401
from licensing.hearings.queries import holder_decisions  # noqa: E402
from licensing.holders.holder_page import register_holder_section  # noqa: E402

# Module import happens once per process, so the section is registered once.
register_holder_section("hearings/_holder_decisions.html",
                        lambda holder, user: {"hearing_decisions": holder_decisions(holder.id)})

"""Officers' side of online accounts: issue the one-time code that links a holder's online account
to their record (for a letter or the counter). It is shown once and kept only as a hash."""

from flask import Blueprint, render_template

from licensing.models import LicenceHolder, Permission
from licensing.permissions import get_or_404, requires
from licensing.portal.forms import IssueLinkCodeForm
from licensing.portal.operations import issue_holder_link_code
from licensing.web.submit import actor, submit

bp = Blueprint("online_accounts", __name__, url_prefix="/holders")


@bp.route("/<int:holder_id>/online-account/code", methods=["POST"])
@requires(Permission.REGISTER_WRITE)
def issue_code(holder_id):
    holder = get_or_404(LicenceHolder, holder_id)
    form = IssueLinkCodeForm()

    def shown(result):
        secret, link = result
        return render_template("portal/staff_link_code.html", holder=holder, code=secret, link=link)

    done = submit(form, lambda: issue_holder_link_code(actor(), holder), on_success=shown)
    if done is None:
        return render_template("errors/400.html"), 400
    return done

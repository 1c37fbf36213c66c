"""Officers' queue of applications made online: what the applicant answered and declared, each
document to accept or not, possible duplicate records, and a request for more information. The
decision itself is taken on the licence's page, on the one decision path (requirements gate,
national register search, letter)."""

from flask import Blueprint, render_template, url_for

from licensing.models import LicenceType, OnlineApplication, Permission
from licensing.permissions import get_or_404, requires
from licensing.policy.fees import pounds
from licensing.portal import applications as apps
from licensing.portal.evidence import document_label
from licensing.portal.forms import MoreInformationForm
from licensing.portal.payments import application_payments
from licensing.web.submit import actor, submit

bp = Blueprint("online_applications", __name__, url_prefix="/holders")


@bp.route("/online-applications")
@requires(Permission.REGISTER_WRITE)
def queue():
    return render_template("portal/staff_applications.html", applications=apps.queue(), type_label=_type_label)


def _page(application, form=None, status=200):
    return render_template("portal/staff_application.html", application=application,
                           form=form or MoreInformationForm(), documents=apps.documents(application),
                           rows=apps.answer_rows(application),
                           duplicates=apps.possible_duplicates(application), label=document_label,
                           payments=application_payments(application), pounds=pounds,
                           type_label=_type_label(application.licence_type)), status


@bp.route("/online-applications/<int:application_id>")
@requires(Permission.REGISTER_WRITE)
def item(application_id):
    return _page(get_or_404(OnlineApplication, application_id))


@bp.route("/online-applications/<int:application_id>/more-information", methods=["POST"])
@requires(Permission.REGISTER_WRITE)
def more_information(application_id):
    application = get_or_404(OnlineApplication, application_id)
    form = MoreInformationForm()
    done = submit(form, lambda: apps.ask_for_more(actor(), application, form.request_text.data),
                  redirect_to=url_for("online_applications.queue"),
                  message=f"{application.reference} sent back to the applicant")
    return done or _page(application, form, 400)


def _type_label(value):
    return LicenceType(value).label

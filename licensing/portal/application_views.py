"""Applying online: choose the licence, a task list of sections (save and return), check your
answers with the declaration, and a confirmation with the application's reference."""

import datetime as dt

from flask import Blueprint, abort, redirect, render_template, request, url_for

from licensing.extensions import db
from licensing.models import LicenceType, OnlineApplication, Payment
from licensing.policy.fees import pounds
from licensing.policy.online_applications import rules_on
from licensing.portal import applications as apps
from licensing.portal import payments
from licensing.portal.access import holder_service, refuse_record
from licensing.portal.evidence import document_label
from licensing.portal.forms import (
    AboutYouForm,
    ApplyChoiceForm,
    ConvictionsForm,
    DbsForm,
    DeclarationForm,
    DocumentForm,
    DrivingLicenceForm,
    OperatingCentreForm,
    PayForm,
    VehicleForm,
)
from licensing.portal.pay import payment_service
from licensing.portal.uploads import checked_upload
from licensing.web.submit import save, submit

bp = Blueprint("portal_apply", __name__, url_prefix="/account")

# Each section's page: its address, form and title, in task-list order.
SECTION_PAGES = {
    "about-you": ("about_you", AboutYouForm, "About you"),
    "driving-licence": ("driving_licence", DrivingLicenceForm, "Your driving licence"),
    "convictions": ("convictions", ConvictionsForm, "Convictions and cautions"),
    "dbs": ("dbs", DbsForm, "Your DBS certificate"),
    "vehicle": ("vehicle", VehicleForm, "The vehicle"),
    "operating-centre": ("operating_centre", OperatingCentreForm, "Your operating centre"),
}


def _section_pages(application):
    """This application's sections (its licence type's), in task-list order."""
    wanted = apps.sections_for(application.licence_type)
    return {slug: page for slug, page in SECTION_PAGES.items() if page[0] in wanted}


def _own(account, application_id):
    application = db.session.get(OnlineApplication, application_id)
    if application is None or application.account_id != account.id:
        refuse_record(account, f"application {application_id} is not this account's")
    return application


def _choices(account):
    choices = [(t.value, f"A new {t.label.lower()} licence") for t in apps.ONLINE_TYPES]
    choices += [(f"renew:{lic.id}", f"Renew my {lic.licence_type.label.lower()} licence {lic.licence_number}")
                for lic in apps.renewable_licences(account)]
    return choices


@bp.route("/apply", methods=["GET", "POST"])
@holder_service
def start(account):
    form = ApplyChoiceForm()
    form.choice.choices = _choices(account)
    done = submit(form, lambda: apps.start_application(account, form.choice.data),
                  redirect_to=lambda application: url_for("portal_apply.tasks", application_id=application.id))
    return done or render_template("portal/apply_start.html", account=account, form=form,
                                   applications=apps.own_applications(account))


@bp.route("/applications/<int:application_id>")
@holder_service
def tasks(account, application_id):
    application = _own(account, application_id)
    return render_template("portal/apply_tasks.html", account=account, application=application,
                           progress=apps.progress(application), sections=_section_pages(application),
                           documents=rules_on(dt.date.today()).documents_for(application.licence_type),
                           type_label=LicenceType(application.licence_type).label)


def _form_values(form):
    return {name: field.data for name, field in form._fields.items()
            if name not in ("submit", "csrf_token")}


@bp.route("/applications/<int:application_id>/<section>", methods=["GET", "POST"])
@holder_service
def section(account, application_id, section):
    application = _own(account, application_id)
    pages = _section_pages(application)
    if section not in pages:
        abort(404)
    key, form_class, title = pages[section]
    answers = dict(application.answers or {})
    if answers.get("date_of_birth"):
        answers["date_of_birth"] = dt.date.fromisoformat(answers["date_of_birth"])
    form = form_class(data=answers) if request.method == "GET" else form_class()
    done = submit(form, lambda: apps.save_section(application, key, _form_values(form)),
                  redirect_to=url_for("portal_apply.tasks", application_id=application.id))
    return done or render_template("portal/apply_section.html", account=account, application=application,
                                   form=form, title=title, section=section,
                                   guidance=rules_on(dt.date.today()).conviction_guidance)


@bp.route("/applications/<int:application_id>/documents/<code>", methods=["GET", "POST"])
@holder_service
def document(account, application_id, code):
    application = _own(account, application_id)
    wanted = rules_on(dt.date.today()).document(application.licence_type, code)
    if wanted is None:
        abort(404)
    form = DocumentForm()
    done = submit(form, lambda: apps.attach_document(application, code, checked_upload(request.files.get("document"))),
                  redirect_to=url_for("portal_apply.tasks", application_id=application.id))
    return done or render_template("portal/apply_document.html", account=account, application=application,
                                   form=form, wanted=wanted)


@bp.route("/applications/<int:application_id>/check", methods=["GET", "POST"])
@holder_service
def check(account, application_id):
    application = _own(account, application_id)
    form = DeclarationForm()
    done = submit(form, lambda: apps.submit_application(application, form.declaration.data),
                  redirect_to=url_for("portal_apply.sent", application_id=application.id))
    rules = rules_on(dt.date.today())
    return done or render_template("portal/apply_check.html", account=account, application=application,
                                   form=form, rows=apps.answer_rows(application),
                                   documents=apps.documents(application), wanted=rules.documents_for(
                                       application.licence_type), declaration=rules.declaration,
                                   progress=apps.progress(application), label=document_label,
                                   type_label=LicenceType(application.licence_type).label)


@bp.route("/applications/<int:application_id>/sent")
@holder_service
def sent(account, application_id):
    return _sent_page(account, _own(account, application_id))


@bp.route("/applications/<int:application_id>/pay", methods=["POST"])
@holder_service
def pay(account, application_id):
    application = _own(account, application_id)
    form = PayForm()

    def return_url(payment):
        return url_for("portal_apply.payment", application_id=application.id, payment_id=payment.id, _external=True)

    done = submit(form, lambda: payments.start_payment(account, application, return_url, payment_service()),
                  on_success=lambda payment: redirect(payment.next_url))
    return done or (_sent_page(account, application, form), 400)


@bp.route("/applications/<int:application_id>/payments/<int:payment_id>")
@holder_service
def payment(account, application_id, payment_id):
    application = _own(account, application_id)
    found = db.session.get(Payment, payment_id)
    if found is None or found.online_application_id != application.id:
        refuse_record(account, f"payment {payment_id} is not this application's")
    form = PayForm()
    save(form, lambda: payments.refresh_payment(found, payment_service()))
    return render_template("portal/apply_payment.html", account=account, application=application, payment=found,
                           form=form, pounds=pounds)


def _sent_page(account, application, form=None):
    amount, _edition = payments.fee_for(application)
    return render_template("portal/apply_sent.html", account=account, application=application,
                           paid=payments.successful_payment(application), fee=pounds(amount), form=form or PayForm())

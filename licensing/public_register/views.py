from flask import Blueprint, current_app, render_template, request

from licensing.permissions import public
from licensing.public_register.forms import PublicSearchForm
from licensing.public_register.queries import COUNT_CAP, CSV_COLUMNS, register_csv_rows, register_page
from licensing.web.downloads import csv_download
from licensing.web.limits import limit, one_of_few

bp = Blueprint("public_register", __name__, url_prefix="/public-register")


def _criteria(form):
    if not form.validate():
        return {}
    return {"term": form.q.data or "", "section": form.section.data or None}


@bp.route("/")
@public
@limit("RATELIMIT_PUBLIC_REGISTER")
def index():
    form = PublicSearchForm(request.args)
    criteria = _criteria(form)
    if criteria:
        criteria.update(after=form.after.data, before=form.before.data)
    page = register_page(**criteria, per_page=current_app.config["PAGE_SIZE"])
    return render_template("public_register/index.html", form=form, page=page, count_cap=COUNT_CAP)


@bp.route("/register.csv")
@public
@limit("RATELIMIT_PUBLIC_CSV")
def download():
    # Streamed row by row, and only PUBLIC_CSV_CONCURRENCY at once per worker: anonymous
    # downloads can never hold every thread the officers' pages need.
    criteria = _criteria(PublicSearchForm(request.args))
    return one_of_few("public-register.csv", current_app.config["PUBLIC_CSV_CONCURRENCY"],
                      lambda: csv_download("public-register.csv", CSV_COLUMNS,
                                           lambda: register_csv_rows(**criteria)))

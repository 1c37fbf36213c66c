from flask import Blueprint, current_app, render_template, request, send_file

from licensing.permissions import public
from licensing.public_register.forms import PublicSearchForm
from licensing.public_register.queries import COUNT_CAP, CSV_COLUMNS, register_csv_rows, register_page
from licensing.public_register.snapshot import ensure_snapshot
from licensing.web.downloads import DOWNLOAD_CSP, csv_download
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
    # The whole register is a file the scheduler keeps current, served with caching headers. A
    # filtered one is streamed row by row, and only PUBLIC_CSV_CONCURRENCY at once per worker:
    # anonymous downloads can never hold every thread the officers' pages need.
    criteria = _criteria(PublicSearchForm(request.args))
    path = current_app.config.get("PUBLIC_REGISTER_SNAPSHOT")
    if path and not criteria.get("term") and not criteria.get("section"):
        return _snapshot_file(path)
    return one_of_few("public-register.csv", current_app.config["PUBLIC_CSV_CONCURRENCY"],
                      lambda: csv_download("public-register.csv", CSV_COLUMNS,
                                           lambda: register_csv_rows(**criteria)))


def _snapshot_file(path):
    response = send_file(ensure_snapshot(path), mimetype="text/csv", as_attachment=True,
                         download_name="public-register.csv", conditional=True, etag=True,
                         max_age=current_app.config["PUBLIC_REGISTER_MAX_AGE"])
    response.cache_control.public = True
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

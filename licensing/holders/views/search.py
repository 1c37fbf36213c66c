from flask import current_app, render_template, request

from licensing.holders.forms import HolderSearchForm
from licensing.holders.queries.search import COUNT_CAP, search_holders
from licensing.holders.views import bp
from licensing.permissions import Permission, requires


@bp.route("/")
@requires(Permission.HOLDERS_READ)
def index():
    form = HolderSearchForm(request.args)
    criteria = {}
    if form.validate():
        criteria = {
            "term": form.q.data or "",
            "licence_type": form.licence_type.data or None,
            "status": form.status.data or None,
            "after": form.after.data,
            "before": form.before.data,
        }
    results = search_holders(**criteria, per_page=current_app.config["PAGE_SIZE"])
    return render_template("holders/index.html", form=form, results=results, count_cap=COUNT_CAP)

from flask import current_app, redirect, render_template, request, url_for

from licensing.holders.forms import HolderSearchForm
from licensing.holders.queries.search import COUNT_CAP, exact_identifier, search_holders
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
    term = criteria.get("term", "").strip()
    if (term and len(results.holders) == 1 and results.count == 1 and not criteria.get("after")
            and not criteria.get("before") and exact_identifier(term, results.holders[0])):
        # A badge, licence, plate or registration names one holder: go straight to them.
        return redirect(url_for("holders.show_holder", holder_id=results.holders[0].id))
    return render_template("holders/index.html", form=form, results=results, count_cap=COUNT_CAP)

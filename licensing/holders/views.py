from flask import current_app, render_template, request

from licensing.holders import bp
from licensing.holders.queries import search_holders
from licensing.permissions import roles_required


@bp.route("/")
@roles_required("officer", "manager", "admin")
def index():
    term = request.args.get("q", "")
    page = max(request.args.get("page", 1, type=int), 1)
    per_page = current_app.config["PAGE_SIZE"]
    holders, total = search_holders(term, page, per_page)
    return render_template(
        "holders/index.html", holders=holders, total=total, term=term, page=page,
        pages=max((total + per_page - 1) // per_page, 1),
    )

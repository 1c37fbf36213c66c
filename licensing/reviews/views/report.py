"""The officer's report on a case: written from a prefilled template and edited in place."""

from flask import render_template, url_for
from flask_login import current_user

from licensing.models import ReviewCase
from licensing.permissions import Permission, authorise, get_or_404, requires
from licensing.reviews.forms import ReportForm
from licensing.reviews.operations import report as operations
from licensing.reviews.views import bp
from licensing.web.submit import submit


@bp.route("/cases/<int:case_id>/report", methods=["GET", "POST"])
@requires(Permission.REVIEWS_WRITE)
def report(case_id):
    case = get_or_404(ReviewCase, case_id)
    authorise(case.can_view(current_user), "cannot view this case")
    current = operations.report_for(case)
    prefill = ({name: getattr(current, name) for name in operations.FIELDS} if current
               else operations.draft_report(case))
    form = ReportForm(data={**prefill, "version": current.version if current else ""})
    done = submit(form, lambda: operations.save_report(
        current_user, case, {name: form[name].data for name in operations.FIELDS}, version=form.version.data),
        field="background", redirect_to=url_for("reviews.case", case_id=case.id) + "#report",
        message="Officer's report saved")
    return done or render_template("reviews/report.html", case=case, report=current, form=form)

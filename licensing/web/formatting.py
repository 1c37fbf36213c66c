"""Template filters: the wording of licensing/text.py, for templates."""

from licensing.text import display_value, govuk_date, govuk_datetime, job_label, label


def register(app):
    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_filter(govuk_datetime, "govuk_datetime")
    app.add_template_filter(label, "label")
    app.add_template_filter(display_value, "display_value")
    app.add_template_filter(job_label, "job_label")

"""Template filters: the wording of licensing/text.py, for templates."""

from licensing.text import display_value, govuk_date, govuk_datetime, job_label, label

# Licence status tags: the same colour wherever a status shows (holder, licence, public register).
STATUS_TAGS = {"active": "govuk-tag--green", "applied": "govuk-tag--blue", "suspended": "govuk-tag--red",
               "revoked": "govuk-tag--red", "refused": "govuk-tag--orange", "expired": "govuk-tag--grey",
               "surrendered": "govuk-tag--grey"}


def status_tag(status):
    return STATUS_TAGS.get(getattr(status, "value", status), "govuk-tag--grey")


def register(app):
    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_filter(govuk_datetime, "govuk_datetime")
    app.add_template_filter(label, "label")
    app.add_template_filter(display_value, "display_value")
    app.add_template_filter(job_label, "job_label")
    app.add_template_filter(status_tag, "status_tag")

"""Template filters: the wording of licensing/text.py, for templates."""

from licensing.text import (
    audit_action_label,
    audit_key_label,
    audit_record_label,
    audit_value,
    display_value,
    govuk_date,
    govuk_datetime,
    job_label,
    label,
)

# Licence status tags: the same colour wherever a status shows (holder, licence, public register).
STATUS_TAGS = {"active": "govuk-tag--green", "applied": "govuk-tag--blue", "suspended": "govuk-tag--red",
               "revoked": "govuk-tag--red", "refused": "govuk-tag--orange", "expired": "govuk-tag--grey",
               "surrendered": "govuk-tag--grey"}


def status_tag(status):
    return STATUS_TAGS.get(getattr(status, "value", status), "govuk-tag--grey")


# Review case status tags: by how far the case has got, so a finished case does not look like new work.
CASE_STATE_TAGS = {"open": "govuk-tag--turquoise", "investigating": "govuk-tag--purple",
                   "awaiting_decision": "govuk-tag--yellow", "listed_for_hearing": "govuk-tag--orange",
                   "decided": "govuk-tag--green", "closed": "govuk-tag--grey", "withdrawn": "govuk-tag--grey"}


def case_state_tag(state):
    return CASE_STATE_TAGS.get(getattr(state, "value", state), "govuk-tag--grey")


def requirement_label(code):
    """A compliance requirement's code ("medical_group2") as the policy names it ("Group 2 medical")."""
    import datetime as dt

    from licensing.compliance.due import policy_path
    from licensing.policy.requirements import edition_on

    rule = edition_on(dt.date.today(), policy_path()).rules.get(getattr(code, "value", code))
    if rule is not None:
        return rule.label
    return label(code) if hasattr(code, "label") else str(code).replace("_", " ").capitalize()


def register(app):
    app.add_template_filter(govuk_date, "govuk_date")
    app.add_template_filter(govuk_datetime, "govuk_datetime")
    app.add_template_filter(label, "label")
    app.add_template_filter(display_value, "display_value")
    app.add_template_filter(job_label, "job_label")
    app.add_template_filter(status_tag, "status_tag")
    app.add_template_filter(case_state_tag, "case_state_tag")
    app.add_template_filter(requirement_label, "requirement_label")
    # Recorded fields and records (the audit trail, a subject access draft) named in words.
    app.add_template_filter(audit_key_label, "field_label")
    app.add_template_filter(audit_record_label, "record_label")
    app.add_template_filter(audit_action_label, "audit_action")
    app.add_template_filter(lambda value: "" if value in (None, "") else audit_value(value), "recorded_value")

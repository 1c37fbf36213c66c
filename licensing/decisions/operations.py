"""The one decision step for an application, whoever decides it."""

from dataclasses import dataclass

from licensing.holders.operations import licences


@dataclass
class ApplicationDecision:
    """What deciding an application produced: the application (closed or deferred), the
    enforcement record of a refusal (None otherwise) and the notice issued (None when the caller
    issues its own, as a hearing does)."""

    application: object
    action: object = None
    letter: object = None


def decide_application(actor, application, *, outcome, capacity, decided_on, reasons, decided_by=None,
                       expires_on=None, conditions=None, safeguarding_or_road_safety=False,
                       service_method="first_class_post", notice_date=None, case=None, issue_notice=True,
                       version=None, today=None):
    """Grant, refuse or defer `application`. `decided_by` is the person who decided (the officer
    under delegation, or the hearing's decision maker); `actor` is who records it."""
    version = application.licence.version if version is None else version
    licences.decide_application(actor, application, outcome=outcome, capacity=capacity, decided_on=decided_on,
                                reasons=reasons, expires_on=expires_on, version=version, today=today)
    return ApplicationDecision(application=application)

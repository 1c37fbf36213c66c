"""Officers' written warnings, and suspensions and revocations with notice, under delegated powers.

Not immediate: through `take_action`, a suspension or revocation takes effect the day after the
time to appeal ends (s.61(2A), s.60, s.62; held by an appeal in time, s.77(2)) and a warning when
its notice is served, with no appeal. The delegation relied on (policy data) is audited and printed
on the notice.
"""

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from licensing.audit import record
from licensing.letters.contact import contact_from_config
from licensing.letters.immediate_action import ImmediateActionNotice, build_immediate_action_notice
from licensing.letters.issue import issue_letter
from licensing.letters.warning import WarningNotice, build_warning_notice
from licensing.models import DEFAULT_DECISION, ActionKind, ActionOrigin, LicenceStatus
from licensing.policy.delegations import delegation_for
from licensing.policy.service import method as service_rule
from licensing.policy.statutory import NoRule, rule_for
from licensing.revocations import effects
from licensing.revocations.errors import RevocationError, check_version
from licensing.revocations.immediate import check_authoriser
from licensing.revocations.operations import check_consent, take_action
from licensing.revocations.queries import nr3s_entry_opened
from licensing.text import govuk_date

DELEGATED_KINDS = (ActionKind.WARNING, ActionKind.SUSPENSION, ActionKind.REVOCATION)
IN_FORCE = frozenset({LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED})


@dataclass(frozen=True)
class Checked:
    """What the action will be, worked out before anything is written (the check page shows it)."""

    kind: ActionKind
    grounds: str
    authoriser: object
    decision_date: dt.date
    notice_date: dt.date
    dates: effects.NoticeDates  # service, appeal deadline and effect, from the rule table
    delegation: str


def check_delegated_action(actor, licence, kind, *, grounds, authorised_by_id, case=None, suspension_to=None,
                           service_method="hand", decision_date=None, today=None, version=None):
    """Every refusal `take_delegated_action` can give, before anything is written."""
    today = today or dt.date.today()
    decision_date = decision_date or today
    check_version(licence, version, "licence")
    try:
        kind = ActionKind(kind)
    except ValueError:
        kind = None
    if kind not in DELEGATED_KINDS:
        raise RevocationError("Choose a warning, a suspension or a revocation", field="kind")
    if licence.status not in IN_FORCE or (licence.expires_on is not None and licence.expires_on < today):
        raise RevocationError(f"A licence that is {licence.status.label.lower()} is not in force: it cannot be "
                              f"given a {kind.label.lower()}", field="kind")
    if decision_date > today:
        raise RevocationError("The date of the decision cannot be in the future", field="decision_date")
    grounds = (grounds or "").strip()
    if not grounds:
        raise RevocationError("Enter the grounds for the decision", field="grounds")
    authoriser = check_authoriser(actor, authorised_by_id, decision_date)
    try:
        service_rule(service_method)
    except ValueError:
        raise RevocationError("Choose how the notice is given", field="service_method") from None
    check_consent(licence, service_method)
    try:
        rule = rule_for(licence.licence_type, DEFAULT_DECISION[kind], decision_date)
    except NoRule:
        raise RevocationError(f"A {kind.label.lower()} is not available for a "
                              f"{licence.licence_type.label.lower()} licence", field="kind") from None
    dates = effects.notice_dates(rule, decision_date=decision_date, notice_date=today, service_method=service_method)
    _check_last_day(kind, suspension_to, dates.effective_on)
    if case is not None and case.holder_id != licence.holder_id:
        raise RevocationError("The case must be about the licence holder", field="case_id")
    return Checked(kind=kind, grounds=grounds, authoriser=authoriser, decision_date=decision_date, notice_date=today,
                   dates=dates, delegation=delegation_for(rule.decision, decision_date))


def _check_last_day(kind, suspension_to, effective_on):
    if kind == ActionKind.SUSPENSION and suspension_to is None:
        raise RevocationError("Enter the last day of the suspension", field="suspension_to")
    if kind != ActionKind.SUSPENSION and suspension_to is not None:
        raise RevocationError(f"Leave the last day of the suspension blank for a {kind.label.lower()}",
                              field="suspension_to")
    # A suspension with notice starts only after the time to appeal; its last day cannot come first.
    if suspension_to is not None and suspension_to < effective_on:
        raise RevocationError(f"The last day of the suspension must be on or after {govuk_date(effective_on)}, "
                              "the day it takes effect", field="suspension_to")


def take_delegated_action(actor, licence, kind, *, grounds, authorised_by_id, case=None, suspension_to=None,
                          service_method="hand", safeguarding_or_road_safety=False, decision_date=None, today=None,
                          version=None):
    """Warn, suspend or revoke under delegated powers with notice, and issue the notice. A notice
    handed over is served now; one posted or e-mailed waits in the unserved queue, as others do."""
    checked = check_delegated_action(
        actor, licence, kind, grounds=grounds, authorised_by_id=authorised_by_id, case=case,
        suspension_to=suspension_to, service_method=service_method, decision_date=decision_date, today=today,
        version=version)
    action = take_action(
        actor, licence, kind=checked.kind, origin=ActionOrigin.OFFICER, case=case,
        decision_date=checked.decision_date, notice_date=checked.notice_date, immediate=False,
        suspension_to=suspension_to, grounds=checked.grounds, authorised_by=checked.authoriser,
        safeguarding_or_road_safety=safeguarding_or_road_safety, service_method=service_method,
        served=service_method == "hand")
    record(actor, "enforcement_action.delegated", action, after={
        "kind": checked.kind.value, "decision": action.statutory_decision, "delegation": checked.delegation,
        "authorised_by_id": checked.authoriser.id, "appeal_deadline": _iso(checked.dates.appeal_deadline),
        "effective_date": _iso(action.effective_date)})
    issue_notice(actor, action)
    return action


def _iso(day):
    return day.isoformat() if day else None


def _address(holder):
    return ", ".join(p for p in (holder.address, holder.postcode) if p)


def issue_notice(actor, action):
    """The warning letter, or the notice of suspension or revocation with the right of appeal, from
    the rule table and the scheme of delegation; stored once and sent to the holder."""
    licence, holder = action.licence, action.holder
    rule = rule_for(licence.licence_type, action.statutory_decision, action.decision_date)
    delegation = delegation_for(action.statutory_decision, action.decision_date)
    service_label = service_rule(action.service_method or "hand").label
    reference = f"EA-{action.id:06d}"
    if action.kind == ActionKind.WARNING:
        content = build_warning_notice(WarningNotice(
            contact=contact_from_config(current_app.config), reference=reference, holder_name=holder.display_name,
            holder_address=_address(holder), licence_number=licence.licence_number,
            licence_type=licence.licence_type.label, decided_on=action.decision_date,
            notice_date=action.notice_date, service_label=service_label, served_on=action.served_on,
            grounds=action.grounds, decided_by=action.authorised_by.name_and_post, delegation=delegation))
        filename = f"warning-{reference}.pdf"
    else:
        content = build_immediate_action_notice(ImmediateActionNotice(
            council_name=current_app.config["COUNCIL_NAME"], holder_name=holder.display_name,
            holder_address=_address(holder), licence_number=licence.licence_number,
            licence_type=licence.licence_type.label, kind=action.kind.value, notice_date=action.notice_date,
            effective_date=action.effective_date, grounds=action.grounds, public_safety_reason="",
            immediate=False, interim_pending_hearing=False, suspension_to=action.suspension_to,
            authorised_by=action.authorised_by.name_and_post, reference=reference, power=rule.cited_power(False),
            court_name=rule.court_name, appeal_deadline=rule.appeal_deadline(action.served_on),
            return_words=rule.return_words or "", return_days=rule.return_days or 7,
            nr3s_entry=nr3s_entry_opened(action), delegation=delegation, service_label=service_label,
            contact=contact_from_config(current_app.config)))
        filename = f"notice-{reference}.pdf"
    return issue_letter(actor, f"delegated_{action.kind.value}_notice", content, holder=holder, case=action.case,
                        action=action, filename=filename)

"""The national register (NR3S) beside the outgoing entries: a senior officer's reasoned override
of a search match, and s.5 information another authority shares about a driver we license (s.6:
consider suspending or revoking, then tell the sender the decision)."""

import datetime as dt

import sqlalchemy as sa

from licensing.audit import record
from licensing.extensions import db
from licensing.models import ConcernDecision, IncomingConcern, Licence, Nr3sMatchOverride, Permission, ReviewCase
from licensing.policy.safeguarding import nr3s_policy_on
from licensing.policy.working_days import end_of_working_days_beginning_with
from licensing.safeguarding.errors import SafeguardingError
from licensing.safeguarding.operations.common import not_future, require_clearance, required, text

_iso = dt.date.isoformat


def record_match_override(actor, check, *, decided_on, reasons, today=None):
    """Let a grant or renewal go ahead after a match without the recording authority's reply.
    Only a senior officer (the policy's override permission) may, with reasons, once per search."""
    today = today or dt.date.today()
    permission = Permission(nr3s_policy_on(decided_on or today).override_permission)
    if not actor.can(permission):
        raise PermissionError("an NR3S override needs a senior officer")
    if not check.can_lead_to_nr3s_request():
        raise SafeguardingError("An override follows an NR3S search that found a match")
    if db.session.scalar(sa.select(Nr3sMatchOverride.id).where(Nr3sMatchOverride.check_id == check.id)):
        raise SafeguardingError("An override has already been recorded for this match")
    not_future(decided_on, today, "decided_on", "the date of the override")
    if decided_on < check.completed_on:
        raise SafeguardingError("The override follows the search", field="decided_on")
    reasons = text(reasons)
    if len(reasons) < 20:
        raise SafeguardingError("Give the reasons for going ahead without the recording authority's reply "
                                "(what is known of the entry, and why it cannot wait)", field="reasons")
    override = Nr3sMatchOverride(check_id=check.id, holder_id=check.holder_id or getattr(check.licence, "holder_id",
                                                                                          None),
                                 decided_on=decided_on, reasons=reasons, decided_by_id=actor.id)
    db.session.add(override)
    record(actor, "nr3s.match_override", override, after={"check_id": check.id, "decided_on": _iso(decided_on)},
           reason=reasons)
    return override


def consider_by(received_on):
    return end_of_working_days_beginning_with(received_on, nr3s_policy_on(received_on).consider_working_days)


def inform_by(decided_on):
    return end_of_working_days_beginning_with(decided_on, nr3s_policy_on(decided_on).inform_working_days)


def record_incoming_concern(actor, holder, data, today=None):
    """s.5 information received from another authority about one of our drivers."""
    require_clearance(actor)
    today = today or dt.date.today()
    received_on = not_future(data.get("received_on"), today, "received_on", "the date it was received")
    licence = None
    if data.get("licence_id"):
        licence = db.session.get(Licence, int(data["licence_id"]))
        if licence is None or licence.holder_id != holder.id or not licence.licence_type.is_driver:
            raise SafeguardingError("Choose one of this holder's driver licences", field="licence_id")
    concern = IncomingConcern(
        holder_id=holder.id, licence_id=licence.id if licence else None,
        sending_authority=required(data.get("sending_authority"), "sending_authority", "the authority that sent it"),
        received_on=received_on, information=required(data.get("information"), "information",
                                                       "the information received"),
        consider_by=consider_by(received_on), recorded_by_id=actor.id)
    db.session.add(concern)
    record(actor, "incoming_concern.received", concern, after={
        "received_on": _iso(received_on), "consider_by": _iso(concern.consider_by)})
    return concern


def record_concern_decision(actor, concern, data, today=None):
    """s.6: what we decided about suspending or revoking, with reasons (and the case it opened)."""
    require_clearance(actor)
    today = today or dt.date.today()
    if concern.considered_on is not None:
        raise SafeguardingError("The decision has already been recorded")
    considered_on = not_future(data.get("considered_on"), today, "considered_on", "the date it was considered")
    if considered_on < concern.received_on:
        raise SafeguardingError("It is considered on or after the day it was received", field="considered_on")
    case = None
    if data.get("case_id"):
        case = db.session.get(ReviewCase, int(data["case_id"]))
        if case is None or case.holder_id != concern.holder_id:
            raise SafeguardingError("Choose one of this holder's review cases", field="case_id")
    concern.considered_on, concern.decision = considered_on, ConcernDecision(data["decision"])
    concern.decision_reasons = required(data.get("decision_reasons"), "decision_reasons", "the reasons")
    concern.decided_by_id, concern.case_id = actor.id, case.id if case else None
    concern.inform_by = inform_by(considered_on)
    db.session.flush()
    record(actor, "incoming_concern.decided", concern, after={
        "decision": concern.decision.value, "considered_on": _iso(considered_on), "inform_by": _iso(concern.inform_by),
        "late": considered_on > concern.consider_by})
    return concern


def record_sender_informed(actor, concern, data, today=None):
    require_clearance(actor)
    today = today or dt.date.today()
    if concern.considered_on is None:
        raise SafeguardingError("Record the decision first", field="informed_on")
    if concern.sender_informed_on is not None:
        raise SafeguardingError("The sender has already been told")
    informed_on = not_future(data.get("informed_on"), today, "informed_on", "the date the sender was told")
    if informed_on < concern.considered_on:
        raise SafeguardingError("The sender is told on or after the decision", field="informed_on")
    concern.sender_informed_on = informed_on
    db.session.flush()
    record(actor, "incoming_concern.sender_informed", concern, after={
        "informed_on": _iso(informed_on), "late": informed_on > concern.inform_by})
    return concern

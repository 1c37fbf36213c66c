"""Who decided at a hearing: the members present, how the body decided (by majority, by consensus,
or by its single decision maker hearing advisory members), the votes, and the power it held.
Checked when a decision is recorded; the same words go on the letter and in the record of decisions."""

from dataclasses import dataclass, field

from licensing.extensions import db
from licensing.hearings.bodies import MODES_FOR_KIND, check_authority
from licensing.hearings.errors import HearingError
from licensing.models import DecisionMember, DecisionMode, HearingOutcome, Vote
from licensing.policy.hearing_procedure import exempt_paragraphs
from licensing.text import govuk_date


@dataclass
class Sitting:
    mode: DecisionMode | None
    authority: object = None
    votes: list = field(default_factory=list)  # [(user, Vote)]


def _ids(values):
    return {int(v) for v in values or () if str(v).strip()}


def seated(hearing):
    """The members listed to sit, chair first."""
    return [hearing.chair, *[m for m in hearing.panel if m.id != hearing.chair_id]] if hearing.chair else list(
        hearing.panel)


def resolve(listing, outcome, decision_date, decided_by, *, mode=None, present_ids=None, against_ids=(),
            abstained_ids=(), exclusion_paragraph=None):
    """The sitting behind a decision, or a HearingError at the field that is wrong. Without
    `present_ids` the members listed to sit are taken as present (a decision entered from the
    record of a hearing); the decision form always asks."""
    hearing = listing.hearing
    body, outcome = hearing.body, HearingOutcome(outcome)
    members = {m.id: m for m in seated(hearing)}
    present = _ids(present_ids) if present_ids is not None else set(members)
    if present - set(members):
        raise HearingError("Members present must be members listed to sit on this hearing", field="present_ids")
    if not present:
        raise HearingError("Choose the members present", field="present_ids")
    if exclusion_paragraph not in (None, "") and int(exclusion_paragraph) not in exempt_paragraphs():
        raise HearingError("Choose a paragraph of Schedule 12A", field="exclusion_paragraph")
    if body is None:  # a hearing from before deciding bodies were recorded
        return Sitting(mode=None, votes=[(members[i], Vote.NONE) for i in sorted(present)])
    mode = DecisionMode(mode) if mode else body.decision_mode
    if mode not in MODES_FOR_KIND[body.kind]:
        allowed = " or ".join(m.label.lower() for m in MODES_FOR_KIND[body.kind])
        raise HearingError(f"The {body.name} decides {allowed}", field="decision_mode")
    authority = check_authority(body, outcome, decision_date)
    if mode == DecisionMode.SINGLE:
        votes = _single(members, present, decided_by)
    else:
        votes = _collective(body, members, present, mode, _ids(against_ids), _ids(abstained_ids))
    return Sitting(mode=mode, authority=authority, votes=votes)


def _single(seated, present, decided_by):
    if decided_by is None or decided_by.id not in present:
        raise HearingError("The decision maker must be among the members present", field="present_ids")
    return [(seated[i], Vote.FOR if i == decided_by.id else Vote.NONE) for i in sorted(present)]


def _collective(body, seated, present, mode, against, abstained):
    if len(present) < body.quorum:
        raise HearingError(f"The {body.name} needs at least {body.quorum} members present to decide "
                           f"({len(present)} recorded)", field="present_ids")
    if mode == DecisionMode.CONSENSUS:
        if against or abstained:
            raise HearingError("A decision by consensus has no votes against or abstentions; record it as a "
                               "majority decision", field="decision_mode")
        return [(seated[i], Vote.NONE) for i in sorted(present)]
    if (against | abstained) - present or against & abstained:
        raise HearingError("Votes against and abstentions are each from a different member present",
                           field="against_ids")
    votes = {i: Vote.AGAINST if i in against else Vote.ABSTAINED if i in abstained else Vote.FOR for i in present}
    cast_for = sum(v == Vote.FOR for v in votes.values())
    if cast_for <= len(against):
        raise HearingError(f"The decision needs a majority of the votes cast: {cast_for} for, {len(against)} "
                           "against", field="against_ids")
    return [(seated[i], votes[i]) for i in sorted(present)]


def record(decision, sitting):
    decision.decision_mode = sitting.mode.value if sitting.mode else None
    decision.authority_id = sitting.authority.id if sitting.authority else None
    for user, vote in sitting.votes:
        db.session.add(DecisionMember(decision_id=decision.id, user_id=user.id, vote=vote))
    db.session.flush()
    db.session.refresh(decision, ["members"])


def copy_sitting(decision, corrected):
    """A correction keeps the sitting of the decision it corrects."""
    decision.decision_mode, decision.authority_id = corrected.decision_mode, corrected.authority_id
    decision.legal_adviser, decision.exclusion_paragraph = corrected.legal_adviser, corrected.exclusion_paragraph
    for member in corrected.members:
        db.session.add(DecisionMember(decision_id=decision.id, user_id=member.user_id, vote=member.vote))
    db.session.flush()
    db.session.refresh(decision, ["members"])


def _names(members, chair_id):
    return ", ".join(m.user.name + (" (chair)" if m.user_id == chair_id else "") for m in members)


def decided_by_words(decision, hearing):
    """'Decided by …' for the letter and the record of decisions."""
    body = hearing.body.name if hearing.body else hearing.deciding_body
    members = list(decision.members)
    mode = DecisionMode(decision.decision_mode) if decision.decision_mode else None
    if mode == DecisionMode.SINGLE:
        maker = decision.decided_by
        post = f", {maker.post}" if maker is not None and maker.post else ""
        advisers = [m for m in members if m.user_id != decision.decided_by_id]
        words = f"Decided by {maker.name if maker else 'the decision maker'}{post}, for the {body}"
        if advisers:
            words += ", sitting with advisory members " + _names(advisers, None)
        return words + "."
    if mode == DecisionMode.MAJORITY:
        cast = {v: sum(m.vote == v for m in members) for v in (Vote.FOR, Vote.AGAINST, Vote.ABSTAINED)}
        tally = f"by a majority of {cast[Vote.FOR]} to {cast[Vote.AGAINST]}"
        if cast[Vote.ABSTAINED]:
            tally += f" ({cast[Vote.ABSTAINED]} abstaining)"
        return f"Decided by the {body} {tally}. Members present: {_names(members, hearing.chair_id)}."
    if mode == DecisionMode.CONSENSUS:
        return f"Decided by the {body} by consensus. Members present: {_names(members, hearing.chair_id)}."
    names = _names(members, hearing.chair_id) if members else (decision.decided_by.name if decision.decided_by else "")
    return f"Decided by the {body}" + (f". Members present: {names}." if names else ".")


def authority_words(decision):
    authority = decision.authority
    if authority is None:
        return ""
    return f"The {authority.body.name} held this power from {govuk_date(authority.valid_from)} ({authority.source})."


def exclusion_words(decision):
    if not decision.exclusion_paragraph:
        return ""
    return (f"The public were excluded while this case was heard, under paragraph {decision.exclusion_paragraph} "
            "of Part 1 of Schedule 12A to the Local Government Act 1972.")

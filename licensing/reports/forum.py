"""Who decided, and in which forum, for a hearing's decision: the one place the reports read it.
The forum is the hearing's deciding body; the decision maker is the person for a single decision
maker (the commissioner model), else the body itself with how it decided."""

from licensing.models import DecisionMode, Vote

NOT_RECORDED = "Not recorded"


def forum_and_maker(decision, hearing):
    """(forum, decision maker) as printed. `decision` may be None: a hearing's forum alone."""
    forum = (hearing.body.name if hearing.body is not None else (hearing.deciding_body or "").strip()) or NOT_RECORDED
    if decision is None:
        return forum, None
    mode = DecisionMode(decision.decision_mode) if decision.decision_mode else None
    if mode == DecisionMode.MAJORITY:
        votes = [m.vote for m in decision.members]
        return forum, f"{forum}, by majority ({votes.count(Vote.FOR)} to {votes.count(Vote.AGAINST)})"
    if mode == DecisionMode.CONSENSUS:
        return forum, f"{forum}, by consensus"
    maker = decision.decided_by.name_and_post if decision.decided_by is not None else NOT_RECORDED
    return forum, maker

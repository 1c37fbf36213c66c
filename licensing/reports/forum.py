"""Who decided, and in which forum, for a hearing's decision: the one place the reports read it.

Today a hearing names its deciding body as text and a decision names the person who made it; when
the deciding body becomes a record of its own, only this function changes."""

NOT_RECORDED = "Not recorded"


def forum_and_maker(decision, hearing):
    """(forum, decision maker) as printed. `decision` may be None: a hearing's forum alone."""
    forum = (hearing.deciding_body or "").strip() or NOT_RECORDED
    if decision is None:
        return forum, None
    maker = decision.decided_by.name_and_post if decision.decided_by is not None else NOT_RECORDED
    return forum, maker

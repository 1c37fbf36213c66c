"""Which hearings a panel member sits on, as SQL for the queries that list them. Who may see a
hearing, a listing or a case is the record's own rule (`Hearing.can_view`, `HearingListing.can_view`,
`ReviewCase.can_view`)."""

import sqlalchemy as sa

from licensing.models import Hearing
from licensing.models.hearings import hearing_panel_members


def sits_on_clause(user_id):
    member = sa.select(hearing_panel_members.c.hearing_id).where(hearing_panel_members.c.user_id == user_id)
    return sa.or_(Hearing.chair_id == user_id, Hearing.id.in_(member))


"""The demo council's deciding bodies: the Commissioner sitting with advisory members, who held the
licensing powers from the Directions of 26 February 2015 until their return in December 2016, and the
Licensing Sub-Committee, which holds them since. Its members are the demo panel accounts."""

import datetime as dt

from licensing.hearings import bodies
from licensing.models import BodyKind, DecisionMode, MemberRole

POWERS = ("applications", "licence_action")
COMMISSIONER = "Commissioner sitting with advisory members"
SUB_COMMITTEE = "Licensing Sub-Committee"
RETURNED_ON = dt.date(2016, 12, 1)
DIRECTIONS = ("Secretary of State's Directions of 26 February 2015 under section 15 of the Local Government "
              "Act 1999")
RETURN = "Return of the licensing function to the council (Secretary of State's letter, December 2016)"


def ensure_demo_bodies(panel_ids):
    """Create the two bodies when they do not exist; return the sub-committee."""
    existing = bodies.body_named(SUB_COMMITTEE)
    if existing is not None:
        return existing
    commissioner = bodies.create_body(None, COMMISSIONER, BodyKind.COMMISSIONER, DecisionMode.SINGLE)
    sub_committee = bodies.create_body(None, SUB_COMMITTEE, BodyKind.SUB_COMMITTEE, DecisionMode.MAJORITY,
                                       quorum=2)
    for power in POWERS:
        bodies.grant_authority(None, commissioner, power, dt.date(2015, 2, 26), RETURNED_ON
                               - dt.timedelta(days=1), DIRECTIONS)
        bodies.grant_authority(None, sub_committee, power, RETURNED_ON, source=RETURN)
    for position, user_id in enumerate(panel_ids):
        bodies.add_member(None, sub_committee, user_id, MemberRole.CHAIR if position == 0 else
                          MemberRole.MEMBER, RETURNED_ON)
    return sub_committee


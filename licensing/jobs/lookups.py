"""The DBS Update Service re-check: each certificate with the holder's live consent is checked
again when due (every six months, from licensing/policy/data/lookups.json). Off until the DBS
Update Service is configured; an outage leaves the consent due, so the next run tries again."""

from flask import current_app

from licensing.extensions import db
from licensing.integrations import dbs
from licensing.integrations.operations import dbs_status_check
from licensing.integrations.queries import dbs_rechecks_due


def dbs_rechecks(ctx):
    counts = {"checked": 0, "unavailable": 0}
    config = current_app.config
    if not dbs.configured(config):
        return counts
    for consent in dbs_rechecks_due(ctx.today):
        lookup = dbs_status_check(None, config, consent, today=ctx.today)
        if lookup.outcome.value == "unavailable":
            counts["unavailable"] += 1
            break  # the service is down (or its breaker open): try again at the next run
        counts["checked"] += 1
        db.session.commit()
    return counts

"""The lookups section of the holder page (registered by create_app)."""

from flask import current_app

from licensing.integrations.queries import holder_lookups, live_consent, services_configured
from licensing.models import DbsConsent, ServiceLookup

# The holder page asks once whether the holder has any lookups or consents, and reads only those it has.
LOOKUP_PROBES = {"lookups": ServiceLookup.holder_id, "dbs_consents": DbsConsent.holder_id}


def holder_lookups_section(holder, today, record, present):
    return {"configured": services_configured(current_app.config),
            "lookups": holder_lookups(holder.id) if "lookups" in present else [],
            "consent": live_consent(holder.id) if "dbs_consents" in present else None,
            "vehicles": sorted(record["vehicles"], key=lambda v: v.registration)}

"""The lookups section of the holder page (registered by create_app)."""

from flask import current_app

from licensing.integrations.queries import holder_lookups, holder_vehicles, live_consent, services_configured


def holder_lookups_section(holder, today, record, present):
    return {"configured": services_configured(current_app.config), "lookups": holder_lookups(holder.id),
            "consent": live_consent(holder.id), "vehicles": holder_vehicles(holder.id)}

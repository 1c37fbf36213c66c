"""The job that sends licence status webhooks to the API's clients (licensing/api/webhooks.py)."""

from licensing.api.webhooks import deliver_due


def deliver_webhooks(context):
    return deliver_due(context.now)

"""Messages to online accounts go through the outbox like every other message, so that a mail
outage delays them but loses none. The body never carries more than the account needs."""

from licensing.extensions import db
from licensing.models import OutboundEmail


def queue_account_email(account, key, subject, body):
    message = OutboundEmail(key=key, holder_id=account.holder_id, portal_account_id=account.id,
                            to_address=account.email, subject=subject, body=body)
    db.session.add(message)
    return message

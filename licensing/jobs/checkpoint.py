"""Sign the audit chain's head and append it to the checkpoint file outside the database
(licensing/audit.py `write_checkpoint`), so `flask audit verify` can tell rows removed or
re-chained since."""

from flask import current_app

from licensing.audit import checkpoint_key, write_checkpoint


def audit_checkpoint(context):
    path = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    if not path:
        return {"written": 0}
    point = write_checkpoint(path, checkpoint_key(current_app.config))
    return {"written": 1, "rows": point["rows"]}

"""Keep the public register CSV file current (licensing/public_register/snapshot.py)."""

from flask import current_app

from licensing.public_register.snapshot import refresh_snapshot


def public_register_snapshot(context):
    path = current_app.config.get("PUBLIC_REGISTER_SNAPSHOT")
    if not path:
        return {"rows": 0}
    return {"rows": refresh_snapshot(path)}

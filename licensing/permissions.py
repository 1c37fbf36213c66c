"""Who may use which route, and per-record rules.

Every view carries an access rule set by one of the decorators below: `public`, `login_required`,
or `requires(Permission.X)`, whose rule is the permission itself. Which roles hold which permission
is one table, `ROLE_PERMISSIONS` beside `Role` in licensing/models/users.py, where the records'
own `can_*(user)` rules can name permissions too. `enforce_access_rules` runs before each request
and refuses any endpoint that has none, so a forgotten decorator fails closed; a test also walks
the url_map and fails on such a route.

Panel members reach cases, documents and holders only through the hearings they sit on
(licensing/hearings). Everywhere else they are answered 404, never 403, so that they cannot
learn which records exist; the refusal is still recorded in the audit trail.
"""

import functools

from flask import abort, current_app, g, request
from flask_login import current_user

from licensing.extensions import db
from licensing.models import Permission, Role
from licensing.models.users import CLEARANCE_PERMISSIONS, ROLE_PERMISSIONS

PUBLIC = "public"
AUTHENTICATED = "authenticated"
HOLDER = "holder"  # a licence holder signed in to their own service (licensing/portal/access.py)


def _mark(view, rule):
    view.access_rule = rule
    return view


def public(view):
    """Anyone, signed in or not."""
    return _mark(view, PUBLIC)


def requires(permission):
    """Signed-in users whose role (and clearance) grants `permission`."""
    permission = Permission(permission)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.can(permission):
                deny(f"role {current_user.role} lacks {permission}")
            return view(*args, **kwargs)

        return _mark(wrapper, permission)

    return decorator


def roles_granted(permission, cleared=True):
    """The roles holding `permission` (with clearance, where a role needs it), in name order."""
    held = {role for role, granted in ROLE_PERMISSIONS.items() if permission in granted}
    if cleared:
        held |= {role for role, granted in CLEARANCE_PERMISSIONS.items() if permission in granted}
    return tuple(sorted(held))


def can(permission):
    """Template global: may the signed-in user do this?"""
    return current_user.is_authenticated and current_user.can(permission)


def login_required(view):
    """Any signed-in user, whatever the role."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapper, AUTHENTICATED)


def access_rule_for(endpoint, app=None):
    app = app or current_app
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce_access_rules():
    """before_request hook: an endpoint without a declared rule is never served."""
    if request.endpoint is None:  # 404/405: the router answers
        return None
    if request.endpoint == "static" or request.endpoint.endswith(".static"):
        return None
    if access_rule_for(request.endpoint) is None:
        current_app.logger.error("route without access rule: %s", request.endpoint)
        abort(403)
    return None


def deny(reason="forbidden"):
    """Record the refusal in the audit trail (its own transaction) and answer 403 (404 to a
    panel member, who must not learn that records outside their hearings exist)."""
    log_denial(reason)
    abort(404 if _is_panel_member() else 403)


def _is_panel_member():
    return current_user.is_authenticated and current_user.role == Role.PANEL


def log_denial(reason):
    from licensing.audit import record

    user = current_user if current_user.is_authenticated else None
    db.session.rollback()
    record(user, "access.denied", entity_type="route", reason=f"{request.method} {request.path}: {reason}")
    db.session.commit()
    g.refusal_recorded = True


def audit_unrecorded_refusal():
    """From the 403 and 404 pages: a signed-in user refused by a route's own check (a record
    missing, or outside their hearings) is audited like every other refusal, once."""
    if request.endpoint is None or g.get("refusal_recorded") or not current_user.is_authenticated:
        return
    log_denial("no such record, or not one this user may reach")


def audited_refusal(handler):
    """Wrap the 403/404 error page so that the refusal is audited first."""

    @functools.wraps(handler)
    def wrapper(error):
        audit_unrecorded_refusal()
        return handler(error)

    return wrapper


def get_or_404(model, ident, options=()):
    """Load a record by primary key (with loader `options`, if any) or answer 404."""
    obj = db.session.get(model, ident, options=options)
    if obj is None:
        abort(404)
    return obj


def authorise(allowed, reason="not permitted for this record"):
    """After loading a record: 403 (audited) unless `allowed`."""
    if not allowed:
        deny(reason)


# Restricted police intelligence (and non-conviction information) ----------------------------------
# ONE rule for every place it can appear: the holder page, its timeline and intelligence page,
# search, exports, letters, the hearing listing page and bundle, subject access. Officers with
# clearance see it; a panel member sees an item marked for the panel only on a listing of a live
# hearing they sit on; nobody else, whatever their role. Each showing is an `intelligence.view`
# audit row naming who, about which holder and where, never what.

def may_see_intelligence(user, listing=None, disclosed_to_panel=False):
    """Whether `user` may be shown restricted intelligence (on `listing`, for an item marked
    `disclosed_to_panel`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.can(Permission.INTELLIGENCE_READ):
        return True
    return (disclosed_to_panel and listing is not None and user.role == Role.PANEL
            and listing.can_view(user))


def record_intelligence_shown(user, holder_id, where, listing=None, disclosed_to_panel=False):
    """Audit one showing of intelligence about `holder_id` to `user` (refused if the rule says no)."""
    from licensing.audit import record

    if not may_see_intelligence(user, listing, disclosed_to_panel):
        raise PermissionError("intelligence needs an officer with clearance")
    return record(user, "intelligence.view", entity_type="intelligence", holder_id=holder_id, reason=where,
                  entity_id=getattr(listing, "id", None))

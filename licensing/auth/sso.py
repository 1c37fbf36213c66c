"""Staff single sign-on with OpenID Connect (Microsoft Entra ID, or any OpenID provider).

Off until OIDC_ISSUER and OIDC_CLIENT_ID are set. The provider signs staff in (its own second
factor included: no authenticator code is asked here) and sends the groups they are in; the
council's group map (OIDC_GROUP_MAP: a JSON file, see deploy/oidc-groups.example.json) turns
groups into a role and intelligence clearance. Accounts are found by e-mail address, made on first
sign-in, and their role and clearance follow the groups at every sign-in. Local accounts with a
password and an authenticator code keep working beside it, for councils without a provider and for
a break-glass administrator.
"""

import json
import secrets

from authlib.integrations.flask_client import OAuth

from licensing.audit import record, snapshot
from licensing.auth.operations import complete_login
from licensing.errors import DomainError
from licensing.extensions import db
from licensing.models import Role, User

CLIENT_NAME = "council"
# Marks an account made by single sign-on: never a valid argon2 hash, so no password opens it.
NO_PASSWORD = "!single-sign-on"  # noqa: S105 - no hash matches it


class SingleSignOnRefused(DomainError):
    """The provider signed the person in, but the register does not let them in."""


def enabled(config):
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def init_sso(app):
    """Register the provider with Authlib (discovery document, keys and endpoints fetched when first used)."""
    if not enabled(app.config):
        return None
    oauth = OAuth(app)
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=_client_secret(app.config),
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "timeout": 10},
    )
    app.extensions["licensing_sso"] = oauth
    return oauth


def _client_secret(config):
    """OIDC_CLIENT_SECRET, or the contents of the file OIDC_CLIENT_SECRET_FILE names."""
    if config.get("OIDC_CLIENT_SECRET_FILE"):
        with open(config["OIDC_CLIENT_SECRET_FILE"], encoding="utf-8") as handle:
            return handle.read().strip()
    return config.get("OIDC_CLIENT_SECRET")


def provider(app):
    return app.extensions["licensing_sso"].create_client(CLIENT_NAME)


def group_map(config):
    """{"roles": {group id: role}, "clearance": [group ids]} from OIDC_GROUP_MAP (a dict, or a JSON file's path)."""
    mapping = config.get("OIDC_GROUP_MAP") or {}
    if isinstance(mapping, str):
        with open(mapping, encoding="utf-8") as handle:
            mapping = json.load(handle)
    roles = {str(group): Role(role) for group, role in (mapping.get("roles") or {}).items()}
    return roles, frozenset(str(group) for group in mapping.get("clearance") or ())


def role_for(groups, config):
    """The role and clearance the person's groups give, or a refusal."""
    roles, clearance_groups = group_map(config)
    groups = {str(group) for group in groups or ()}
    held = {roles[group] for group in groups if group in roles}
    if not held:
        raise SingleSignOnRefused("Your council account is not in a group that may use this service. "
                                  "Ask the licensing service's administrator for access.")
    if len(held) > 1:
        raise SingleSignOnRefused("Your council account is in the groups of more than one role. "
                                  "Ask the licensing service's administrator to correct the groups.")
    role = held.pop()
    return role, role == Role.OFFICER and bool(groups & clearance_groups)


def _email(claims):
    email = (claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    if "@" not in email:
        raise SingleSignOnRefused("Your council account has no e-mail address the service can use.")
    return email


def sign_in(claims, config, address=None):
    """The account for a verified ID token's claims: found by e-mail, made on first sign-in, with
    the role and clearance its groups give (changes audited); the sign-in itself is audited."""
    email = _email(claims)
    try:
        role, clearance = role_for(claims.get("groups"), config)
    except SingleSignOnRefused as refusal:
        record(None, "auth.sso_refused", entity_type="users", reason=f"{email}: {refusal.message}")
        raise
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    name = (claims.get("name") or email).strip()[:200]
    if user is None:
        user = User(email=email, name=name, role=role, has_clearance=clearance, password_hash=NO_PASSWORD,
                    session_token=secrets.token_urlsafe(32))
        db.session.add(user)
        record(None, "user.create", user, after=snapshot(user), reason="First single sign-on")
    elif not user.is_enabled:
        record(user, "auth.sso_refused", user, reason="The account is disabled")
        raise SingleSignOnRefused("This account is disabled. Ask the licensing service's administrator.")
    elif (user.role, bool(user.has_clearance)) != (role, clearance):
        before = {"role": user.role.value, "has_clearance": bool(user.has_clearance)}
        user.role, user.has_clearance = role, clearance
        record(None, "user.sso_update", user, before=before, after={"role": role.value, "has_clearance": clearance},
               reason="Role and clearance from the council's groups")
    complete_login(user, address)
    return user

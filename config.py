"""Configuration classes, one per environment.

`LICENSING_ENV` (development | testing | production) chooses the class. Nothing is read
from the environment when this module is imported: `load_config()` reads it when the
application is built, so tests and tools can pass their own values.
"""

import os
from datetime import timedelta


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


class BaseConfig:
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)  # remember-me is never offered
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=10)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    # Sign-in throttle (NCSC: progressive delay, never a lockout). Each key allows `free` failures,
    # then makes the next attempt wait `first` seconds, doubling on each failure up to `cap` seconds.
    # A key's count starts again once it has had no failure for LOGIN_THROTTLE_WINDOW.
    LOGIN_THROTTLE = {
        # one account from one address: the guesser's own door
        "pair": {"free": 3, "first": 2, "cap": 15 * 60},
        # one address, any account: one machine trying many accounts
        "address": {"free": 10, "first": 2, "cap": 15 * 60},
        # one account, counted in distinct addresses: a spread-out attack on one officer; capped
        # at a minute so it can slow, but never stop, the officer's own sign-in
        "account": {"free": 5, "first": 1, "cap": 60},
    }
    LOGIN_THROTTLE_WINDOW = timedelta(hours=1)
    # Flask-Limiter, per client address (memory:// per worker unless a shared store is configured).
    RATE_LIMITS = True
    RATELIMIT_ENABLED = True  # the extension itself; RATE_LIMITS switches the limits
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_SIGN_IN = "10 per minute;100 per hour"
    RATELIMIT_PUBLIC_REGISTER = "60 per minute"
    RATELIMIT_PUBLIC_CSV = "3 per minute;20 per day"
    RATELIMIT_API = "120 per minute"
    # Public register CSV downloads streaming at once in each worker process; more get a 503.
    PUBLIC_CSV_CONCURRENCY = 1
    # Hops of the council's reverse proxy whose X-Forwarded-For/-Proto/-Host are trusted (0: none).
    TRUSTED_PROXIES = 0
    LOG_LEVEL = "INFO"
    SENTRY_DSN = ""
    # Backups: an age public key (age1...) to encrypt to, and how many to keep (0: keep all).
    BACKUP_RECIPIENT = ""
    BACKUP_KEEP = 0
    BACKUP_KEEP_DAYS = 0
    REQUIRE_TWO_FACTOR = True  # every staff account signs in with an authenticator code
    TWO_FACTOR_PENDING_SECONDS = 300
    MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    COUNCIL_NAME = "Example Borough Council"
    # The page header and footer: the council's website, and an optional logo and favicon (paths
    # under static/, e.g. "council/logo.svg"). No GOV.UK crown or logotype is ever shown.
    COUNCIL_URL = "https://www.example.gov.uk/"
    COUNCIL_LOGO = ""
    COUNCIL_FAVICON = ""
    # Printed on every notice so the holder can act on it (contact and where to hand things in).
    COUNCIL_ADDRESS = "Licensing Office, Town Hall, Market Street, Exampleton EX1 1AA"
    COUNCIL_TELEPHONE = "01234 567890"
    COUNCIL_EMAIL = "licensing@example.gov.uk"
    SERVICE_NAME = "Taxi licensing"
    # Council policy switch: may officers suspend a driver as an interim measure pending a hearing?
    # Off unless the council's legal adviser has agreed it (R (Singh) v Cardiff CC [2012] EWHC 1852
    # (Admin); Reigate & Banstead BC v Pawlowski [2017] EWHC 1764 (Admin)).
    ALLOW_INTERIM_SUSPENSION = False
    PAGE_SIZE = 25
    SHOW_DEMO_LOGINS = False


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - dev and test only; production reads the environment
    SHOW_DEMO_LOGINS = True
    # The demo accounts sign in with a password alone; set REQUIRE_TWO_FACTOR=1 to try enrolment.
    REQUIRE_TWO_FACTOR = False


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105 - dev and test only
    WTF_CSRF_ENABLED = False
    # Tests sign in many times from one address; the tests of the limits switch them on.
    RATE_LIMITS = False


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

def _truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


# Environment variables that override a setting, with the type each is read as.
ENV_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "COUNCIL_NAME": str,
    "COUNCIL_URL": str,
    "COUNCIL_LOGO": str,
    "COUNCIL_FAVICON": str,
    "COUNCIL_ADDRESS": str,
    "COUNCIL_TELEPHONE": str,
    "COUNCIL_EMAIL": str,
    "MAX_UPLOAD_BYTES": int,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "MAIL_FROM": str,
    "REQUIRE_TWO_FACTOR": _truthy,
    "ALLOW_INTERIM_SUSPENSION": _truthy,
    "TRUSTED_PROXIES": int,
    "RATELIMIT_STORAGE_URI": str,
    "RATE_LIMITS": _truthy,
    "LOG_LEVEL": str,
    "SENTRY_DSN": str,
    "BACKUP_RECIPIENT": str,
    "BACKUP_KEEP": int,
    "BACKUP_KEEP_DAYS": int,
    "OIDC_ISSUER": str,
    "OIDC_CLIENT_ID": str,
    "OIDC_CLIENT_SECRET": str,
    "OIDC_CLIENT_SECRET_FILE": str,
    "OIDC_GROUP_MAP": str,
}


def load_config(environ=None, instance_path="instance"):
    """Return the settings dict for the environment named by LICENSING_ENV."""
    environ = os.environ if environ is None else environ
    env_name = environ.get("LICENSING_ENV", "development")
    if env_name not in CONFIGS:
        raise ConfigError(f"LICENSING_ENV must be one of {', '.join(CONFIGS)}, not {env_name!r}")
    cls = CONFIGS[env_name]
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    for key, kind in ENV_SETTINGS.items():
        if environ.get(key):
            settings[key] = kind(environ[key])
    default_db = "sqlite:///" + os.path.join(os.path.abspath(instance_path), "licensing.db")
    settings["SQLALCHEMY_DATABASE_URI"] = settings.pop("DATABASE_URL", None) or default_db
    settings["ALLOW_SQLITE_IN_PRODUCTION"] = _truthy(environ.get("ALLOW_SQLITE_IN_PRODUCTION", ""))
    if env_name == "production":
        _check_production(settings, environ)
    return settings


def _check_production(settings, environ):
    if not environ.get("SECRET_KEY"):
        raise ConfigError("production needs SECRET_KEY set in the environment")
    if len(environ["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    uri = settings["SQLALCHEMY_DATABASE_URI"]
    if not settings["REQUIRE_TWO_FACTOR"]:
        raise ConfigError("production always requires the second factor; REQUIRE_TWO_FACTOR cannot be off")
    if uri.startswith("sqlite") and not settings["ALLOW_SQLITE_IN_PRODUCTION"]:
        raise ConfigError(
            "production refuses SQLite; set DATABASE_URL to PostgreSQL "
            "or ALLOW_SQLITE_IN_PRODUCTION=1 for a single-user installation"
        )

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
    # Any other page, for requests not signed in as staff (extensions.py): generous, as a page of the
    # holder's own service costs a few requests, yet a bound on every anonymous route.
    RATELIMIT_PER_ADDRESS = "300 per minute;3000 per hour"
    # Public register CSV downloads streaming at once in each worker process; more get a 503.
    PUBLIC_CSV_CONCURRENCY = 1
    # Report downloads being produced at once in each worker process; more get a 503.
    REPORT_EXPORT_CONCURRENCY = 1
    # An Excel report download for more licences in force than this is made in the background.
    REPORT_BACKGROUND_ROWS = 50_000
    # Hops of the council's reverse proxy whose X-Forwarded-For/-Proto/-Host are trusted (0: none).
    TRUSTED_PROXIES = 0
    LOG_LEVEL = "INFO"
    SENTRY_DSN = ""
    # Backups: an age public key (age1...) to encrypt to, and how many to keep (0: keep all).
    BACKUP_RECIPIENT = ""
    BACKUP_KEEP = 0
    BACKUP_KEEP_DAYS = 0
    # Signed checkpoints of the audit chain's head, appended to a file outside the database (JSON
    # lines; "" keeps none). The HMAC key defaults to SECRET_KEY; set AUDIT_CHECKPOINT_KEY to keep
    # them apart. Written by the scheduler every AUDIT_CHECKPOINT_MINUTES and by `flask audit checkpoint`.
    AUDIT_CHECKPOINT_FILE = None  # None: instance/audit-checkpoints.jsonl
    AUDIT_CHECKPOINT_KEY = ""
    AUDIT_CHECKPOINT_MINUTES = 60
    # The public register CSV, served as this file (None: instance/public-register.csv; "": streamed
    # from the database as each download is asked for), cached by browsers and proxies this long.
    PUBLIC_REGISTER_SNAPSHOT = None
    PUBLIC_REGISTER_MAX_AGE = 900
    REQUIRE_TWO_FACTOR = True  # every staff account signs in with an authenticator code
    TWO_FACTOR_PENDING_SECONDS = 300
    # Licence holders' own accounts (/account): a 6-digit code is e-mailed at every sign-in; it
    # works for PORTAL_CODE_MINUTES and PORTAL_CODE_ATTEMPTS guesses. An officer's code linking an
    # account to the holder's record works for PORTAL_LINK_CODE_DAYS (long enough for a letter).
    PORTAL_EMAIL_CODE = True
    PORTAL_CODE_MINUTES = 10
    PORTAL_CODE_ATTEMPTS = 5
    PORTAL_LINK_CODE_DAYS = 28
    # GOV.UK Pay (or the local fake in development and tests): off until a key is set.
    # How long a worker keeps a known API token's client (0: not at all). A revocation reaches
    # the worker that made it at once and the others within this time.
    API_TOKEN_CACHE_SECONDS = 5
    PAY_API_URL = "https://publicapi.payments.service.gov.uk"
    PAY_API_KEY = ""
    PAY_API_KEY_FILE = ""
    PAY_TIMEOUT_SECONDS = 10
    PAY_FAKE = False  # serve the local fake payment service at /fake-pay (never in production)
    CLAMD_SOCKET = ""  # a ClamAV daemon (Unix socket path or host:port) to scan holders' uploads
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
    # The service's public address (https://taxi.example.gov.uk), for links in messages the
    # scheduler sends outside a request: reminders link to the holder's online account.
    SERVICE_URL = ""
    # Council policy switch: may officers suspend a driver as an interim measure pending a hearing?
    # Off unless the council's legal adviser has agreed it (R (Singh) v Cardiff CC [2012] EWHC 1852
    # (Admin); Reigate & Banstead BC v Pawlowski [2017] EWHC 1764 (Admin)).
    ALLOW_INTERIM_SUSPENSION = False
    PAGE_SIZE = 25
    SHOW_DEMO_LOGINS = False
    # Outside services (licensing/integrations): each is off until its settings are given.
    MAIL_TRANSPORT = ""  # "smtp", "notify", or empty: Notify when NOTIFY_API_KEY is set, else SMTP
    SMTP_HOST = ""  # empty: localhost
    SMTP_PORT = 0  # 0: the usual port for SMTP_SECURITY (587, 465 or 25)
    SMTP_SECURITY = "starttls"  # "starttls" (port 587), "tls" (implicit TLS, port 465) or "none"
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_CA_FILE = ""  # a private CA bundle for the relay's certificate (default: the system's)
    SMTP_TIMEOUT = 10
    NOTIFY_API_KEY = ""
    NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    NOTIFY_EMAIL_TEMPLATE_ID = ""  # a template whose subject is ((subject)) and body ((body))
    NOTIFY_SMS_TEMPLATE_ID = ""  # a text message template whose body is ((body))
    NOTIFY_CALLBACK_TOKEN = ""  # the bearer token Notify sends with delivery receipts
    NOTIFY_POST_LETTERS = False  # post issued letters (precompiled PDFs) to holders without e-mail
    DVLA_VES_API_KEY = ""
    DVLA_VES_URL = "https://driver-vehicle-licensing.api.gov.uk/vehicle-enquiry/v1/vehicles"
    MOT_API_KEY = ""
    MOT_API_URL = "https://history.mot.api.gov.uk/v1/trade/vehicles/registration/"
    MOT_CLIENT_ID = ""
    MOT_CLIENT_SECRET = ""
    MOT_TOKEN_URL = ""
    MOT_SCOPE = "https://tapi.dvsa.gov.uk/.default"
    DBS_UPDATE_URL = ""  # e.g. https://secure.crbonline.gov.uk/crsc/api/status/
    DBS_ORGANISATION_NAME = ""
    DBS_CHECKER_FORENAME = ""
    DBS_CHECKER_SURNAME = ""
    LOOKUP_TIMEOUT = 5  # seconds for one request to a lookup service
    LOOKUP_RETRIES = 2  # further tries after a time-out, connection failure or 5xx
    BREAKER_FAILURES = 5  # failed calls in a row that open a service's circuit breaker
    BREAKER_RESET_SECONDS = 60  # how long an open breaker refuses calls before trying one again


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"
    SECRET_KEY = "development-only-not-secret"  # noqa: S105 - dev and test only; production reads the environment
    SHOW_DEMO_LOGINS = True
    # The demo accounts sign in with a password alone; set REQUIRE_TWO_FACTOR=1 to try enrolment.
    REQUIRE_TWO_FACTOR = False
    SMTP_SECURITY = "none"  # a local mail catcher
    PORTAL_EMAIL_CODE = False  # the demo applicant too (PORTAL_EMAIL_CODE=1 to try the e-mailed code)
    PAY_FAKE = True
    PAY_API_URL = "http://127.0.0.1:5000/fake-pay"
    PAY_API_KEY = "development-fake-pay-key"  # noqa: S105 - the local fake's, not a real key


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105 - dev and test only
    WTF_CSRF_ENABLED = False
    SMTP_SECURITY = "none"  # the local test server; the TLS tests set their own
    LOOKUP_RETRIES = 0
    # Tests sign in many times from one address; the tests of the limits switch them on.
    RATE_LIMITS = False
    PAY_FAKE = True  # the tests serve it on a port of their own and point PAY_API_URL there
    AUDIT_CHECKPOINT_FILE = ""  # tests that sign checkpoints name a file of their own
    PUBLIC_REGISTER_SNAPSHOT = ""  # tests of the snapshot name a file of their own


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
    "SERVICE_URL": str,
    "MAX_UPLOAD_BYTES": int,
    "REPORT_BACKGROUND_ROWS": int,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "MAIL_FROM": str,
    "MAIL_TRANSPORT": str,
    "SMTP_SECURITY": str,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_CA_FILE": str,
    "SMTP_TIMEOUT": int,
    "NOTIFY_API_KEY": str,
    "NOTIFY_BASE_URL": str,
    "NOTIFY_EMAIL_TEMPLATE_ID": str,
    "NOTIFY_SMS_TEMPLATE_ID": str,
    "NOTIFY_CALLBACK_TOKEN": str,
    "NOTIFY_POST_LETTERS": _truthy,
    "DVLA_VES_API_KEY": str,
    "DVLA_VES_URL": str,
    "MOT_API_KEY": str,
    "MOT_API_URL": str,
    "MOT_CLIENT_ID": str,
    "MOT_CLIENT_SECRET": str,
    "MOT_TOKEN_URL": str,
    "MOT_SCOPE": str,
    "DBS_UPDATE_URL": str,
    "DBS_ORGANISATION_NAME": str,
    "DBS_CHECKER_FORENAME": str,
    "DBS_CHECKER_SURNAME": str,
    "LOOKUP_TIMEOUT": int,
    "LOOKUP_RETRIES": int,
    "REQUIRE_TWO_FACTOR": _truthy,
    "PORTAL_EMAIL_CODE": _truthy,
    "API_TOKEN_CACHE_SECONDS": int,
    "PAY_API_URL": str,
    "PAY_API_KEY": str,
    "PAY_API_KEY_FILE": str,
    "CLAMD_SOCKET": str,
    "ALLOW_INTERIM_SUSPENSION": _truthy,
    "TRUSTED_PROXIES": int,
    "RATELIMIT_STORAGE_URI": str,
    "RATE_LIMITS": _truthy,
    "RATELIMIT_PER_ADDRESS": str,
    "LOG_LEVEL": str,
    "SENTRY_DSN": str,
    "BACKUP_RECIPIENT": str,
    "BACKUP_KEEP": int,
    "BACKUP_KEEP_DAYS": int,
    "AUDIT_CHECKPOINT_FILE": str,
    "AUDIT_CHECKPOINT_KEY": str,
    "PUBLIC_REGISTER_SNAPSHOT": str,
    "OIDC_ISSUER": str,
    "OIDC_CLIENT_ID": str,
    "OIDC_CLIENT_SECRET": str,
    "OIDC_CLIENT_SECRET_FILE": str,
    "OIDC_GROUP_MAP": str,
}


def _read_secret(path, key):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as error:
        raise ConfigError(f"{key}_FILE names a file that cannot be read ({type(error).__name__})") from None


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
        elif environ.get(f"{key}_FILE"):  # a secret mounted as a file (Docker/Kubernetes secrets, systemd)
            settings[key] = kind(_read_secret(environ[f"{key}_FILE"], key))
    default_db = "sqlite:///" + os.path.join(os.path.abspath(instance_path), "licensing.db")
    settings["SQLALCHEMY_DATABASE_URI"] = settings.pop("DATABASE_URL", None) or default_db
    if settings["AUDIT_CHECKPOINT_FILE"] is None:
        settings["AUDIT_CHECKPOINT_FILE"] = os.path.join(os.path.abspath(instance_path), "audit-checkpoints.jsonl")
    if settings["PUBLIC_REGISTER_SNAPSHOT"] is None:
        settings["PUBLIC_REGISTER_SNAPSHOT"] = os.path.join(os.path.abspath(instance_path), "public-register.csv")
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
    if settings["PAY_FAKE"]:
        raise ConfigError("production never serves the fake payment service")
    if not settings["PAY_API_URL"].startswith("https://"):
        raise ConfigError("PAY_API_URL must be an https:// address in production")
    if not settings["PORTAL_EMAIL_CODE"]:
        raise ConfigError("production always e-mails holders a sign-in code; PORTAL_EMAIL_CODE cannot be off")
    if uri.startswith("sqlite") and not settings["ALLOW_SQLITE_IN_PRODUCTION"]:
        raise ConfigError(
            "production refuses SQLite; set DATABASE_URL to PostgreSQL "
            "or ALLOW_SQLITE_IN_PRODUCTION=1 for a single-user installation"
        )

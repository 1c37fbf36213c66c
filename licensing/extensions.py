"""Flask extensions, created unbound; create_app binds them."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make migrations reproducible on SQLite (batch mode) and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Per client address (after ProxyFix); storage from RATELIMIT_STORAGE_URI (memory:// per worker
# process by default; a shared store such as redis:// holds the limits across every worker).
# Every route without a limit of its own gets RATELIMIT_PER_ADDRESS for requests made by anyone not
# signed in as staff, so no page can be asked for without bound; routes with their own (sign-in,
# the public register, the API) keep only theirs. Static files are never limited.
def _default_limit():
    return current_app.config["RATELIMIT_PER_ADDRESS"]


def limits_off():
    """RATE_LIMITS=0 switches every limit off (the tests, and the bench's load runs)."""
    return not current_app.config.get("RATE_LIMITS", True)


def _staff_or_limits_off():
    return limits_off() or current_user.is_authenticated


limiter = Limiter(key_func=get_remote_address, default_limits=[_default_limit],
                  default_limits_exempt_when=_staff_or_limits_off)

import os

import pytest

from config import ConfigError, load_config
from licensing import create_app

STRONG_KEY = "k" * 40


def test_development_is_the_default_and_uses_sqlite_in_instance(tmp_path):
    settings = load_config({}, instance_path=str(tmp_path))
    assert settings["ENV_NAME"] == "development"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + os.path.join(str(tmp_path), "licensing.db")


def test_database_url_overrides_the_default():
    settings = load_config({"DATABASE_URL": "postgresql+psycopg://u@h/db"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="LICENSING_ENV"):
        load_config({"LICENSING_ENV": "staging"})


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"LICENSING_ENV": "production", "DATABASE_URL": "postgresql+psycopg://u@h/db"})


def test_production_refuses_a_short_secret_key():
    with pytest.raises(ConfigError, match="32 characters"):
        load_config({"LICENSING_ENV": "production", "SECRET_KEY": "short",
                     "DATABASE_URL": "postgresql+psycopg://u@h/db"})


def test_production_refuses_sqlite_unless_explicitly_allowed():
    environ = {"LICENSING_ENV": "production", "SECRET_KEY": STRONG_KEY}
    with pytest.raises(ConfigError, match="SQLite"):
        load_config(environ)
    settings = load_config({**environ, "ALLOW_SQLITE_IN_PRODUCTION": "1"})
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_production_cookies_are_secure_and_debug_is_off():
    settings = load_config({"LICENSING_ENV": "production", "SECRET_KEY": STRONG_KEY,
                            "DATABASE_URL": "postgresql+psycopg://u@h/db"})
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert settings.get("DEBUG", False) is False
    assert settings["WTF_CSRF_ENABLED"] is True


def test_create_app_fails_in_production_without_secret(tmp_path):
    with pytest.raises(ConfigError):
        create_app(environ={"LICENSING_ENV": "production"})


def test_integer_settings_are_read_as_integers():
    assert load_config({"MAX_UPLOAD_BYTES": "2048"})["MAX_UPLOAD_BYTES"] == 2048

"""Backups and restores: SQLite's online backup API, or pg_dump / pg_restore for PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs the PostgreSQL client tools with fixed arguments

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def _pg_tool(name):
    found = shutil.which(name)
    if found:
        return found
    try:
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,  # noqa: S607
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        bindir = ""
    candidate = os.path.join(bindir, name)
    if bindir and os.path.exists(candidate):
        return candidate
    raise BackupError(f"{name} not found; install the PostgreSQL client tools")


def _libpq(url):
    """pg_dump takes a libpq URL and the password from the environment, never the command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    libpq = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return libpq, env


def backup(database_url, out_path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(out_path)
        with target:
            source.backup(target)  # consistent even while the application is writing
        source.close()
        target.close()
        return out_path
    libpq, env = _libpq(database_url)
    result = subprocess.run(  # noqa: S603 - fixed tool and arguments
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out_path}", f"--dbname={libpq}"],
        capture_output=True, text=True, env=env,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return out_path


def restore(database_url, backup_path):
    if not os.path.exists(backup_path):
        raise BackupError(f"no backup at {backup_path}")
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(backup_path)
        target = sqlite3.connect(url.database)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    libpq, env = _libpq(database_url)
    result = subprocess.run(  # noqa: S603 - fixed tool and arguments
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
         f"--dbname={libpq}", backup_path],
        capture_output=True, text=True, env=env,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")

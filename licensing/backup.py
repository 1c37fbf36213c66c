"""Backups and restores: SQLite's online backup API, or pg_dump / pg_restore for PostgreSQL.

A backup holds the whole database (convictions and intelligence included), so:
- every file is created readable by its owner alone (mode 0600, under umask 077);
- it is checked before it counts (`pg_restore --list` reads the dump's table of contents; SQLite's
  `PRAGMA integrity_check` reads every page);
- with an age public key (BACKUP_RECIPIENT, `age1...`) it is encrypted with age (pyrage) and the
  plain copy removed, so the host keeps only ciphertext; restoring needs the matching identity file;
- `prune` keeps the last N backups and/or those of the last N days in a backup folder.
"""

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs the PostgreSQL client tools with fixed arguments
import tempfile

from sqlalchemy.engine import make_url

AGE_HEADER = b"age-encryption.org/v1"
OWNER_ONLY = 0o600
# Names `flask backup --dir` gives its files; prune touches no other file.
BACKUP_NAME = re.compile(r"^licensing-(\d{8}T\d{6}Z)\.(dump|db)(\.age)?$")


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


@contextlib.contextmanager
def _owner_only():
    """Files made inside (by us or by pg_dump) are readable by their owner alone."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _new_private_file(path):
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY))
    os.chmod(path, OWNER_ONLY)  # an existing file keeps its old mode through O_CREAT


def _recipient(public_key):
    import pyrage

    try:
        return pyrage.x25519.Recipient.from_str(public_key.strip())
    except Exception as error:  # pyrage raises its own error types for a malformed key
        raise BackupError(f"BACKUP_RECIPIENT is not an age public key (age1...): {type(error).__name__}") from None


def is_encrypted(path):
    with open(path, "rb") as handle:
        return handle.read(len(AGE_HEADER)) == AGE_HEADER


def backup(database_url, out_path, recipient=None):
    """Write a verified backup to `out_path` (mode 0600), encrypted to `recipient` if one is given."""
    out_path = os.path.abspath(out_path)
    recipient_key = _recipient(recipient) if recipient else None
    with _owner_only():
        plain = out_path + ".partial" if recipient_key else out_path
        _new_private_file(plain)
        try:
            _dump(database_url, plain)
            verify(database_url, plain)
            if recipient_key:
                import pyrage

                _new_private_file(out_path)
                pyrage.encrypt_file(plain, out_path, [recipient_key])
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(out_path)
            raise
        finally:
            if recipient_key:
                with contextlib.suppress(OSError):
                    os.remove(plain)
    os.chmod(out_path, OWNER_ONLY)
    return out_path


def _dump(database_url, path):
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(url.database)
        target = sqlite3.connect(path)
        with target:
            source.backup(target)  # consistent even while the application is writing
        # One self-contained file: no -wal or -shm beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        source.close()
        target.close()
        return
    libpq, env = _libpq(database_url)
    result = subprocess.run(  # noqa: S603 - fixed tool and arguments
        [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", f"--dbname={libpq}"],
        capture_output=True, text=True, env=env, umask=0o077,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")


def verify(database_url, path):
    """Read the plain backup back: every SQLite page, or the dump's whole table of contents."""
    if make_url(database_url).get_backend_name() == "sqlite":
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
                tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"the backup is not a readable SQLite database: {error}") from None
        if problems != ["ok"] or not tables:
            raise BackupError(f"the backup failed its integrity check: {'; '.join(problems)[:500] or 'no tables'}")
        return
    result = subprocess.run(  # noqa: S603 - fixed tool and arguments
        [_pg_tool("pg_restore"), "--list", path], capture_output=True, text=True)
    if result.returncode != 0 or "TABLE DATA" not in result.stdout:
        raise BackupError(f"the backup failed pg_restore --list: {result.stderr.strip()[:500]}")


def restore(database_url, backup_path, identity_path=None):
    if not os.path.exists(backup_path):
        raise BackupError(f"no backup at {backup_path}")
    if is_encrypted(backup_path):
        with tempfile.TemporaryDirectory(prefix="licensing-restore-") as folder:
            plain = os.path.join(folder, "backup")
            _decrypt(backup_path, plain, identity_path)
            verify(database_url, plain)
            _restore_plain(database_url, plain)
        return
    _restore_plain(database_url, backup_path)


def _decrypt(path, plain, identity_path):
    import pyrage

    if not identity_path:
        raise BackupError("this backup is encrypted: give the age identity file with --identity")
    with open(identity_path, encoding="utf-8") as handle:
        keys = [line.strip() for line in handle if line.strip().startswith("AGE-SECRET-KEY-")]
    try:
        identities = [pyrage.x25519.Identity.from_str(key) for key in keys]
    except Exception:  # a malformed key: say so without echoing it
        raise BackupError(f"{identity_path} holds no valid age identity") from None
    if not identities:
        raise BackupError(f"{identity_path} holds no age identity (AGE-SECRET-KEY-...)")
    with _owner_only():
        _new_private_file(plain)
        try:
            pyrage.decrypt_file(path, plain, identities)
        except pyrage.DecryptError:
            raise BackupError("the backup could not be decrypted with that identity") from None


def _restore_plain(database_url, backup_path):
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


def backup_name(database_url, now, encrypted):
    kind = "db" if make_url(database_url).get_backend_name() == "sqlite" else "dump"
    return f"licensing-{now:%Y%m%dT%H%M%SZ}.{kind}" + (".age" if encrypted else "")


def prune(folder, keep=0, keep_days=0, now=None):
    """Delete this folder's older backups: beyond the newest `keep` (0: no count limit) and older
    than `keep_days` days (0: no age limit). A backup survives if either rule keeps it; the
    newest is never deleted. Returns the names deleted."""
    if not keep and not keep_days:
        return []
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    found = sorted(((m.group(1), name) for name in os.listdir(folder) if (m := BACKUP_NAME.match(name))),
                   reverse=True)
    removed = []
    for index, (stamp, name) in enumerate(found):
        taken = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")
        kept_by_count = keep and index < keep
        kept_by_age = keep_days and now - taken <= dt.timedelta(days=keep_days)
        if index == 0 or kept_by_count or kept_by_age:
            continue
        os.remove(os.path.join(folder, name))
        removed.append(name)
    return removed

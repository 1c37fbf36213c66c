"""A throwaway PostgreSQL server in a temporary directory, for tests and benchmarks.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user.
The server listens on a private port on 127.0.0.1 and a private socket directory.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time


class PostgresUnavailable(RuntimeError):
    pass


def _bindir():
    explicit = os.environ.get("PG_BINDIR")
    if explicit:
        return explicit
    try:
        return subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    versions = sorted(os.listdir("/usr/lib/postgresql"), reverse=True) if os.path.isdir("/usr/lib/postgresql") else []
    for candidate in versions:
        path = f"/usr/lib/postgresql/{candidate}/bin"
        if os.path.exists(os.path.join(path, "initdb")):
            return path
    raise PostgresUnavailable("no PostgreSQL binaries found (pg_config --bindir)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OWNER_ROLE = "licensing_owner"  # runs the migrations and owns the tables
APP_ROLE = "licensing_app"  # what the application connects as: only appends to the audit trail


class TemporaryPostgres:
    def __init__(self, fsync=False):
        self.bindir = _bindir()
        if not os.path.exists(os.path.join(self.bindir, "initdb")):
            # Debian puts initdb beside pg_ctl under /usr/lib/postgresql/N/bin
            raise PostgresUnavailable(f"initdb not found in {self.bindir}")
        self.root = tempfile.mkdtemp(prefix="licensing-pg-")
        self.datadir = os.path.join(self.root, "data")
        self.sockdir = os.path.join(self.root, "sock")
        os.makedirs(self.sockdir)
        self.port = _free_port()
        self.fsync = fsync
        self.as_root = os.geteuid() == 0

    def _run(self, *args, check=True):
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check)

    def start(self):
        if self.as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sockdir, "postgres")
        try:
            self._run("initdb", "-D", self.datadir, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                      "--locale", "C.UTF-8" if _has_c_utf8() else "C")
            self._pg_start()
            self.create_roles()
        except subprocess.CalledProcessError as error:
            raise PostgresUnavailable(f"{error.cmd}: {error.stderr.strip()[:500]}") from error
        return self

    def _pg_start(self):
        options = f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.fsync:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", self.datadir, "-o", options, "-l",
                  os.path.join(self.root, "server.log"), "-w", "-t", "60", "start")

    def restart(self):
        """Start the server again on the same data directory (after `kill`: crash recovery)."""
        self._pg_start()
        return self

    def url(self, database="postgres", user="postgres"):
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql, database="postgres"):
        return self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", database, "-v", "ON_ERROR_STOP=1", "-qAtc", sql)

    def create_roles(self):
        """The two roles of the README's deployment section (no passwords: the test server trusts)."""
        for role in (OWNER_ROLE, APP_ROLE):
            self.psql(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")

    def create_owned_database(self, name):
        """A database owned by the owner role: (owner's URL, application's URL)."""
        self.psql(f'CREATE DATABASE "{name}" OWNER {OWNER_ROLE}')
        self.psql(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO {OWNER_ROLE}",
                  database=name)
        return self.url(name, OWNER_ROLE), self.url(name, APP_ROLE)

    def create_database(self, name):
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def kill(self):
        """Stop the server abruptly (SIGKILL to the postmaster), as a crash would."""
        with open(os.path.join(self.datadir, "postmaster.pid")) as fh:
            pid = int(fh.readline())
        os.kill(pid, 9)
        time.sleep(0.5)

    def stop(self):
        self._run("pg_ctl", "-D", self.datadir, "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def _has_c_utf8():
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    except OSError:
        return False
    return "c.utf8" in out or "c.utf-8" in out

"""Running it as shipped: the systemd units' own commands and settings (deploy/systemd/) start the
migrations, two gunicorn app servers with deploy/gunicorn.conf.py and the scheduler against one
PostgreSQL, and /healthz on both servers answers with the scheduler's heartbeat. The container
files (Dockerfile, compose.yaml) are checked to run the same commands (Docker is not in CI)."""

import configparser
import http.client
import json
import os
import re
import signal
import subprocess
import time

import pytest
import yaml

from tests.support.postgres import _free_port
from tests.support.servers import BIN, ROOT, SECRET, stop_gunicorn, wait_until_healthy

SYSTEMD = os.path.join(ROOT, "deploy", "systemd")
INSTALLED = "/opt/licensing"


class Unit:
    """A systemd unit's [Service] command and environment, for this checkout instead of /opt/licensing."""

    def __init__(self, name):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str
        parser.read(os.path.join(SYSTEMD, name))
        self.service = parser["Service"]

    def command(self):
        words = self.service["ExecStart"].split()
        return [words[0].replace(f"{INSTALLED}/.venv/bin", BIN), *words[1:]]

    def env(self, database_url, instance=""):
        environment = {**os.environ, **_env_file()}
        environment.update(pair.split("=", 1) for pair in self.service["Environment"].split())
        environment = {key: value.replace("%i", str(instance)) for key, value in environment.items()}
        return {**environment, "DATABASE_URL": database_url, "SECRET_KEY": SECRET}


def _env_file():
    with open(os.path.join(SYSTEMD, "licensing.env.example")) as handle:
        return dict(line.strip().split("=", 1) for line in handle if re.match(r"[A-Z_]+=", line))


def _health(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def _wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError("timed out waiting")


def test_the_units_run_the_shipped_gunicorn_config_and_the_scheduler():
    web, scheduler = Unit("licensing-web@.service"), Unit("licensing-scheduler.service")
    assert web.command()[1:] == ["--config", "deploy/gunicorn.conf.py"]
    assert scheduler.command()[1:] == ["scheduler", "run", "--run-now"]
    assert web.service["WorkingDirectory"] == scheduler.service["WorkingDirectory"] == INSTALLED
    assert web.service["User"] == scheduler.service["User"] == "licensing"
    assert web.service["KillMode"] == "mixed" and web.service["UMask"] == "0077"


def test_the_container_files_run_the_same_processes():
    with open(os.path.join(ROOT, "compose.yaml")) as handle:
        services = yaml.safe_load(handle)["services"]
    gunicorn = ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
    assert [name for name, s in services.items() if s.get("command") == gunicorn] == ["web1", "web2"]
    assert services["scheduler"]["command"] == ["flask", "scheduler", "run", "--run-now"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"]
    with open(os.path.join(ROOT, "Dockerfile")) as handle:
        dockerfile = handle.read()
    final_stage = dockerfile.rsplit("\nFROM ", 1)[1]
    assert final_stage.startswith("python:") and "-slim" in final_stage.split()[0]
    assert re.search(r"^USER licensing$", final_stage, re.M) and "/healthz" in final_stage
    assert re.search(r"^HEALTHCHECK ", final_stage, re.M) and f'CMD {json.dumps(gunicorn)}' in final_stage
    assert "--require-hashes --no-deps -r requirements.lock" in dockerfile and "requirements-dev" not in dockerfile


@pytest.mark.slow
def test_two_servers_and_the_scheduler_from_the_shipped_units(postgres, tmp_path):
    url = postgres.create_database("shipped_units")
    migrate, web, scheduler = (Unit(f"licensing-{name}.service") for name in ("migrate", "web@", "scheduler"))
    subprocess.run(migrate.command(), cwd=ROOT, env=migrate.env(url), check=True, timeout=180,  # noqa: S603
                   stdout=subprocess.DEVNULL)
    ports = [_free_port(), _free_port()]
    processes = []
    try:
        for port in ports:
            with open(tmp_path / f"web-{port}.log", "wb") as log:
                processes.append(subprocess.Popen(web.command(), cwd=ROOT, env=web.env(url, port),  # noqa: S603
                                                  stdout=log, stderr=log, start_new_session=True))
            wait_until_healthy(port, processes[-1])
        status, body = _health(ports[0])
        assert status == 200 and body["scheduler"]["state"] == "never" and body["outbox"]["unsent"] == 0

        with open(tmp_path / "scheduler.log", "wb") as log:
            processes.append(subprocess.Popen(scheduler.command(), cwd=ROOT, env=scheduler.env(url),  # noqa: S603
                                              stdout=log, stderr=log, start_new_session=True))
        _wait_for(lambda: all(_health(port)[1]["scheduler"]["state"] == "ok" for port in ports))
        for port in ports:
            status, body = _health(port)
            assert status == 200 and body["database"] == "ok"
            assert body["scheduler"]["last_heartbeat"].endswith("Z") and body["scheduler"]["seconds_since"] < 60
            assert body["outbox"] == {"unsent": 0, "failed": 0}

        processes[-1].send_signal(signal.SIGTERM)  # the scheduler stops cleanly
        assert processes[-1].wait(timeout=60) == 0
        assert "Scheduler stopped" in (tmp_path / "scheduler.log").read_text()
    finally:
        for process in processes[2:]:
            if process.poll() is None:
                process.kill()
                process.wait()
        for process in processes[:2]:
            stop_gunicorn(process)

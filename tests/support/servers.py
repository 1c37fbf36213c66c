"""Starting the real servers for tests and benchmarks: gunicorn and the scheduler, on loopback."""

import http.client
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
SECRET = "test-and-bench-only-secret-key-of-at-least-32-characters"  # noqa: S105 - throwaway servers


def server_env(url, environment="production", **extra):
    return {**os.environ, "DATABASE_URL": url, "LICENSING_ENV": environment, "SECRET_KEY": SECRET,
            "FLASK_APP": "wsgi", **{k: str(v) for k, v in extra.items()}}


def start_gunicorn(url, port, workers=2, threads=4, extra_env=None, log_path=os.devnull, environment="production"):
    """gunicorn serving the application on 127.0.0.1:`port`; returns once /healthz answers 200."""
    env = server_env(url, environment, **(extra_env or {}))
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [os.path.join(BIN, "gunicorn"), "--workers", str(workers), "--threads", str(threads),
             "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "20", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
        )
    wait_until_healthy(port, process)
    return process


def wait_until_healthy(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def stop_gunicorn(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss_mb(master_pid):
    sizes = []
    for pid in _children(master_pid):
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return sizes


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(x) for x in handle.read().split()]
    except OSError:
        return []

"""What managers wait for: each report page and each download over HTTP, on the benchmark's
gunicorn, with the workers' memory sampled throughout each request (the largest worker's peak).

Called by bench/run.py after the closed quarter has been stored (`store_closed_quarter`), so the
closed quarter is served from the store and the current one is computed live."""

import datetime as dt
import re
import threading
import time

from bench.http_load import CSRF
from licensing.reports.periods import Quarter
from tests.support.servers import worker_rss_mb

# (label, path, target seconds)
PAGE_TARGET_S = {"closed": 2.0, "current": 5.0}
EXPORT_TARGET_S = {"csv": 10.0, "xlsx": 30.0, "pdf": 30.0}
BACKGROUND_TARGET_S = 60.0
MEMORY_TARGET_MB = 300


def store_closed_quarter(app, quarter, Row):
    """Store the closed quarter as the scheduler's job does after the quarter ends; timed."""
    from licensing.extensions import db
    from licensing.reports.store import store_quarter

    with app.app_context():
        began = time.perf_counter()
        stored = store_quarter(quarter, reason="benchmark")
        db.session.commit()
        seconds = time.perf_counter() - began
        rows = stored.rows_stored
        db.session.remove()
    return Row(f"store a closed quarter's report ({quarter.name}, the job)", seconds, "s", None, "", None,
               f"{rows:,} licences listed")


class _PeakMemory:
    """Samples the gunicorn workers' resident memory every 50 ms while a request runs."""

    def __init__(self, master_pid):
        self.master_pid, self.peak, self._stop = master_pid, 0.0, threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while True:
            self.peak = max([self.peak, *worker_rss_mb(self.master_pid)])
            if self._stop.wait(0.05):
                break

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()
        self.peak = max([self.peak, *worker_rss_mb(self.master_pid)])



def _fetch(client, path):
    """GET `path`; where the download is offered in the background instead (the Excel file of a
    large report), ask for it, follow its progress page until it is ready, and fetch the file."""
    status, _location, body = client.request("GET", path)
    if status != 200 or b"Prepare the download" not in body:
        return status, body, ""
    token = CSRF.search(body.decode()).group(1)
    quarter = re.search(r'name="quarter"[^>]*value="([^"]+)"', body.decode()).group(1)
    status, progress, _ = client.request("POST", "/reports/exports", {"csrf_token": token, "quarter": quarter,
                                                                      "fmt": "xlsx"})
    if status != 302:
        return status, b"", "background request refused"
    progress = progress.split("://", 1)[-1].split("/", 1)[-1]
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline:
        status, _location, page = client.request("GET", "/" + progress)
        if b"Ready" in page:
            status, _location, body = client.request("GET", "/" + progress + "/file")
            return status, body, "made in the background"
        if b"could not be prepared" in page:
            return 500, b"", "background export failed"
        time.sleep(0.5)
    return 504, b"", "background export not ready in 300 s"


def _timed_get(client, path, master_pid):
    with _PeakMemory(master_pid) as memory:
        began = time.perf_counter()
        status, body, how = _fetch(client, path)
        seconds = time.perf_counter() - began
    return seconds, status, len(body), memory.peak, how


def measure_report_http(client, master_pid, closed, Row, today=None):
    """Rows for the report pages and downloads, as an officer's browser fetches them."""
    today = today or dt.date.today()
    current = Quarter.containing(today)
    year_start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    period = f"from={year_start.isoformat()}&to={today.isoformat()}"
    rows, peaks = [], []

    def add(label, path, target_s, note=""):
        seconds, status, size, peak, how = _timed_get(client, path, master_pid)
        peaks.append(peak)
        target_s = BACKGROUND_TARGET_S if how == "made in the background" else target_s
        ok = status == 200 and seconds < target_s
        note = ", ".join(n for n in (note, how) if n)
        rows.append(Row(label, seconds, "s", None, f"< {target_s:g} s", ok,
                        f"{size / 1e6:.1f} MB, worker peak {peak:.0f} MB" + (f", {note}" if note else "")
                        + ("" if status == 200 else f", HTTP {status}")))

    for which, quarter in (("closed", closed), ("current", current)):
        add(f"quarterly page GET /reports/quarterly ({which}, {quarter.name})",
            f"/reports/quarterly?quarter={quarter.name}", PAGE_TARGET_S[which],
            "from the store" if which == "closed" else "computed live")
        if which == "closed":
            add("quarterly page, a page deep in the list (closed)",
                f"/reports/quarterly?quarter={quarter.name}&after=100000", PAGE_TARGET_S[which])
        for fmt, target in EXPORT_TARGET_S.items():
            add(f"quarterly export {fmt} ({which})", f"/reports/quarterly/export?quarter={quarter.name}&format={fmt}",
                target)
    for kind in ("hearings", "statistics", "agreement", "decisions"):
        add(f"report page GET /reports/{kind} (this financial year)", f"/reports/{kind}?{period}", 5.0)
        add(f"report export csv /reports/{kind}", f"/reports/{kind}/export?{period}&format=csv", 10.0)
    add("report page GET /reports/snapshot", "/reports/snapshot", 5.0)
    add("report export csv /reports/snapshot", "/reports/snapshot/export?format=csv", 10.0)
    peak = max(peaks) if peaks else None
    rows.append(Row("gunicorn worker memory during the report requests, peak", peak, "MB", None,
                    f"< {MEMORY_TARGET_MB} MB", peak is not None and peak < MEMORY_TARGET_MB))
    return rows

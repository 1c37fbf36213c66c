"""Logs are structured and hold no passwords, cookies, codes, search terms or record content."""

import datetime as dt
import json
import logging

from licensing.audit import record
from licensing.extensions import db
from licensing.models import Conviction, LicenceHolder
from tests.conftest import TEST_PASSWORD, login

SENTINELS = ["Zebedee-Sentinel", "SENTINEL-CONVICTION-TEXT", TEST_PASSWORD]


def test_logs_are_json_and_carry_no_personal_data(app, client, users, caplog):
    with app.app_context():
        holder = LicenceHolder(holder_ref="S1", first_name="Zebedee-Sentinel", last_name="Driver")
        db.session.add(holder)
        db.session.flush()
        db.session.add(Conviction(holder_id=holder.id, category="violence", offence="SENTINEL-CONVICTION-TEXT",
                                  conviction_date=dt.date(2020, 1, 1), source="dbs"))
        record(None, "holder.create", holder)
        db.session.commit()
    caplog.set_level(logging.INFO, logger="licensing")
    client.post("/auth/login", data={"email": users["officer"], "password": "wrong Zebedee-Sentinel"})
    login(client, users["officer"])
    client.get("/holders/?q=Zebedee-Sentinel")
    client.get("/no-such-page?name=Zebedee-Sentinel")
    cookie = client.get_cookie("session").value
    text = "\n".join(r.getMessage() + json.dumps(getattr(r, "fields", {}), default=str) for r in caplog.records)
    for sentinel in [*SENTINELS, cookie, users["officer"]]:
        assert sentinel not in text, sentinel
    requests = [r for r in caplog.records if r.getMessage() == "request"]
    assert any(r.fields["route"] == "/holders/" and r.fields["status"] == 200 for r in requests)
    from licensing.logs import JsonFormatter

    parsed = json.loads(JsonFormatter().format(requests[-1]))
    assert parsed["message"] == "request" and "request_id" in parsed


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/auth/login").headers["X-Request-Id"]) == 16


def test_request_log_names_the_user_without_reloading_them_after_a_commit(app, client, users, caplog):
    """The holder page of a holder with intelligence commits its intelligence-view audit row, which
    expires the user; the log line and the headers still know who it was, and no statement reloads
    the user."""
    import datetime as dt

    import sqlalchemy as sa

    from licensing.holders.operations.holders import record_intelligence
    from licensing.models import User
    from tests.test_register_queries import counted_statements

    with app.app_context():
        holder = LicenceHolder(holder_ref="S2", first_name="Pat", last_name="Driver")
        db.session.add(holder)
        officer = db.session.execute(sa.select(User).filter_by(email=users["officer"])).scalar_one()
        record_intelligence(officer, holder, {"source": "police", "grading": "B2 P", "summary": "x",
                                              "received_on": dt.date(2026, 3, 1)})
        db.session.commit()
        holder_id = holder.id
        officer_id = officer.id
    login(client, users["officer"])
    caplog.set_level(logging.INFO, logger="licensing")
    with counted_statements(app) as statements:
        response = client.get(f"/holders/{holder_id}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    head_moved = "UPDATE audit_chain_head SET last_hash"
    commit_at = next(i for i, s in enumerate(statements) if s.lstrip().startswith(head_moved))
    assert not any(s.lstrip().startswith("SELECT users.") for s in statements[commit_at:]), statements[commit_at:]
    line = [r for r in caplog.records if r.getMessage() == "request"][-1]
    assert line.fields["user_id"] == officer_id and line.fields["route"] == "/holders/<int:holder_id>"


def _json_lines(records):
    from licensing.logs import JsonFormatter

    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in records]


def test_a_500_is_one_json_line_with_traceback_and_request_id_and_nothing_personal(database_url, caplog):
    from flask import request

    from licensing.permissions import public
    from tests.conftest import build_app

    app = build_app(database_url, PROPAGATE_EXCEPTIONS=False)

    @public
    def broken():
        # the personal data arrives in the request, as it would (source lines are in the traceback)
        name, offence = request.form["surname"], request.args["offence"]
        db.session.add(LicenceHolder(holder_ref="S3", first_name=name, last_name="Driver"))
        db.session.flush()
        raise RuntimeError(f"could not file {offence} for {name}")

    app.add_url_rule("/test-only/broken", "broken", broken, methods=["GET", "POST"])
    caplog.set_level(logging.INFO)
    response = app.test_client().post("/test-only/broken?offence=SENTINEL-CONVICTION-TEXT",
                                      data={"surname": "Zebedee-Sentinel"}, headers={"X-Request-Id": "lb-7f3a9c21e4"})
    assert response.status_code == 500 and response.headers["X-Request-Id"] == "lb-7f3a9c21e4"
    lines = _json_lines(caplog.records)
    assert not any("Exception on" in line["message"] for line in lines)  # Flask's own line is gone
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["message"] == "unhandled error" and error["request_id"] == "lb-7f3a9c21e4"
    assert error["route"] == "/test-only/broken" and error["error_type"] == "RuntimeError"
    assert "Traceback (most recent call last)" in error["traceback"] and "in broken" in error["traceback"]
    assert error["reference"] in response.get_data(as_text=True)
    assert error["time"].endswith("Z") and dt.datetime.fromisoformat(error["time"]).utcoffset() == dt.timedelta(0)
    everything = json.dumps(lines)
    for sentinel in SENTINELS:
        assert sentinel not in everything, sentinel
    # every line of the request carries its id
    assert all(line.get("request_id") == "lb-7f3a9c21e4" for line in lines if line["logger"] == "licensing")
    with app.app_context():
        db.engine.dispose()


def test_an_incoming_request_id_is_kept_only_if_it_is_a_plain_token(client):
    assert client.get("/auth/login", headers={"X-Request-Id": "abc123-XYZ.9"}).headers["X-Request-Id"] == "abc123-XYZ.9"
    replaced = client.get("/auth/login", headers={"X-Request-Id": "<script>Zebedee</script>"}).headers["X-Request-Id"]
    assert len(replaced) == 16 and "Zebedee" not in replaced


def test_job_errors_are_stored_and_logged_without_sql_parameters(tmp_path, caplog):
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from tests.conftest import build_app

    # its own database: the runner commits, and takes the job's lock on a connection of its own
    app = build_app(f"sqlite:///{tmp_path}/jobs.db")
    with app.app_context():
        upgrade()

    from licensing.jobs import Job, runner
    from licensing.models import JobRunStatus

    def clash(context):
        db.session.add(LicenceHolder(holder_ref="DUP", first_name="Zebedee-Sentinel", last_name="One"))
        db.session.add(LicenceHolder(holder_ref="DUP", first_name="Zebedee-Sentinel", last_name="Two"))
        db.session.flush()

    caplog.set_level(logging.INFO)
    real = runner.jobs
    runner.jobs = lambda: {"clash": Job("clash", clash, "test")}
    try:
        with app.app_context():
            run = runner.run_job("clash", dt.date(2026, 3, 2))
            assert run.status == JobRunStatus.FAILED
            assert run.error.startswith("IntegrityError") and "[SQL:" in run.error
            assert "Zebedee-Sentinel" not in run.error and "parameters" not in run.error
            run_id = run.id
            assert db.session.scalar(sa.select(sa.func.count()).select_from(LicenceHolder)
                                     .where(LicenceHolder.holder_ref == "DUP")) == 0
    finally:
        runner.jobs = real
        with app.app_context():
            db.engine.dispose()
    failed = [line for line in _json_lines(caplog.records) if line["message"] == "job clash failed"]
    assert failed and failed[0]["job_id"] == f"clash-{run_id}" and "Traceback" in failed[0]["traceback"]
    assert "Zebedee-Sentinel" not in json.dumps(failed)


def test_gunicorn_logs_as_json_lines_without_the_path(tmp_path):
    import importlib.util
    import io
    import logging.config
    import pathlib

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    path = pathlib.Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    cfg = Config()
    for key in ("logconfig_dict", "access_log_format", "accesslog", "errorlog"):
        cfg.set(key, getattr(conf, key))
    logger = Logger(cfg)
    stream = io.StringIO()
    for handler in logging.getLogger("gunicorn.access").handlers + logging.getLogger("gunicorn.error").handlers:
        handler.setStream(stream)
    logger.error("Worker (pid:%s) was sent SIGKILL", 42)

    class Response:
        status, sent, headers = "200 OK", 512, [("X-Request-Id", "abcdef0123456789")]

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/holders/", "QUERY_STRING": "q=Zebedee-Sentinel",
               "RAW_URI": "/holders/?q=Zebedee-Sentinel", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1"}

    class Request:
        headers, method, path, query, uri, version = [], "GET", "/holders/", "q=Zebedee-Sentinel", "/holders/", (1, 1)

    logger.access(Response(), Request(), environ, dt.timedelta(milliseconds=12))
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["logger"] for line in lines] == ["gunicorn.error", "gunicorn.access"]
    assert lines[0]["message"] == "Worker (pid:42) was sent SIGKILL" and lines[0]["time"].endswith("Z")
    assert lines[1]["status"] == "200" and lines[1]["request_id"] == "abcdef0123456789"
    assert "Zebedee" not in stream.getvalue() and "/holders/" not in stream.getvalue()
    logging.config.dictConfig({"version": 1, "incremental": False, "disable_existing_loggers": False})


def _tracking():
    import sentry_sdk

    client = sentry_sdk.get_client()
    return client.is_active() and bool(getattr(client, "dsn", None))


def test_error_tracking_is_off_without_sentry_dsn_and_on_with_it(database_url):
    import sentry_sdk

    from tests.conftest import build_app

    application = build_app(database_url)
    assert not _tracking()
    try:
        # A DSN pointing at a closed local port: initialised, and nothing leaves the machine.
        application = build_app(database_url, SENTRY_DSN="http://public@127.0.0.1:9/1")
        client = sentry_sdk.get_client()
        assert _tracking()
        assert client.options["send_default_pii"] is False and client.options["include_local_variables"] is False
        assert client.options["max_request_body_size"] == "never"
        from licensing.errortracking import _scrub

        event = _scrub({"request": {"method": "GET", "url": "https://x/holders/?q=Zebedee", "cookies": {"s": "1"},
                                    "data": {"name": "Zebedee"}},
                        "exception": {"values": [{"type": "KeyError", "value": "'Zebedee'"}]}}, None)
        assert "Zebedee" not in json.dumps(event) and event["request"]["method"] == "GET"
    finally:
        sentry_sdk.get_client().close(timeout=0)
        sentry_sdk.init()
        with application.app_context():
            db.engine.dispose()
    assert not _tracking()


def test_the_development_servers_own_request_line_is_dropped(app, caplog):
    caplog.set_level(logging.INFO)
    server = logging.getLogger("werkzeug")
    server.info('%s - - [%s] "%s" %s -', "127.0.0.1", "now", "GET /holders/?q=Zebedee-Sentinel HTTP/1.1", "200")
    server.info("Running on http://127.0.0.1:5000")
    messages = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert messages == ["Running on http://127.0.0.1:5000"]

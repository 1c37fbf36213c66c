"""The locks: every package pinned with hashes, the inputs honoured, the two locks in step, and the
demo data generator (Faker) kept out of the production install."""

import importlib.util
import os
import re
import tomllib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _read(name):
    with open(os.path.join(ROOT, name)) as handle:
        return handle.read()


def _lock(name):
    """{package: (version, number of hashes)} from a pip-compile lock."""
    entries = {}
    for block in re.split(r"\n(?=[a-z0-9])", _read(name)):
        match = re.match(r"([a-z0-9._-]+)==(\S+)", block)
        if match:
            entries[match[1]] = (match[2], len(re.findall(r"--hash=sha256:[0-9a-f]{64}", block)))
    return entries


def _inputs(name):
    pins = {}
    for line in _read(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            package, version = line.split("==")
            pins[re.sub(r"\[.*\]", "", package).lower().replace("_", "-")] = version
    return pins


def test_every_locked_package_is_pinned_with_a_hash():
    for name in ("requirements.lock", "requirements-dev.lock"):
        lock = _lock(name)
        assert len(lock) > 30, name
        assert all(hashes >= 1 for _version, hashes in lock.values()), name


def test_the_locks_pin_what_the_inputs_ask_for_and_agree():
    app, dev = _lock("requirements.lock"), _lock("requirements-dev.lock")
    stale = "is not locked as the input asks: run `make lock` and commit the locks"
    for package, version in _inputs("requirements.txt").items():
        assert app.get(package, [None])[0] == version == dev.get(package, [None])[0], f"{package} {stale}"
    for name in ("requirements-demo.txt", "requirements-dev.txt"):
        for package, version in _inputs(name).items():
            assert dev.get(package, [None])[0] == version and package not in app, f"{package} {stale}"
    assert {package: dev[package][0] for package in app} == {package: v for package, (v, _h) in app.items()}


def test_faker_is_for_the_demo_only():
    assert "faker" not in _lock("requirements.lock") and "faker" in _lock("requirements-dev.lock")
    assert "faker" in _inputs("requirements-demo.txt")


def test_the_project_metadata_reads_the_inputs():
    project = tomllib.loads(_read("pyproject.toml"))
    assert project["project"]["name"] and project["project"]["requires-python"] == ">=3.11"
    dynamic = project["tool"]["setuptools"]["dynamic"]
    assert dynamic["dependencies"] == {"file": ["requirements.txt"]}
    assert dynamic["optional-dependencies"]["dev"]["file"] == ["requirements-demo.txt", "requirements-dev.txt"]
    assert "importlinter" in project["tool"] and "ruff" in project["tool"]


def test_the_audit_ignore_list_gives_a_reason_for_every_entry():
    for line in _read("audit-ignore.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            vuln_id, _, reason = line.partition(" ")
            assert re.match(r"(PYSEC|GHSA|CVE)-", vuln_id) and len(reason.strip()) > 20, line


def _audit_tool():
    spec = importlib.util.spec_from_file_location("audit", os.path.join(ROOT, "tools", "audit.py"))
    audit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(audit)
    return audit


def test_the_audit_reports_advisories_and_tells_an_unanswered_audit_from_a_clean_one():
    audit = _audit_tool()
    report = {"dependencies": [
        {"name": "jinja2", "version": "3.1.2", "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]},
        {"name": "flask", "version": "3.1.3", "vulns": []},
    ]}
    assert audit.python_findings(report) == (["jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)"], True)
    assert audit.python_findings({"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]}) == ([], True)
    unanswered = {"dependencies": [{"name": "flask", "version": "3.1.3", "skip_reason": "not found on PyPI"}]}
    assert audit.python_findings(unanswered) == ([], False)


def test_the_audit_refuses_an_ignored_id_without_a_reason(tmp_path):
    audit = _audit_tool()
    listed = tmp_path / "ignore.txt"
    listed.write_text("# reviewed\nGHSA-aaaa-bbbb-cccc only in a test tool that never parses input\n")
    assert audit.ignored(str(listed)) == {"GHSA-aaaa-bbbb-cccc": "only in a test tool that never parses input"}
    listed.write_text("PYSEC-2026-1\n")
    with pytest.raises(SystemExit, match="has no reason"):
        audit.ignored(str(listed))

"""Known-vulnerability audit of the locked Python and npm dependencies (`make lint`, `make test`).

Fails on any advisory that is not in audit-ignore.txt (each ignored id needs a reason there).
pip-audit asks PyPI's per-release JSON API, `npm audit` the npm registry's advisory endpoint. Where a
registry mirror offers neither, the audit cannot be made: it says so loudly and, unless
AUDIT_REQUIRE_SERVICE=1 (set it where the real registries are reachable), does not fail the build.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


IGNORE_FILE = os.path.join(ROOT, "audit-ignore.txt")


def ignored(path=IGNORE_FILE):
    """{advisory id: reason}; a line is `ID reason...`; an id without a reason is refused."""
    entries = {}
    with open(path) as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            vuln_id, _, reason = line.partition(" ")
            if not reason.strip():
                raise SystemExit(f"audit-ignore.txt line {number}: {vuln_id} has no reason")
            entries[vuln_id] = reason.strip()
    return entries


def python_audit(lock, ignore):
    """(advisories found, whether the service answered); names the packages it could not audit."""
    command = [os.path.join(BIN, "pip-audit"), "--disable-pip", "--require-hashes", "--progress-spinner", "off",
               "--format", "json", "-r", lock]
    for vuln_id in ignore:
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603 - fixed arguments
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr, file=sys.stderr)
        return [f"pip-audit failed (exit {result.returncode})"], True
    return python_findings(report)


def python_findings(report):
    """(advisories in a pip-audit JSON report, whether any package could be audited)."""
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    if audited and skipped:
        print(f"pip-audit could not audit {len(skipped)} packages: {', '.join(skipped)}", file=sys.stderr)
    found = [f"{d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions', [])) or 'none'})"
             for d in audited for v in d.get("vulns", [])]
    return found, bool(audited)


def npm_audit(ignore):
    result = subprocess.run(["npm", "audit", "--json"], capture_output=True, text=True, cwd=ROOT)  # noqa: S603, S607
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        return [], False
    if "error" in report:
        return [], False
    found = []
    for name, entry in report.get("vulnerabilities", {}).items():
        for via in entry.get("via", []):
            if isinstance(via, dict):
                advisory = via.get("url", "").rsplit("/", 1)[-1] or str(via.get("source"))
                if advisory not in ignore:
                    found.append(f"{name}: {advisory} {via.get('severity', '')} {via.get('title', '')}")
    return found, True


def main():
    ignore = ignored()
    lock = sys.argv[1] if len(sys.argv) > 1 else "requirements-dev.lock"
    python_found, python_answered = python_audit(lock, ignore)
    npm_found, npm_answered = npm_audit(ignore)
    unreachable = [name for name, answered in (("PyPI (pip-audit)", python_answered),
                                               ("npm registry (npm audit)", npm_answered)) if not answered]
    for name in unreachable:
        print(f"AUDIT NOT MADE: the {name} advisory service did not answer from this network", file=sys.stderr)
    for line in python_found + npm_found:
        print(f"VULNERABLE: {line}", file=sys.stderr)
    if python_found or npm_found:
        return 1
    if unreachable and os.environ.get("AUDIT_REQUIRE_SERVICE") == "1":
        return 1
    print(f"audit: no known vulnerabilities ({len(ignore)} ignored, see audit-ignore.txt)"
          + (f"; not checked: {', '.join(unreachable)}" if unreachable else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

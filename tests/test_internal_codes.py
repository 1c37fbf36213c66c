"""No internal codes reach people: every page each role can open, and every PDF and workbook they
can download, is read back and searched for snake_case codes ("medical_group2", "awaiting_decision")."""

import html as html_lib
import io
import re

from licensing.permissions import AUTHENTICATED, PUBLIC, roles_granted
from tests.conftest import login
from tests.support.pdf import pdf_pages
from tests.test_access import _routes, _sample_records, _url

CODE = re.compile(r"(?<![\w@./#=-])[a-z][a-z0-9]*_[a-z0-9]+(?:_[a-z0-9]+)*(?![\w@/=-])")
# Where a code is what the reader needs: the audit trail's filter values (sent back in the URL) are
# not shown; command lines, e-mail addresses and file names are allowed by the pattern itself.
ALLOWED = {"expiry_scan"}  # the job's name, in the command an administrator types to run it
ROLES = ("officer", "panel", "manager", "admin")
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page_text(html):
    found = re.search(r"<main.*?</main>", html, re.S)
    html = found.group(0) if found else html
    html = re.sub(r"<(script|style|code)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def _workbook_text(content):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    return " ".join(cells)


def _codes(text):
    return sorted(set(CODE.findall(text)) - ALLOWED)


def _texts(client, url):
    response = client.get(url)
    try:
        if response.status_code != 200:
            return None
        kind = response.content_type.split(";")[0]
        if kind == "text/html":
            return _page_text(response.get_data(as_text=True))
        if kind == "application/pdf":
            if "evidence" in url or "documents" in url:
                return None  # an uploaded file, shown as it was received
            return " ".join(pdf_pages(response.data))
        if kind == WORKBOOK:
            return _workbook_text(response.data)
        return None
    finally:
        response.close()


def test_no_page_pdf_or_workbook_shows_an_internal_code(app, users):
    records = _sample_records(app, users["officer"])
    found, read = {}, 0
    for role in ROLES:
        client = app.test_client()
        login(client, users[role])
        for rule in _routes(app):
            if "GET" not in rule.methods:
                continue
            access = app.view_functions[rule.endpoint].access_rule
            if not (access in (PUBLIC, AUTHENTICATED) or role in roles_granted(access)):
                continue
            urls = [_url(rule, records)]
            if rule.endpoint.startswith("reports.") and rule.endpoint.endswith("_export"):
                urls = [f"{urls[0]}?format=pdf", f"{urls[0]}?format=xlsx"]
            for url in urls:
                text = _texts(client, url)
                if text is None:
                    continue
                read += 1
                if codes := _codes(text):
                    found[f"{role} {url}"] = codes[:10]
    assert found == {}, found
    assert read > 100, read


def test_the_not_adhering_drill_down_names_requirements_not_codes(app, users, tmp_path):
    """Finding 21: the records behind the quarterly figure listed "dbs_update_service, medical_group2"."""
    from tests.test_reports_quarterly import Q2, _load

    _load(app, tmp_path)  # three holders overdue: DBS update service, Group 2 medical, safeguarding
    client = app.test_client()
    login(client, users["manager"])
    text = _texts(client, f"/reports/records?figure=quarterly.not_adhering&quarter={Q2.name}")
    assert "3 records" in text
    assert "Group 2 medical" in text and "DBS update service status check" in text
    assert _codes(text) == []

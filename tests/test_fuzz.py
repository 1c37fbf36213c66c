"""No stack trace or SQL ever reaches a user: every form, fed random input, answers < 500."""

import re

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import login
from tests.test_access import _routes, _sample_records, _url

# Text that tends to break things: markup, SQL, control characters, huge and odd numbers.
NASTY = st.sampled_from([
    "", " ", "0", "-1", "99999999999999999999", "1e308", "NaN", "2026-02-30", "31 13 2026",
    "<script>alert(1)</script>", "' OR 1=1 --", '"; DROP TABLE users; --', "\x00", "\u202e", "%s%s%n",
    "../../etc/passwd", "=HYPERLINK(\"http://x\")", '<font color="[[[getattr(pow, 1)]]]">x</font>',
])
VALUES = st.one_of(NASTY, st.text(max_size=300))
SKIP = {"auth.logout_view"}  # signs the fuzzing user out


def _field_names(html):
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    return sorted(names - {"csrf_token"})


def _post_routes(app):
    return [r for r in _routes(app) if "POST" in r.methods and r.endpoint not in SKIP]


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_forms_never_fail_with_a_server_error(app, users, role):
    records = _sample_records(app, users["officer"])
    client = app.test_client()
    login(client, users[role])
    targets = []
    for rule in _post_routes(app):
        url = _url(rule, records)
        fields = _field_names(client.get(url).get_data(as_text=True)) if "GET" in rule.methods else []
        targets.append((url, fields))

    # No shrinking: a failing form is reported as drawn, within the test's time budget.
    @settings(max_examples=12, deadline=None, database=None, phases=[Phase.generate])
    @given(data=st.data())
    def fuzz(data):
        for url, fields in targets:
            names = fields or data.draw(st.lists(st.text(min_size=1, max_size=12), max_size=4), label="names")
            form = {name: data.draw(VALUES, label=name) for name in names}
            response = client.post(url, data=form)
            body = response.get_data(as_text=True)
            assert response.status_code < 500, (url, form)
            assert "Traceback" not in body and "sqlalchemy" not in body.lower(), url

    fuzz()


def test_nul_characters_are_refused_before_they_reach_the_database(app, users):
    client = app.test_client()
    login(client, users["admin"])
    response = client.post("/admin/users/1/disable", data={"reason": "x\x00y"})
    assert response.status_code == 400
    assert "not allowed" in response.get_data(as_text=True)


# Out-of-range values in query strings and form fields: the review's corpus (integers beyond
# 64 bits and beyond PostgreSQL's integer, the last representable date, a tampered version).
HUGE = ["99999999999999999999999", "2147483648", "-99999999999999999999", "1e400"]
FAR_DATES = ["9999-12-31", "0001-01-01", "10000-01-01"]
QUERY_KEYS = ["page", "after", "before", "ids", "hearing", "member", "figure", "holder", "case"]
DATE_KEYS = ["on", "to", "from", "start", "end", "date"]


def _bad_queries():
    queries = [f"{key}={HUGE[n % 2]}" for n, key in enumerate(QUERY_KEYS)]
    queries += [f"{key}={value}" for key in DATE_KEYS for value in FAR_DATES[:1]]
    queries += ["figure=hearing.listings&hearing=99999999999999999999999", "on=9999-12-31&to=9999-12-31",
                "from=0001-01-01&to=9999-12-31", "ids=1,99999999999999999999999"]
    return queries


def _get_routes(app, records):
    urls = []
    for rule in _routes(app):
        if "GET" in rule.methods and rule.endpoint not in SKIP and not rule.endpoint.endswith("static"):
            urls.append(_url(rule, records))
    return sorted(set(urls))


def _query_failures(client, urls):
    failures, tried = [], 0
    for url in urls:
        for query in _bad_queries():
            tried += 1
            response = client.get(f"{url}?{query}")
            response.get_data()  # a streamed download runs to its end
            response.close()
            if response.status_code >= 500:
                failures.append(f"{url}?{query} {response.status_code}")
    return failures, tried


def test_out_of_range_query_parameters_never_fail_signed_in(app, users):
    records = _sample_records(app, users["officer"])
    client = app.test_client()
    login(client, users["officer"])
    urls = [url for url in _get_routes(app, records) if not url.endswith((".pdf", ".xlsx", ".zip"))]
    failures, tried = _query_failures(client, urls)
    assert tried > 1000
    assert failures == []


def test_out_of_range_query_parameters_never_fail_signed_out(app):
    client = app.test_client()
    urls = ["/public-register/", "/public-register/register.csv", "/auth/login", "/healthz", "/"]
    failures, tried = _query_failures(client, urls)
    assert failures == []


DATE_DAYS = ["99999999999999999999", "2147483648", "-1", "0", "32"]
VERSIONS = ["abc", "99999999999999999999999", "-1", "", "1.5"]


def _bad_form_posts(fields):
    """(field, value, form) for each out-of-range day, huge year and tampered version of one form."""
    base = {name: "2026" if name.endswith("-year") else "1" for name in fields}
    for day in [name for name in fields if name.endswith("-day")]:
        for value in DATE_DAYS:
            yield day, value, {**base, day: value}
    for year in [name for name in fields if name.endswith("-year")]:
        yield year, "huge", {**base, year: "99999999999999999999"}
    if "version" in fields:
        for value in VERSIONS:
            yield "version", value, {**base, "version": value}


def test_out_of_range_dates_and_versions_in_forms_never_fail(app, users):
    records = _sample_records(app, users["officer"])
    client = app.test_client()
    login(client, users["officer"])
    failures, tried = [], 0
    for rule in _post_routes(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, records)
        fields = _field_names(client.get(url).get_data(as_text=True))
        for field, value, form in _bad_form_posts(fields):
            tried += 1
            if client.post(url, data=form).status_code >= 500:
                failures.append((url, field, value))
    assert tried >= 50
    assert failures == []

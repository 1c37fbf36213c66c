"""The anonymous register and its CSV are rate limited, and the CSV cannot occupy every thread."""

from licensing.extensions import limiter


def _from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_only_one_public_csv_streams_at_once_in_a_worker(app):
    first, second = _from(app, "203.0.113.1"), _from(app, "203.0.113.2")
    streaming = first.get("/public-register/register.csv", buffered=False)
    assert streaming.status_code == 200
    busy = second.get("/public-register/register.csv")
    assert busy.status_code == 503 and busy.headers["Retry-After"]
    assert "Too many downloads" in busy.get_data(as_text=True)
    assert b"".join(streaming.response).startswith(b"name,licence_number")  # the first is still served in full
    streaming.close()  # the body is done: its slot is free again
    again = second.get("/public-register/register.csv")
    assert again.status_code == 200
    again.close()  # as the server does when the body is sent


def test_the_public_register_and_its_csv_are_rate_limited_per_address(app):
    app.config.update(RATE_LIMITS=True, RATELIMIT_PUBLIC_REGISTER="5 per minute", RATELIMIT_PUBLIC_CSV="2 per minute")
    limiter.reset()
    busy, other = _from(app, "203.0.113.3"), _from(app, "203.0.113.4")
    pages = [busy.get("/public-register/").status_code for _ in range(6)]
    assert pages == [200] * 5 + [429]
    assert other.get("/public-register/").status_code == 200
    downloads = []
    for _ in range(3):
        response = busy.get("/public-register/register.csv")
        downloads.append(response.status_code)
        response.close()
    assert downloads == [200, 200, 429]
    refused = busy.get("/public-register/register.csv")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_every_page_anyone_may_open_is_rate_limited(app, users):
    """No page can be asked for without bound by someone not signed in: past RATELIMIT_PER_ADDRESS
    from one address each public route answers 429 (the fake payment service stands for another
    site). Signed-in staff are not held to it."""
    from tests.conftest import login

    limiter.reset()
    app.config.update(RATE_LIMITS=True, RATELIMIT_PER_ADDRESS="3 per minute", RATELIMIT_PUBLIC_REGISTER="3 per minute",
                      RATELIMIT_API="3 per minute", RATELIMIT_SIGN_IN="3 per minute")
    client = _from(app, "203.0.113.9")
    checked = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if (getattr(view, "access_rule", None) != "public" or "GET" not in rule.methods or "<" in rule.rule
                or rule.endpoint.startswith(("fake_pay.", "static"))):
            continue
        statuses = [client.get(rule.rule).status_code for _ in range(4)]
        assert statuses[-1] == 429, (rule.rule, statuses)
        checked.append(rule.rule)
    assert {"/", "/healthz", "/accessibility", "/account/sign-in", "/auth/login", "/public-register/"} <= set(checked)
    staff = _from(app, "203.0.113.10")
    login(staff, users["officer"])
    assert [staff.get("/accessibility").status_code for _ in range(5)] == [200] * 5
    limiter.reset()

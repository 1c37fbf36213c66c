"""Where an officer's page spends its time: the bench's mixed HTTP workload (searches, holder
pages, case list and case pages, the work queue) run in one process through the WSGI app under
cProfile, and the time summed by package and by function.

    .venv/bin/python -m bench.profile_pages --url postgresql+psycopg://... --email E --secret S [--requests 600]

`bench.run --profile` runs it on the benchmark's own database before the HTTP load."""

import argparse
import cProfile
import io
import logging
import pstats
import random
from collections import defaultdict

import sqlalchemy as sa

PACKAGES = ("sqlalchemy", "jinja2", "werkzeug", "flask", "psycopg", "wtforms", "licensing", "govuk_frontend_jinja",
            "markupsafe", "flask_login", "flask_wtf", "logging", "json")


def mixed_paths(app, count, seed=2015):
    from bench.run import sample_terms
    from licensing.extensions import db
    from licensing.models import LicenceHolder, ReviewCase

    rng = random.Random(seed)
    with app.app_context():
        terms = sample_terms(rng, 200)
        max_holder = db.session.scalar(sa.select(sa.func.max(LicenceHolder.id)))
        cases = db.session.scalars(sa.select(ReviewCase.id).order_by(ReviewCase.id).limit(500)).all()
        db.session.remove()
    mix = ["search"] * 3 + ["holder"] * 3 + ["cases"] + ["case"] * 2 + ["queue"]
    paths = []
    for n in range(count):
        kind = mix[n % len(mix)]
        if kind == "search":
            paths.append("/holders/?q=" + rng.choice(terms).replace(" ", "+"))
        elif kind == "holder":
            paths.append(f"/holders/{rng.randrange(1, max_holder + 1)}")
        elif kind == "cases":
            paths.append(f"/reviews/cases?page={1 + n % 5}")
        elif kind == "case" and cases:
            paths.append(f"/reviews/cases/{rng.choice(cases)}")
        else:
            paths.append("/reviews/")
    return paths


def _package(filename):
    for name in PACKAGES:
        if f"/{name}/" in filename or filename.endswith(f"/{name}.py"):
            return name
    return "other" if filename.startswith("/") else "built-in"


def profile(app, client, count=600, top=20):
    """Returns the report text: seconds by package (own time) and the top functions."""
    paths = mixed_paths(app, count)
    for path in paths[:30]:  # warm
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_package = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        by_package[_package(filename)] += own
    total = sum(by_package.values())
    out = io.StringIO()
    print(f"{count} requests, {total / count * 1000:.2f} ms of profiled time a request", file=out)
    for name, seconds in sorted(by_package.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<22}{seconds / count * 1000:7.2f} ms  {seconds / total:6.1%}", file=out)
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top + 10)
    return out.getvalue()


def main():
    from bench.run import signed_in_test_client
    from licensing import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--requests", type=int, default=600)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url}, environ={"LICENSING_ENV": "testing"})
    logging.getLogger("licensing").setLevel(logging.WARNING)
    client = signed_in_test_client(app, args.email, args.secret)
    print(profile(app, client, args.requests))


if __name__ == "__main__":
    main()

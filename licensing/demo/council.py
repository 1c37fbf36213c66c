"""Demo data: a realistic council, deterministic for a given seed.

By default 1,220 licence holders as in the source council's 2015 audit, about 47% of them
with a conviction or motoring offence (mostly motoring), with vehicles, operators and
compliance checks whose expiry dates spread over the past and the next year; applications and
renewals with their decisions; review cases in every state; hearings with attendance, proposed
and final decisions; enforcement actions; complaints; training sessions and completions.
`SCALES["london"]` is a London-sized council: 150,000 drivers, 3,000 operators, about 120,000
vehicles and 2 million dated checks, generated in memory and bulk loaded (licensing/demo/bulkload.py).
"""

import datetime as dt
import random

from faker import Faker

from licensing.audit import chain_rows
from licensing.auth.operations import create_user
from licensing.demo.bodies import ensure_demo_bodies
from licensing.demo.bulkload import BulkLoader, next_ids, no_progress
from licensing.demo.generator import Generator
from licensing.extensions import db
from licensing.models import (
    Role,
    User,
)
from licensing.models.base import utcnow

DEMO_USERS = [
    ("officer@example.gov.uk", "Olivia Officer", Role.OFFICER, True),
    ("officer2@example.gov.uk", "Oscar Officer", Role.OFFICER, False),
    ("panel@example.gov.uk", "Cllr Priya Panel", Role.PANEL, False),
    ("chair@example.gov.uk", "Cllr Charles Chair", Role.PANEL, False),
    ("manager@example.gov.uk", "Mina Manager", Role.MANAGER, False),
    ("admin@example.gov.uk", "Adam Admin", Role.ADMIN, False),
]
DEMO_POSTS = {"officer@example.gov.uk": "Senior Licensing Officer", "officer2@example.gov.uk": "Licensing Officer",
              "manager@example.gov.uk": "Licensing Manager"}
DEMO_PASSWORD = "demo-licensing-2026"  # noqa: S105 - printed demo login, refused in production

def ensure_demo_users():
    """Create the demo accounts that do not exist yet; return their logins."""
    for email, name, role, clearance in DEMO_USERS:
        if db.session.execute(db.select(User.id).filter_by(email=email)).first() is None:
            create_user(None, email, name, role, DEMO_PASSWORD, clearance=clearance, post=DEMO_POSTS.get(email))
    return [(email, role.value, DEMO_PASSWORD) for email, _n, role, _c in DEMO_USERS]


# Populations by name for `flask demo-data --scale NAME`: people (drivers), operators (organisations)
# and the share of drivers who also hold a vehicle licence.
SCALES = {
    "demo": {"holders": 1220},
    "london": {"people": 150_000, "operators": 3_000, "vehicle_share": 0.8},
}
TABLES = [  # parents first: the loader writes in this order
    "licence_holders", "vehicles", "licences", "licence_applications", "application_decisions", "compliance_checks",
    "convictions", "intelligence", "training_courses", "training_sessions", "training_bookings", "review_cases",
    "review_case_licences", "enforcement_actions", "hearings", "hearing_panel_members", "hearing_listings",
    "hearing_decisions", "hearing_decision_members", "complaints",
]
class _Pools:
    """Names and addresses drawn once from Faker (slow per call), then picked at random (fast)."""

    def __init__(self, fake, size):
        self.first = sorted({fake.first_name() for _ in range(min(size, 3000))})
        self.last = sorted({fake.last_name() for _ in range(min(size, 5000))})
        self.street = [fake.street_address() for _ in range(min(size, 20_000))]
        self.postcode = [fake.postcode() for _ in range(min(size, 20_000))]
        self.phone = [fake.phone_number() for _ in range(min(size, 5000))]
        self.company = [fake.last_name() for _ in range(min(size, 3000))]


class _Ids:
    """The next free id per table, so rows can refer to each other before they are written."""

    def __init__(self, connection):
        self._next = {t: next_ids(connection, t) for t in TABLES
                      if t not in ("review_case_licences", "hearing_panel_members", "hearing_decision_members")}

    def __call__(self, table):
        value = self._next[table]
        self._next[table] = value + 1
        return value


def build_demo_council(holders=1220, seed=2015, today=None, *, people=None, operators=None, vehicle_share=0.55,
                       progress=None):
    """Add a demo population to the current transaction (the caller commits). Returns counts.

    `holders` people and organisations in all (1 in 60 an operator), or `people` drivers and
    `operators` operators when given. Rows are generated in memory with their ids and written
    in bulk (COPY on PostgreSQL, executemany on SQLite); the same seed gives the same data.
    Each holder gets one audit row (`demo.holder_loaded`) and the load one `demo.load` row,
    all chained into the tamper-evident trail like an import's rows: the records under a holder
    are a system load, not an officer's changes.
    """
    today = today or dt.date.today()
    progress = progress or no_progress
    if people is None:
        operators = max(holders // 60, 1) if operators is None else operators
        people = holders - operators
    operators = operators if operators is not None else max(people // 50, 1)
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    pools = _Pools(fake, people + operators)
    connection = db.session.connection()
    staff = _staff()
    ids = _Ids(connection)
    loader = BulkLoader(connection, TABLES)
    gen = Generator(rng, pools, today, staff, ids, loader, vehicle_share)
    audit = []
    with progress("holders", operators + people) as bar:
        for i in range(operators):
            audit.append(gen.operator(i))
            bar.update(1)
        for i in range(people):
            audit.append(gen.person(i))
            if i % 1000 == 999:
                bar.update(1000)
        bar.update(people % 1000)
    gen.courses_and_sessions()
    with progress("training, cases, hearings, complaints", len(gen.people)) as bar:
        gen.training()
        gen.cases()
        gen.complaints()
        bar.update(len(gen.people))
    loader.on_write = None
    with progress("writing", loader.pending) as bar:
        loader.on_write = lambda _table, n: bar.update(n)
        written = loader.finish()
    counts = {
        "holders": written["licence_holders"], "licences": written["licences"], "vehicles": written["vehicles"],
        "checks": written["compliance_checks"], "convictions": written["convictions"],
        "intelligence": written["intelligence"], "applications": written["licence_applications"],
        "cases": written["review_cases"], "hearings": written["hearings"],
        "decisions": written["hearing_decisions"], "actions": written["enforcement_actions"],
        "complaints": written["complaints"], "bookings": written["training_bookings"],
    }
    _write_audit(connection, audit, counts, seed)
    db.session.expire_all()
    return counts


def _staff():
    users = {u.email: u.id for u in db.session.execute(db.select(User)).scalars()}
    officers = [users[e] for e, _n, role, _c in DEMO_USERS if role == Role.OFFICER and e in users]
    # The chair's account first: it chairs the sub-committee and its hearings.
    panel = sorted((users[e] for e, _n, role, _c in DEMO_USERS if role == Role.PANEL and e in users),
                   key=lambda user_id: user_id != users.get("chair@example.gov.uk"))
    if not officers or not panel:
        raise RuntimeError("the demo accounts must exist first (ensure_demo_users)")
    body = ensure_demo_bodies(panel)
    authority = {a.power: a.id for a in body.authorities}
    return {"officers": officers, "panel": panel, "body": body.id, "body_name": body.name,
            "authority": authority}


def _write_audit(connection, audit, counts, seed):
    now = utcnow()
    for row in audit:
        row["occurred_at"] = now
    audit.append({"occurred_at": now, "actor_id": None, "action": "demo.load", "entity_type": "system",
                  "entity_id": None, "holder_id": None, "before": None, "after": counts,
                  "reason": f"demo data, seed {seed}"})
    chain_rows(connection, audit)
    loader = BulkLoader(connection, ["audit_events"])
    for row in audit:
        loader.add("audit_events", row)
    loader.finish()

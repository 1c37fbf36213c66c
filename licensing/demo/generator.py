"""The demo population's rows: holders, licences, vehicles, checks, convictions, cases, hearings,
actions, complaints and training, drawn from weighted choices so that the demo behaves like a
live council."""

import bisect
import datetime as dt

from licensing.compliance.due import policy_path
from licensing.demo.offences import Offences
from licensing.extensions import db
from licensing.models import Course, IntelligenceSource
from licensing.policy.hearing_procedure import power_for
from licensing.policy.requirements import edition_on

MAKES = [("Toyota", "Prius"), ("Skoda", "Octavia"), ("Ford", "Galaxy"), ("LEVC", "TX"),
         ("Mercedes-Benz", "Vito"), ("Volkswagen", "Passat"), ("Kia", "Niro"), ("Peugeot", "E-7")]
COLOURS = ["Black", "Silver", "White", "Grey", "Blue", "Red"]
CASE_STATES = [("open", 10), ("investigating", 15), ("awaiting_decision", 8), ("listed_for_hearing", 3),
               ("decided", 7), ("closed", 50), ("withdrawn", 7)]
CASE_OUTCOMES = [("no_further_action", 50), ("warned", 30), ("suspended", 12), ("revoked", 8)]
HEARING_OUTCOME = {"no_further_action": "no_action", "warned": "warning", "suspended": "suspend",
                   "revoked": "revoke"}
ACTION_KIND = {"warned": "warning", "suspended": "suspension", "revoked": "revocation"}
CASE_SUMMARIES = {
    "police_information": "Police information about an arrest; review of fitness to hold a licence.",
    "complaint": "Complaint from a passenger about the driver's conduct on a journey.",
    "enforcement_check": "Vehicle found with defects at an unannounced check.",
    "self_disclosure": "Driver disclosed a new motoring conviction.",
    "application": "Renewal application declares an offence within the guidance period.",
    "other_authority": "NR3S match: licence refused by another authority.",
    "mystery_shop": "Mystery shop: refused a passenger with an assistance dog.",
}
COMPLAINT_TEXT = {
    "driver_conduct": "Driver was rude and used a mobile phone while driving.",
    "overcharging": "Fare charged was well above the meter.",
    "refusal_to_carry": "Driver refused a short journey from the station rank.",
    "disability_discrimination": "Driver refused to carry a passenger with an assistance dog.",
    "dangerous_driving": "Vehicle driven at speed through a residential street.",
    "vehicle_condition": "Seat belts in the rear of the vehicle did not work.",
    "safeguarding": "Concern reported about an unaccompanied child passenger.",
    "other": "Lost property not handed in.",
}
COURSES = [("DEMO-SG", "Safeguarding and child sexual exploitation awareness", "safeguarding",
            "safeguarding_training", 36),
           ("DEMO-DA", "Disability awareness", "disability_awareness", "disability_awareness", None)]


DRIVER_CHECKS = ("dbs_enhanced", "medical_group2", "dvla", "dbs_update_service", "safeguarding_training",
                 "right_to_work", "nr3s_search")
VEHICLE_CHECKS = ("insurance", "mot", "vehicle_test", "camera_certificate")
ONE_OFF = ("right_to_work", "nr3s_search")
# Renewal periods in days where the policy gives none (its rule reads the certificate's expiry).
DEFAULT_PERIOD = {"dbs_enhanced": 3 * 365, "insurance": 365, "vehicle_test": 182, "camera_certificate": 365}
MISSING_CHECK = 0.005  # a holder's check never recorded
# The share of renewals made late (1 to 14 weeks after they fell due), by how many days before
# today they fell due: the council has tightened up, so each quarter fewer holders are overdue
# and measure 3.A4 rises towards today's figure, as a council under improvement would show.
LATE_RENEWALS = ((91, 0.02), (182, 0.06), (273, 0.11), (365, 0.17), (None, 0.25))


def _late_share(days_ago):
    for within, share in LATE_RENEWALS:
        if within is None or days_ago < within:
            return share
    raise AssertionError("unreachable")


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class Generator(Offences):
    """Rows for one holder at a time, with their ids, added to the bulk loader."""

    def __init__(self, rng, pools, today, staff, ids, loader, vehicle_share):
        self.rng, self.pools, self.today, self.staff = rng, pools, today, staff
        self.ids, self.add, self.vehicle_share = ids, loader.add, vehicle_share
        self.operator_licences = []
        self.people = []  # (holder id, driver licence id, vehicle id or None, case plan or None)
        self.issued = {}  # holder id -> when their driver licence's term began (None: an applicant)
        self.rules = edition_on(today, policy_path()).rules

    def spread(self, days_back=365, days_ahead=365):
        return self.today + dt.timedelta(days=self.rng.randint(-days_back, days_ahead))

    def _audit(self, holder_id, ref, after):
        return {"actor_id": None, "action": "demo.holder_loaded", "entity_type": "licence_holders",
                "entity_id": holder_id, "holder_id": holder_id, "before": None, "after": after,
                "reason": "demo data"}

    def operator(self, i):
        rng, pools = self.rng, self.pools
        hid = self.ids("licence_holders")
        name = f"{rng.choice(pools.company)} {rng.choice(['Cars', 'Taxis', 'Private Hire', 'Travel'])} Ltd"
        self.add("licence_holders", {
            "id": hid, "holder_ref": f"ORG{i + 1:05d}", "kind": "organisation", "organisation_name": name,
            "address": rng.choice(pools.street), "postcode": rng.choice(pools.postcode),
            "email": f"bookings{i + 1}@{name.split()[0].lower()}-cars.example.co.uk", "phone": rng.choice(pools.phone),
        })
        expires = self.spread(0, 1800)
        lid = self.ids("licences")
        self.add("licences", {
            "id": lid, "licence_number": f"PHO{i + 1:05d}", "holder_id": hid, "licence_type": "private_hire_operator",
            "status": "active", "issued_on": expires - dt.timedelta(days=5 * 365), "expires_on": expires,
        })
        self._application(lid, expires - dt.timedelta(days=5 * 365))
        self.operator_licences.append(lid)
        return self._audit(hid, f"ORG{i + 1:05d}", {"licences": 1})

    def _application(self, licence_id, issued_on, kind="new", pending=False):
        rng = self.rng
        received = issued_on - dt.timedelta(days=rng.randint(20, 90))
        row = {"id": self.ids("licence_applications"), "licence_id": licence_id, "kind": kind,
               "received_on": received, "received_by_id": rng.choice(self.staff["officers"])}
        if pending:
            row["outcome"] = "pending"
        else:
            row.update(outcome="granted", decided_by_id=rng.choice(self.staff["officers"]),
                       capacity="delegated_officer", decided_on=issued_on - dt.timedelta(days=rng.randint(0, 10)),
                       reasons="All checks complete and satisfactory.")
            row["decided_on"] = max(row["decided_on"], received)
        self.add("licence_applications", row)
        if not pending:
            self.add("application_decisions", {
                "id": self.ids("application_decisions"), "application_id": row["id"], "outcome": row["outcome"],
                "capacity": row["capacity"], "decided_on": row["decided_on"], "decided_by_id": row["decided_by_id"],
                "reasons": row["reasons"]})

    def person(self, i):
        rng, pools, today = self.rng, self.pools, self.today
        hid = self.ids("licence_holders")
        first, last = rng.choice(pools.first), rng.choice(pools.last)
        born = today - dt.timedelta(days=rng.randint(21 * 365 + 6, 74 * 365))
        self.add("licence_holders", {
            "id": hid, "holder_ref": f"DRV{i + 1:06d}", "kind": "person", "first_name": first, "last_name": last,
            "date_of_birth": born,
            "address": rng.choice(pools.street), "postcode": rng.choice(pools.postcode),
            "email": f"{first}.{last}{i + 1}@example.com".lower().replace(" ", "").replace("'", ""),
            "phone": rng.choice(pools.phone),
            "dvla_licence_number": f"{last.upper().replace(' ', '')[:5]:9<5}{i + 1:07d}XY"[:16],
        })
        licence_type = rng.choices(["private_hire_driver", "hackney_carriage_driver", "dual_driver"],
                                   weights=[69, 9, 20])[0]
        expires = self.spread(120, 1000)
        issued = expires - dt.timedelta(days=3 * 365)
        status = "active" if expires >= today else "expired"
        if rng.random() < 0.02:
            status = "suspended"
        applicant = rng.random() < 0.01
        plan = self._case_plan(issued) if rng.random() < 0.2 and not applicant else None
        if plan and plan.get("licence_status"):
            status = plan["licence_status"] if status != "expired" else status
        lid = self.ids("licences")
        self.add("licences", {
            "id": lid, "licence_number": f"DL{i + 1:06d}", "holder_id": hid, "licence_type": licence_type,
            "status": "applied" if applicant else status, "issued_on": None if applicant else issued,
            "expires_on": None if applicant else expires, "badge_number": f"B{i + 1:06d}",
            "operator_licence_id": rng.choice(self.operator_licences) if licence_type != "hackney_carriage_driver"
            else None,
        })
        if applicant:
            self._application(lid, today - dt.timedelta(days=rng.randint(0, 10)), pending=True)
        else:
            self._application(lid, issued - dt.timedelta(days=3 * 365) if rng.random() < 0.6 else issued)
            if issued < today - dt.timedelta(days=30) and rng.random() < 0.6:
                self._application(lid, issued, kind="renewal")
        self.issued[hid] = None if applicant else issued
        checks = self._driver_checks(hid, lid, applicant, born)
        vid = None
        if rng.random() < self.vehicle_share:
            vid = self._vehicle(hid, licence_type, i)
        convictions = self._offences(hid, born) if rng.random() < 0.47 else 0
        if rng.random() < 0.01:
            self.add("intelligence", {
                "id": self.ids("intelligence"), "holder_id": hid, "source": rng.choice(list(IntelligenceSource)),
                "grading": "B2", "received_on": today - dt.timedelta(days=rng.randint(1, 400)),
                "summary": "Information shared at the multi-agency meeting; details held by the police liaison "
                           "officer.", "recorded_by_id": self.staff["officers"][0],
            })
        self.people.append((hid, lid, vid, plan))
        return self._audit(hid, f"DRV{i + 1:06d}", {"licences": 2 if vid else 1, "checks": checks,
                                                   "convictions": convictions})

    def _driver_checks(self, hid, lid, applicant, born):
        """Each check since about three years ago (an applicant's in the last weeks), renewed as
        the policy's rules say it falls due (`_renewals`)."""
        rng, today = self.rng, self.today
        written = 0
        for kind in DRIVER_CHECKS:
            if rng.random() < MISSING_CHECK:
                continue
            start = today - dt.timedelta(days=rng.randint(20, 90) if applicant else rng.randint(900, 1400))
            dates = [(start, None)] if kind in ONE_OFF else self._renewals(kind, start, born)
            for done, until in dates:
                self.add("compliance_checks", {
                    "id": self.ids("compliance_checks"), "holder_id": hid, "licence_id": lid, "kind": kind,
                    "completed_on": done, "expires_on": until,
                    "result": "no_match" if kind == "nr3s_search" else "pass",
                    "reference": f"{kind[:3].upper()}{rng.randint(100000, 999999)}",
                    "points": rng.choice([0, 0, 0, 3, 6]) if kind == "dvla" else None,
                    "barred_lists_checked": True if kind == "dbs_enhanced" else None,
                })
                written += 1
        return written

    def _next_due(self, kind, done, born):
        rule = self.rules.get(kind)
        due = rule.next_due(done, None, born) if rule else None
        return due or done + dt.timedelta(days=DEFAULT_PERIOD[kind])

    def _renewals(self, kind, start, born=None):
        """[(completed, falls due)] of one check from `start` to today: each renewal made up to
        five weeks before the last one fell due or, for a `_late_share` of them, weeks after."""
        rng, today = self.rng, self.today
        chain, done = [], start
        while True:
            due = self._next_due(kind, done, born)
            chain.append((done, due))
            if rng.random() < _late_share((today - due).days):
                done = due + dt.timedelta(days=rng.randint(7, 100))
            else:
                done = max(due - dt.timedelta(days=rng.randint(1, 35)), done + dt.timedelta(days=1))
            if done > today:
                return chain

    def _vehicle(self, hid, driver_type, i):
        rng = self.rng
        make, model = rng.choice(MAKES)
        camera = rng.random() < 0.8
        vid = self.ids("vehicles")
        letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
        suffix = "".join(letters[(i // 24 ** k) % 24] for k in range(3))
        self.add("vehicles", {
            "id": vid, "registration": f"{rng.choice(letters)}{rng.choice(letters)}{(i // 24 ** 3) % 100:02d}{suffix}",
            "make": make, "model": model, "colour": rng.choice(COLOURS), "seats": rng.choice([4, 4, 4, 6, 7]),
            "wheelchair_accessible": make in ("LEVC", "Peugeot") or rng.random() < 0.1,
            "plate_number": f"P{i + 1:06d}", "camera_fitted": camera, "proprietor_id": hid,
        })
        hackney = driver_type != "private_hire_driver" and make == "LEVC"
        expires = self.spread(60, 365)
        lid = self.ids("licences")
        self.add("licences", {
            "id": lid, "licence_number": f"VL{i + 1:06d}", "holder_id": hid, "vehicle_id": vid,
            "licence_type": "hackney_carriage_vehicle" if hackney else "private_hire_vehicle",
            "status": "active" if expires >= self.today else "expired",
            "issued_on": expires - dt.timedelta(days=365), "expires_on": expires,
            "operator_licence_id": None if hackney else rng.choice(self.operator_licences),
        })
        self._application(lid, expires - dt.timedelta(days=365), kind="renewal" if rng.random() < 0.7 else "new")
        start = expires - dt.timedelta(days=365 + rng.randint(0, 30))
        for kind in VEHICLE_CHECKS:
            if kind == "camera_certificate" and not camera:
                continue
            for done, until in self._renewals(kind, start):
                self.add("compliance_checks", {
                    "id": self.ids("compliance_checks"), "holder_id": hid, "licence_id": lid, "kind": kind,
                    "completed_on": done, "expires_on": until,
                    "result": "pass", "reference": f"{kind[:3].upper()}{rng.randint(1000, 9999)}",
                })
        return vid

    # Review cases are planned with the holder, so the licence's status agrees with the outcome.
    def _case_plan(self, issued):
        rng, today = self.rng, self.today
        state = _weighted(rng, CASE_STATES)
        finished = state in ("decided", "closed", "withdrawn")
        opened = today - dt.timedelta(days=rng.randint(120, 1000) if finished else rng.randint(1, 110))
        plan = {"state": state, "opened": opened, "origin": rng.choice(list(CASE_SUMMARIES)),
                "hearing": state == "listed_for_hearing" or (state in ("decided", "closed") and rng.random() < 0.3)}
        if state in ("decided", "closed"):
            plan["outcome"] = _weighted(rng, CASE_OUTCOMES)
            decided = min(opened + dt.timedelta(days=rng.randint(20, 100)), today - dt.timedelta(days=1))
            if plan["hearing"]:  # sub-committees sit on Tuesdays and Thursdays
                decided -= dt.timedelta(days=(decided.weekday() - 1) % 7 if decided.weekday() < 3
                                        else decided.weekday() - 3)
            plan["decided"] = max(decided, opened)
            effective = plan["decided"] + dt.timedelta(days=21)
            plan["effective"] = effective
            if plan["outcome"] == "revoked" and effective <= today:
                plan["licence_status"] = "revoked"
            if plan["outcome"] == "suspended":
                plan["suspension_to"] = effective + dt.timedelta(days=rng.choice([14, 28, 56, 90]))
                if effective <= today <= plan["suspension_to"]:
                    plan["licence_status"] = "suspended"
        return plan

    def courses_and_sessions(self):
        rng, today = self.rng, self.today
        existing = set(db.session.scalars(db.select(Course.code)))
        self.sessions = []
        for code, title, kind, satisfies, months in COURSES:
            if code in existing:
                course_id = db.session.scalar(db.select(Course.id).filter_by(code=code))
            else:
                course_id = self.ids("training_courses")
                self.add("training_courses", {"id": course_id, "code": code, "title": title, "kind": kind,
                                              "satisfies": satisfies, "validity_months": months})
            for _ in range(max(4, len(self.people) // 100)):
                sid = self.ids("training_sessions")
                held = today + dt.timedelta(days=rng.randint(-1000, 60))
                self.add("training_sessions", {"id": sid, "course_id": course_id, "held_on": held,
                                               "venue": "Council Offices, Committee Room 2", "capacity": 200,
                                               "trainer": "Licensing Training Team"})
                self.sessions.append((sid, held, months))

    def training(self):
        rng, today = self.rng, self.today
        # Disability awareness is due within 90 days of the grant: most drivers went to the
        # session before then; a few never did.
        awareness = sorted((held, sid) for sid, held, months in self.sessions if months is None and held < today)
        for hid, _lid, _vid, _plan in self.people:
            issued, attended = self.issued.get(hid), None
            if awareness and issued is not None and rng.random() >= MISSING_CHECK * 6:
                before = bisect.bisect_right(awareness, (min(today, issued + dt.timedelta(days=80)), 1 << 62))
                held, attended = awareness[max(before - 1, 0)]
                booking = self.ids("training_bookings")
                self.add("training_bookings", {
                    "id": booking, "session_id": attended, "holder_id": hid, "status": "completed",
                    "booked_at": dt.datetime.combine(held - dt.timedelta(days=30), dt.time(10)),
                    "completed_on": held, "certificate_reference": f"CERT{booking:07d}"})
            if rng.random() >= 0.3:
                continue
            sid, held, months = rng.choice(self.sessions)
            if sid == attended:
                continue
            row = {"id": self.ids("training_bookings"), "session_id": sid, "holder_id": hid,
                   "booked_at": dt.datetime.combine(held - dt.timedelta(days=30), dt.time(10))}
            if held > today:
                row["status"] = "booked"
            elif rng.random() < 0.9:
                row.update(status="completed", completed_on=held, certificate_reference=f"CERT{row['id']:07d}",
                           expires_on=held + dt.timedelta(days=months * 30.44) if months else None)
            else:
                row["status"] = "did_not_attend"
            self.add("training_bookings", row)

    def cases(self):
        rng, today, staff = self.rng, self.today, self.staff
        to_list = []  # (case id, listing plan) waiting for a hearing
        self.case_of_holder = {}
        for hid, lid, _vid, plan in self.people:
            if plan is None:
                continue
            cid = self.ids("review_cases")
            self.case_of_holder[hid] = (cid, lid, plan)
            state, opened = plan["state"], plan["opened"]
            decided = plan.get("decided")
            row = {
                "id": cid, "reference": f"RC-{cid:06d}", "origin": plan["origin"], "holder_id": hid,
                "summary": CASE_SUMMARIES[plan["origin"]],
                "assigned_officer_id": None if state == "open" and rng.random() < 0.3
                else rng.choice(staff["officers"]),
                "priority": rng.choices(["low", "normal", "high", "urgent"], weights=[15, 60, 20, 5])[0],
                "due_on": opened + dt.timedelta(days=rng.choice([28, 56, 84])), "state": state,
                "outcome": plan.get("outcome"), "opened_by_id": rng.choice(staff["officers"]),
                "opened_at": dt.datetime.combine(opened, dt.time(9, rng.randint(0, 59))),
            }
            if decided:
                row["decided_at"] = dt.datetime.combine(decided, dt.time(16))
            if state in ("closed", "withdrawn"):
                row["closed_at"] = dt.datetime.combine(min((decided or opened) + dt.timedelta(days=30), today),
                                                       dt.time(12))
            self.add("review_cases", row)
            self.add("review_case_licences", {"case_id": cid, "licence_id": lid})
            action_id = None
            if plan.get("outcome") in ACTION_KIND:
                action_id = self._action(cid, hid, lid, plan)
            if plan["hearing"]:
                to_list.append((cid, plan, action_id))
        self._hearings(to_list)

    def _action(self, cid, hid, lid, plan):
        aid = self.ids("enforcement_actions")
        effective = plan["effective"]
        row = {"id": aid, "kind": ACTION_KIND[plan["outcome"]], "origin": "hearing" if plan["hearing"] else "officer",
               "licence_id": lid, "holder_id": hid, "case_id": cid, "decision_date": plan["decided"],
               "notice_date": plan["decided"] + dt.timedelta(days=1), "effective_date": effective,
               # Past notices were handed over on their date, and recorded so.
               "service_method": "hand", "served_on": plan["decided"] + dt.timedelta(days=1),
               "service_recorded_on": plan["decided"] + dt.timedelta(days=1),
               "grounds": "Not a fit and proper person to hold a licence, on the evidence in the case file."
               if plan["outcome"] != "warned" else "Conduct fell below the standard in the council's policy.",
               "authorised_by_id": self.staff["panel"][0] if plan["hearing"] else self.staff["officers"][0],
               "recorded_by_id": self.staff["officers"][0],
               "status": "effective" if effective <= self.today else "pending"}
        if plan["outcome"] == "suspended":
            row.update(suspension_from=effective, suspension_to=plan["suspension_to"])
        self.add("enforcement_actions", row)
        return aid

    def _hearings(self, to_list):
        rng, today = self.rng, self.today
        by_day = {}
        for entry in to_list:  # held hearings on the day of their decisions; listed cases in the weeks ahead
            day = entry[1].get("decided") or today + dt.timedelta(days=7 * rng.randint(1, 8))
            by_day.setdefault(day, []).append(entry)
        for day in sorted(by_day):
            entries = by_day[day]
            pos = slot = 0
            while pos < len(entries):
                batch = entries[pos:pos + rng.choice([1, 2, 2, 3])]
                pos += len(batch)
                self._hearing(day, slot, batch, past=day < today)
                slot += 1

    def _hearing(self, day, slot, batch, past):
        rng, staff = self.rng, self.staff
        chair, *members = staff["panel"]
        hearing_id = self.ids("hearings")
        self.add("hearings", {
            "id": hearing_id, "starts_at": dt.datetime.combine(day, dt.time(9 + slot % 8, 30 * (slot // 8 % 2))),
            "venue": "Town Hall, Council Chamber", "deciding_body": staff["body_name"],
            "deciding_body_id": staff["body"], "legal_adviser": "Lena Lawyer, Solicitor to the council",
            "chair_id": chair, "status": "held" if past else "scheduled", "created_by_id": staff["officers"][0],
            "created_at": dt.datetime.combine(day - dt.timedelta(days=21), dt.time(9)),
        })
        for user_id in [chair, *members]:
            self.add("hearing_panel_members", {"hearing_id": hearing_id, "user_id": user_id})
        for position, (cid, plan, action_id) in enumerate(batch, start=1):
            listing_id = self.ids("hearing_listings")
            outcome = HEARING_OUTCOME.get(plan.get("outcome"))
            proposed = outcome if rng.random() < 0.8 else rng.choice(list(HEARING_OUTCOME.values()))
            row = {"id": listing_id, "hearing_id": hearing_id, "case_id": cid, "position": position,
                   "listed_by_id": staff["officers"][0],
                   "listed_at": dt.datetime.combine(day - dt.timedelta(days=21), dt.time(9)),
                   "proposed_outcome": proposed if past else None,
                   # A proposal is made by a panel member sitting (the agreement report's subject).
                   "proposed_by_id": rng.choice(members or [chair]) if past else None, "removed": False}
            if past:
                row["attendance"] = rng.choices(["attended", "represented", "did_not_attend"], weights=[70, 10, 20])[0]
            self.add("hearing_listings", row)
            if past:
                decision_id = self.ids("hearing_decisions")
                self.add("hearing_decisions", {
                    "id": decision_id, "listing_id": listing_id, "outcome": outcome,
                    "decision_mode": "majority", "legal_adviser": "Lena Lawyer, Solicitor to the council",
                    "exclusion_paragraph": 1, "authority_id": staff["authority"][power_for(outcome)],
                    "reasons": "The sub-committee considered the report, the representations and the council's "
                               "policy, and gave the reasons read out at the hearing.",
                    "agrees_with_proposal": proposed == outcome, "immediate": False,
                    "suspension_to": plan.get("suspension_to"), "safeguarding_or_road_safety": False,
                    "decision_date": day, "notice_date": day + dt.timedelta(days=1),
                    "effective_date": plan["effective"] if outcome != "no_action" else None,
                    "decided_by_id": chair, "recorded_by_id": staff["officers"][0], "action_id": action_id,
                })
                for user_id in [chair, *members]:
                    self.add("hearing_decision_members", {"decision_id": decision_id, "user_id": user_id,
                                                          "vote": "for"})

    def complaints(self):
        rng, today = self.rng, self.today
        for hid, lid, vid, plan in self.people:
            if rng.random() >= 0.1 and not (plan and plan["origin"] == "complaint"):
                continue
            case = self.case_of_holder.get(hid) if plan and plan["origin"] == "complaint" else None
            received = (plan["opened"] - dt.timedelta(days=3)) if case else today - dt.timedelta(
                days=rng.randint(0, 730))
            category = rng.choice(list(COMPLAINT_TEXT))
            closed = received < today - dt.timedelta(days=30)
            self.add("complaints", {
                "id": self.ids("complaints"), "received_on": received,
                "channel": rng.choice(["email", "phone", "web_form", "letter"]), "category": category,
                "holder_id": hid, "licence_id": lid, "vehicle_id": vid, "details": COMPLAINT_TEXT[category],
                "complainant_name": "Member of the public", "response_due_on": received + dt.timedelta(days=14),
                "status": "closed" if closed else rng.choice(["received", "investigating"]),
                "outcome": ("referred_to_case" if case else rng.choice(
                    ["upheld", "partly_upheld", "not_upheld", "no_further_action"])) if closed else None,
                "case_id": case[0] if case else None, "recorded_by_id": self.staff["officers"][-1],
            })

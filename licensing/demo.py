"""Demo data: a realistic council register, deterministic for a given seed.

By default 1,220 licence holders as in the source council's 2015 audit, about 47% of them
with a conviction or motoring offence (mostly motoring), with vehicles, operators and
compliance checks whose expiry dates spread over the past and the next year.
"""

import datetime as dt
import random

from faker import Faker

from licensing.audit import record
from licensing.auth.operations import create_user
from licensing.extensions import db
from licensing.models import (
    CheckKind,
    CheckResult,
    ComplianceCheck,
    Conviction,
    Disposal,
    HolderKind,
    Intelligence,
    IntelligenceSource,
    Licence,
    LicenceHolder,
    LicenceStatus,
    LicenceType,
    OffenceCategory,
    OffenceSource,
    Role,
    User,
    Vehicle,
)

DEMO_USERS = [
    ("officer@example.gov.uk", "Olivia Officer", Role.OFFICER, True),
    ("officer2@example.gov.uk", "Oscar Officer", Role.OFFICER, False),
    ("panel@example.gov.uk", "Cllr Priya Panel", Role.PANEL, False),
    ("chair@example.gov.uk", "Cllr Charles Chair", Role.PANEL, False),
    ("manager@example.gov.uk", "Mina Manager", Role.MANAGER, False),
    ("admin@example.gov.uk", "Adam Admin", Role.ADMIN, False),
]
DEMO_PASSWORD = "demo-licensing-2026"  # noqa: S105 - printed demo login, refused in production

MOTORING = [
    (OffenceCategory.MINOR_TRAFFIC, "Speeding (SP30), 3 points"),
    (OffenceCategory.MINOR_TRAFFIC, "Failing to comply with a traffic signal (TS10)"),
    (OffenceCategory.MAJOR_TRAFFIC, "Careless driving (CD10)"),
    (OffenceCategory.HANDHELD_DEVICE, "Using a hand-held mobile phone while driving (CU80)"),
    (OffenceCategory.DRINK_DRUG_DRIVING, "Driving with excess alcohol (DR10)"),
    (OffenceCategory.VEHICLE_USE, "Using a vehicle without insurance (IN10)"),
]
CRIMINAL = [
    (OffenceCategory.DISHONESTY, "Theft from a shop"),
    (OffenceCategory.VIOLENCE, "Common assault"),
    (OffenceCategory.DRUGS_POSSESSION, "Possession of a class B drug"),
    (OffenceCategory.HACKNEY_PHV, "Plying for hire without a licence"),
    (OffenceCategory.WEAPONS, "Possession of an offensive weapon"),
    (OffenceCategory.SEXUAL, "Sexual assault"),
]
MAKES = [("Toyota", "Prius"), ("Skoda", "Octavia"), ("Ford", "Galaxy"), ("LEVC", "TX"),
         ("Mercedes-Benz", "Vito"), ("Volkswagen", "Passat"), ("Kia", "Niro"), ("Peugeot", "E-7")]
COLOURS = ["Black", "Silver", "White", "Grey", "Blue", "Red"]


def ensure_demo_users():
    """Create the demo accounts that do not exist yet; return their logins."""
    for email, name, role, clearance in DEMO_USERS:
        if db.session.execute(db.select(User.id).filter_by(email=email)).first() is None:
            create_user(None, email, name, role, DEMO_PASSWORD, clearance=clearance)
    return [(email, role.value, DEMO_PASSWORD) for email, _n, role, _c in DEMO_USERS]


def build_demo_council(holders=1220, seed=2015, today=None):
    """Add a demo population to the session (caller commits). Returns counts."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    officer = db.session.execute(db.select(User).filter_by(email=DEMO_USERS[0][0])).scalar_one()
    counts = {"holders": 0, "licences": 0, "vehicles": 0, "checks": 0, "convictions": 0, "intelligence": 0}

    def spread(days_back=365, days_ahead=365):
        return today + dt.timedelta(days=rng.randint(-days_back, days_ahead))

    operators = []
    n_operators = max(holders // 60, 1)
    for i in range(n_operators):
        org = LicenceHolder(
            holder_ref=f"ORG{i + 1:05d}", kind=HolderKind.ORGANISATION,
            organisation_name=f"{fake.last_name()} {rng.choice(['Cars', 'Taxis', 'Private Hire', 'Travel'])} Ltd",
            address=fake.street_address(), postcode=fake.postcode(), email=fake.company_email(),
            phone=fake.phone_number(),
        )
        expires = spread(0, 1800)
        lic = Licence(
            licence_number=f"PHO{i + 1:05d}", holder=org, licence_type=LicenceType.PRIVATE_HIRE_OPERATOR,
            status=LicenceStatus.ACTIVE, issued_on=expires - dt.timedelta(days=5 * 365), expires_on=expires,
        )
        db.session.add_all([org, lic])
        operators.append(lic)
        counts["holders"] += 1
        counts["licences"] += 1

    people = holders - n_operators
    for i in range(people):
        person = LicenceHolder(
            holder_ref=f"DRV{i + 1:06d}", kind=HolderKind.PERSON,
            first_name=fake.first_name(), last_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=21, maximum_age=74),
            address=fake.street_address(), postcode=fake.postcode(), email=fake.free_email(),
            phone=fake.phone_number(), dvla_licence_number=f"{fake.bothify('?????')}{i:06d}".upper()[:16],
        )
        db.session.add(person)
        counts["holders"] += 1
        licence_type = rng.choices(
            [LicenceType.PRIVATE_HIRE_DRIVER, LicenceType.HACKNEY_CARRIAGE_DRIVER, LicenceType.DUAL_DRIVER],
            weights=[69, 9, 20],
        )[0]
        expires = spread(120, 1000)
        status = LicenceStatus.ACTIVE if expires >= today else LicenceStatus.EXPIRED
        if rng.random() < 0.02:
            status = LicenceStatus.SUSPENDED
        driver = Licence(
            licence_number=f"DL{i + 1:06d}", holder=person, licence_type=licence_type, status=status,
            issued_on=expires - dt.timedelta(days=3 * 365), expires_on=expires, badge_number=f"B{i + 1:06d}",
            operator_licence=rng.choice(operators) if licence_type != LicenceType.HACKNEY_CARRIAGE_DRIVER else None,
        )
        db.session.add(driver)
        counts["licences"] += 1
        _add_driver_checks(person, driver, rng, spread, today, counts)
        if rng.random() < 0.55:
            _add_vehicle(person, driver, i, rng, fake, spread, today, operators, counts)
        if rng.random() < 0.47:
            _add_offences(person, rng, today, counts)
        if rng.random() < 0.01:
            db.session.add(Intelligence(
                holder=person, source=rng.choice(list(IntelligenceSource)), grading="B2",
                received_on=today - dt.timedelta(days=rng.randint(1, 400)),
                summary="Information shared at the multi-agency meeting; details held by the police liaison officer.",
                recorded_by_id=officer.id,
            ))
            counts["intelligence"] += 1
        if i % 500 == 499:
            db.session.flush()
    db.session.flush()
    record(None, "demo.load", entity_type="system", after=counts, reason=f"demo data, seed {seed}")
    return counts


def _add_driver_checks(person, licence, rng, spread, today, counts):
    for kind, years in ((CheckKind.DBS_ENHANCED, 3), (CheckKind.MEDICAL_GROUP2, 5), (CheckKind.DVLA, 1),
                        (CheckKind.DBS_UPDATE_SERVICE, 0.5), (CheckKind.SAFEGUARDING_TRAINING, 3),
                        (CheckKind.RIGHT_TO_WORK, None), (CheckKind.NR3S_SEARCH, None)):
        if rng.random() < 0.03:
            continue  # some holders are missing a check
        expires = spread() if years else None
        completed = (expires - dt.timedelta(days=int(years * 365))) if expires else spread(900, -30)
        db.session.add(ComplianceCheck(
            holder=person, licence=licence, kind=kind, completed_on=min(completed, today),
            expires_on=expires if expires is None or expires >= min(completed, today) else None,
            result=CheckResult.NO_MATCH if kind == CheckKind.NR3S_SEARCH else CheckResult.PASS,
            reference=f"{kind.value[:3].upper()}{rng.randint(100000, 999999)}",
            points=rng.choice([0, 0, 0, 3, 6]) if kind == CheckKind.DVLA else None,
            barred_lists_checked=True if kind == CheckKind.DBS_ENHANCED else None,
        ))
        counts["checks"] += 1


def _add_vehicle(person, driver, i, rng, fake, spread, today, operators, counts):
    make, model = rng.choice(MAKES)
    hackney = driver.licence_type != LicenceType.PRIVATE_HIRE_DRIVER and make == "LEVC"
    vehicle = Vehicle(
        registration=fake.license_plate().replace(" ", "") + str(i % 10), make=make, model=model,
        colour=rng.choice(COLOURS), seats=rng.choice([4, 4, 4, 6, 7]),
        wheelchair_accessible=make in ("LEVC", "Peugeot") or rng.random() < 0.1,
        plate_number=f"P{i + 1:05d}", camera_fitted=rng.random() < 0.8, proprietor=person,
    )
    expires = spread(60, 365)
    licence = Licence(
        licence_number=f"VL{i + 1:06d}", holder=person, vehicle=vehicle,
        licence_type=LicenceType.HACKNEY_CARRIAGE_VEHICLE if hackney else LicenceType.PRIVATE_HIRE_VEHICLE,
        status=LicenceStatus.ACTIVE if expires >= today else LicenceStatus.EXPIRED,
        issued_on=expires - dt.timedelta(days=365), expires_on=expires,
        operator_licence=None if hackney else rng.choice(operators),
    )
    db.session.add_all([vehicle, licence])
    counts["vehicles"] += 1
    counts["licences"] += 1
    for kind, days in ((CheckKind.INSURANCE, 365), (CheckKind.MOT, 365), (CheckKind.VEHICLE_TEST, 182),
                       (CheckKind.CAMERA_CERTIFICATE, 365)):
        if kind == CheckKind.CAMERA_CERTIFICATE and not vehicle.camera_fitted:
            continue
        expires = spread(90, days)
        db.session.add(ComplianceCheck(
            holder=person, licence=licence, kind=kind, completed_on=min(expires - dt.timedelta(days=days), today),
            expires_on=expires, result=CheckResult.PASS, reference=f"{kind.value[:3].upper()}{rng.randint(1000, 9999)}",
        ))
        counts["checks"] += 1


def _add_offences(person, rng, today, counts):
    for _ in range(rng.choice([1, 1, 1, 2])):
        category, text = rng.choice(MOTORING) if rng.random() < 0.8 else rng.choice(CRIMINAL)
        convicted = today - dt.timedelta(days=rng.randint(60, 15 * 365))
        db.session.add(Conviction(
            holder=person, category=category, offence=text,
            disposal=Disposal.CAUTION if rng.random() < 0.1 else Disposal.CONVICTION,
            offence_date=convicted - dt.timedelta(days=rng.randint(20, 200)), conviction_date=convicted,
            sentence_end_date=convicted + dt.timedelta(days=rng.choice([0, 180, 365, 730])),
            source=OffenceSource.DVLA if category.is_motoring else rng.choice(
                [OffenceSource.DBS, OffenceSource.SELF_DECLARED, OffenceSource.POLICE]),
        ))
        counts["convictions"] += 1

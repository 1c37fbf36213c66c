"""The demo population's convictions and fixed penalties: mostly motoring, some criminal, a few
youth cautions, dated as an adult's record over the last 15 years."""

import datetime as dt

from licensing.models import Disposal, OffenceCategory, OffenceSource, SentenceType

# category, offence, DVLA code, points range (None: a ban instead of points), chance of a fixed penalty
MOTORING = [
    (OffenceCategory.MINOR_TRAFFIC, "Speeding", "SP30", (3, 6), 0.6),
    (OffenceCategory.MINOR_TRAFFIC, "Failing to comply with a traffic signal", "TS10", (3, 3), 0.5),
    (OffenceCategory.MAJOR_TRAFFIC, "Careless driving", "CD10", (3, 9), 0.0),
    (OffenceCategory.HANDHELD_DEVICE, "Using a hand-held mobile phone while driving", "CU80", (6, 6), 0.3),
    (OffenceCategory.DRINK_DRUG_DRIVING, "Driving with excess alcohol", "DR10", None, 0.0),
    (OffenceCategory.MAJOR_TRAFFIC, "Using a vehicle without insurance", "IN10", (6, 8), 0.2),
]
CRIMINAL = [
    (OffenceCategory.DISHONESTY, "Theft from a shop"),
    (OffenceCategory.VIOLENCE, "Common assault"),
    (OffenceCategory.DRUGS_POSSESSION, "Possession of a class B drug"),
    (OffenceCategory.HACKNEY_PHV, "Plying for hire without a licence"),
    (OffenceCategory.WEAPONS, "Possession of an offensive weapon"),
    (OffenceCategory.SEXUAL, "Sexual assault"),
]


class Offences:
    """The Generator's offences (it provides rng, today, ids and add)."""

    def _offences(self, hid, born):
        """Offences as an adult in the last 15 years; now and then a caution given as a youth."""
        rng = self.rng
        n = rng.choice([1, 1, 1, 2])
        adult = (born.replace(year=born.year + 18) if (born.month, born.day) != (2, 29)
                 else born.replace(year=born.year + 18, day=28)) + dt.timedelta(days=220)
        for _ in range(n):
            convicted = self.today - dt.timedelta(days=rng.randint(60, 15 * 365))
            convicted = max(convicted, min(adult, self.today - dt.timedelta(days=60)))
            row = {"id": self.ids("convictions"), "holder_id": hid, "conviction_date": convicted,
                   "offence_date": convicted - dt.timedelta(days=rng.randint(20, 200)),
                   "sentence": None, "sentence_type": None, "sentence_months": None, "sentence_end_date": None,
                   "disqualification_start": None, "disqualification_end": None, "penalty_points": None,
                   "endorsement_code": None, "youth": False, "listed_offence": False, "protected_override": None,
                   "protected_reason": None}
            if rng.random() < 0.8:
                row.update(self._motoring(convicted))
            else:
                row.update(self._criminal(convicted, born))
            self.add("convictions", row)
        return n

    def _motoring(self, convicted):
        """Points on most motoring offences; a drink-driver is banned (12 to 36 months) and fined."""
        rng = self.rng
        category, text, code, points, fixed_penalty = rng.choice(MOTORING)
        row = {"category": category, "offence": f"{text} ({code})", "endorsement_code": code,
               "source": OffenceSource.DVLA}
        if rng.random() < fixed_penalty:
            return {**row, "disposal": Disposal.FIXED_PENALTY, "penalty_points": points[0]}
        row.update(disposal=Disposal.CONVICTION, sentence_type=SentenceType.FINE, sentence="Fine")
        if points is None or (category == OffenceCategory.MAJOR_TRAFFIC and rng.random() < 0.15):
            months = rng.choice([12, 12, 18, 24, 36]) if points is None else rng.choice([6, 12])
            end = convicted + dt.timedelta(days=round(months * 30.44))
            row.update(disqualification_start=convicted, disqualification_end=end)
        else:
            row["penalty_points"] = rng.randint(*points)
        return row

    def _criminal(self, convicted, born):
        rng = self.rng
        category, text = rng.choice(CRIMINAL)
        row = {"category": category, "offence": text,
               "source": rng.choice([OffenceSource.DBS, OffenceSource.SELF_DECLARED, OffenceSource.POLICE])}
        if rng.random() < 0.12:
            if rng.random() < 0.3:  # a youth caution at 16
                offended = born + dt.timedelta(days=16 * 365 + 100)
                return {**row, "disposal": Disposal.YOUTH_CAUTION, "youth": True, "offence_date": offended,
                        "conviction_date": offended + dt.timedelta(days=30)}
            return {**row, "disposal": Disposal.CAUTION}
        kind = rng.choice([SentenceType.FINE, SentenceType.COMMUNITY_ORDER, SentenceType.SUSPENDED,
                           SentenceType.CUSTODIAL, SentenceType.DISCHARGE])
        months = None if kind == SentenceType.FINE else rng.choice([6, 12, 18, 24])
        end = convicted + dt.timedelta(days=round(months * 30.44)) if months else None
        return {**row, "disposal": Disposal.CONVICTION, "sentence_type": kind, "sentence_months": months,
                "sentence_end_date": end, "sentence": kind.label}

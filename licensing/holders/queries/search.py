"""Register search: one box, keyset-paginated, served by the indexes of migration 0003.

The term is matched against each kind of key separately (each arm uses its own index) and
the matching holder ids are combined with UNION, which PostgreSQL plans far better than one
WHERE clause of ORs across several tables.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from licensing.extensions import db
from licensing.models import Licence, LicenceHolder, Vehicle, normalise_registration
from licensing.models.search_indexes import EMPTY, fold_text, holder_search_name, holder_sort_name

COUNT_CAP = 1000  # counting every match of a broad search is the slow part; stop here

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_WORDY_DATE = re.compile(r"^(\d{1,2})\s+([a-z]+)\s+(\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}


def parse_date_term(term):
    """A date typed the ways people type them (3/3/1970, 1970-03-03, 3 March 1970), or None."""
    text = term.strip().lower()
    try:
        if match := _NUMERIC_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _WORDY_DATE.match(text):
            month = _MONTHS.get(match.group(2))
            return dt.date(int(match.group(3)), month, int(match.group(1))) if month else None
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def name_pattern(term):
    """'Smith, John' reads as 'john smith', accents and case folded ('Żółć' as 'zolc'); LIKE
    wildcards typed by the user match literally."""
    text = " ".join(fold_text(term).split())
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first.strip()} {last.strip()}".strip()
    text = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{text}%"


def _term(term):
    """What the statement for `term` looks like (its shape) and the values bound into it. Each
    shape's statement is built once (building this union costs more than running it)."""
    term = (term or "").strip()
    if not term:
        return ("all",), {}
    date = parse_date_term(term)
    if date is not None:
        return ("date",), {"date_of_birth": date}
    lowered = term.lower()
    values = {"pattern": name_pattern(term), "lowered": lowered, "compact": lowered.replace(" ", "")}
    registration = normalise_registration(term)
    if registration:
        values["registration"] = registration
    return ("name", len(term) >= 3, bool(registration)), values


def _identifier_arms(with_registration):
    """SELECTs of holder ids whose references, licence, badge, plate, registration or DVLA
    number equal the term (case and, for registrations, spacing ignored)."""
    lowered, compact = sa.bindparam("lowered", type_=sa.String), sa.bindparam("compact", type_=sa.String)
    arms = [
        sa.select(LicenceHolder.id).where(sa.func.lower(LicenceHolder.holder_ref) == lowered),
        sa.select(LicenceHolder.id).where(sa.func.lower(LicenceHolder.dvla_licence_number) == compact),
        sa.select(Licence.holder_id).where(sa.func.lower(Licence.licence_number) == lowered),
        sa.select(Licence.holder_id).where(sa.func.lower(Licence.badge_number) == lowered),
        sa.select(Vehicle.proprietor_id).where(
            sa.func.lower(Vehicle.plate_number) == lowered, Vehicle.proprietor_id.is_not(None)),
        sa.select(Licence.holder_id).where(Licence.vehicle_id.in_(
            sa.select(Vehicle.id).where(sa.func.lower(Vehicle.plate_number) == lowered))),
    ]
    if with_registration:
        registration = sa.bindparam("registration", type_=sa.String)
        arms.append(sa.select(Vehicle.proprietor_id).where(
            Vehicle.registration == registration, Vehicle.proprietor_id.is_not(None)))
        arms.append(sa.select(Licence.holder_id).where(Licence.vehicle_id.in_(
            sa.select(Vehicle.id).where(Vehicle.registration == registration))))
    return arms


def candidate_arms(shape):
    """SELECTs of (id, sort_name) whose union is the holders matching a term of this shape (all
    holders for no term). Names and identifiers are separate arms, each limited to a page before
    the union, so that each uses its own index."""
    sort_name = holder_sort_name().label("sort_name")
    if shape[0] == "all":
        return [sa.select(LicenceHolder.id, sort_name)]
    if shape[0] == "date":
        return [sa.select(LicenceHolder.id, sort_name)
                .where(LicenceHolder.date_of_birth == sa.bindparam("date_of_birth", type_=sa.Date))]
    _name, long_term, with_registration = shape
    by_name = sa.select(LicenceHolder.id, sort_name).where(
        holder_search_name().like(sa.bindparam("pattern", type_=sa.String), escape="\\"))
    if long_term:
        # Matches come from the trigram index, then a top-N sort. Walking the name-order index
        # instead (what the planner picks for common names) reads every holder sorted before
        # them: "Smith" is 100,000 rows in. Very short terms match almost everyone: walk it.
        by_name = by_name.execution_options(sort_by_index=False)
    by_identifier = sa.select(LicenceHolder.id, sort_name).where(
        LicenceHolder.id.in_(sa.union(*_identifier_arms(with_registration))))
    return [by_name, by_identifier]


@dataclass
class SearchPage:
    holders: list
    count: int  # capped at COUNT_CAP + 1
    next_after: int | None
    previous_before: int | None

    @property
    def count_is_capped(self):
        return self.count > COUNT_CAP


def _narrow(arm, by_type, by_status, anchored=False, descending=False, limit=None, ordered=True):
    if by_type or by_status:
        conditions = [Licence.holder_id == LicenceHolder.id]
        if by_type:
            conditions.append(Licence.licence_type == sa.bindparam("licence_type"))
        if by_status:
            conditions.append(Licence.status == sa.bindparam("status"))
        arm = arm.where(sa.exists().where(*conditions))
    key = sa.tuple_(holder_sort_name(), LicenceHolder.id)
    if anchored:
        bound = sa.tuple_(sa.bindparam("anchor_name", type_=sa.String), sa.bindparam("anchor_id", type_=sa.Integer))
        arm = arm.where(key < bound if descending else key > bound)
    if ordered:
        sort_name = holder_sort_name()
        if arm.get_execution_options().get("sort_by_index") is False:
            sort_name = sort_name.op("||")(EMPTY)  # the same order, but not the indexed expression
        arm = arm.order_by(*((sort_name.desc(), LicenceHolder.id.desc()) if descending
                             else (sort_name, LicenceHolder.id)))
    return arm.limit(limit) if limit else arm


def _union(arms):
    """UNION of arms that may carry their own ORDER BY / LIMIT (wrapped, as SQLite requires)."""
    if len(arms) == 1:
        return arms[0].subquery("matches")
    wrapped = [sa.select(*arm.subquery().c) for arm in arms]
    return sa.union(*wrapped).subquery("matches")


@functools.lru_cache(maxsize=128)
def _page_select(shape, by_type, by_status, anchored, descending, per_page):
    arms = [_narrow(arm, by_type, by_status, anchored, descending, per_page + 1) for arm in candidate_arms(shape)]
    if len(arms) == 1:
        return arms[0].with_only_columns(LicenceHolder.id)
    matches = _union(arms)
    order = (matches.c.sort_name.desc(), matches.c.id.desc()) if descending else (
        matches.c.sort_name, matches.c.id)
    return sa.select(matches.c.id).order_by(*order).limit(per_page + 1)


@functools.lru_cache(maxsize=128)
def _filtered_first_page_select(shape, by_type, by_status, per_page):
    arms = [_narrow(arm, by_type, by_status, ordered=False) for arm in candidate_arms(shape)]
    matches = (arms[0] if len(arms) == 1 else sa.union(*arms)).cte("matches")
    capped = sa.select(sa.func.count()).select_from(
        sa.select(matches.c.id).limit(COUNT_CAP + 1).subquery()).scalar_subquery()
    return (sa.select(matches.c.id, capped.label("capped_count"))
            .order_by(matches.c.sort_name, matches.c.id).limit(per_page + 1))


@functools.lru_cache(maxsize=128)
def _count_select(shape, by_type, by_status):
    arms = [_narrow(arm, by_type, by_status, limit=COUNT_CAP + 1, ordered=False) for arm in candidate_arms(shape)]
    return sa.select(sa.func.count()).select_from(_union(arms))


def _values(term_values, licence_type, status, anchor_key=None):
    values = dict(term_values)
    if licence_type:
        values["licence_type"] = licence_type
    if status:
        values["status"] = status
    if anchor_key is not None:
        values["anchor_name"], values["anchor_id"] = anchor_key
    return values


def page_statement(term="", licence_type=None, status=None, per_page=25, anchor_key=None, descending=False):
    """SELECT id of one page (plus one row, to tell whether more follow) in name order, with
    its values bound (for reading and timing it; the search runs the shared statement)."""
    shape, values = _term(term)
    statement = _page_select(shape, bool(licence_type), bool(status), anchor_key is not None, descending, per_page)
    return statement.params(_values(values, licence_type, status, anchor_key))


def filtered_first_page_statement(term, licence_type, status, per_page=25):
    """SELECT (id, capped count) of the first page of a filtered search, in one statement.

    With a licence type or status filter every name candidate has to be checked against the
    licences anyway; the matches are collected once (a CTE read twice is materialised) and
    both the page and the capped count are read from them, instead of scanning the name
    candidates for the page and again for the count."""
    shape, values = _term(term)
    statement = _filtered_first_page_select(shape, bool(licence_type), bool(status), per_page)
    return statement.params(_values(values, licence_type, status))


def capped_count(term="", licence_type=None, status=None):
    """How many holders match, counting no further than COUNT_CAP + 1."""
    shape, values = _term(term)
    return db.session.scalar(_count_select(shape, bool(licence_type), bool(status)),
                             _values(values, licence_type, status))


def _plan_for_this_term():
    """PostgreSQL may switch a statement it has run five times to one generic plan; for a search
    the best plan depends on the term (a rare surname or half the register), so this transaction
    always plans with the actual values."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))


def search_holders(term="", licence_type=None, status=None, after=None, before=None, per_page=25):
    """One page of matching holders in name order, keyset-paginated by holder id.

    `after`/`before` are the ids of the last/first holder of the neighbouring page; the sort
    key is read from that holder, so no names travel in URLs."""
    _plan_for_this_term()
    anchor_id = before if before is not None else after
    anchor_key = None
    if anchor_id is not None:
        anchor_key = db.session.execute(
            sa.select(holder_sort_name(), LicenceHolder.id).where(LicenceHolder.id == anchor_id)
        ).one_or_none()
    descending = before is not None and anchor_key is not None
    shape, term_values = _term(term)
    by_type, by_status = bool(licence_type), bool(status)
    values = _values(term_values, licence_type, status, anchor_key)
    counted = None
    if anchor_key is None and (by_type or by_status) and len((term or "").strip()) >= 3:
        rows = db.session.execute(_filtered_first_page_select(shape, by_type, by_status, per_page), values).all()
        ids = [row[0] for row in rows]
        counted = rows[0][1] if rows else 0
    else:
        statement = _page_select(shape, by_type, by_status, anchor_key is not None, descending, per_page)
        ids = list(db.session.scalars(statement, values))
    more = len(ids) > per_page
    ids = ids[:per_page]
    if descending:
        ids.reverse()
    holders = _load(ids)
    has_later, has_earlier = (True, more) if descending else (more, anchor_key is not None)
    whole = anchor_key is None and not more  # the first page holds every match: no need to count
    return SearchPage(
        holders=holders,
        count=len(ids) if whole else counted if counted is not None else capped_count(term, licence_type, status),
        next_after=holders[-1].id if holders and has_later else None,
        previous_before=holders[0].id if holders and has_earlier else None,
    )


def _load(ids):
    """The holders with their licences (and each licence's vehicle), in the order of `ids`."""
    if not ids:
        return []
    rows = db.session.scalars(
        sa.select(LicenceHolder)
        .where(LicenceHolder.id.in_(ids))
        .options(joinedload(LicenceHolder.licences).joinedload(Licence.vehicle))
    ).unique().all()
    by_id = {holder.id: holder for holder in rows}
    return [by_id[i] for i in ids if i in by_id]


# What a form asking for one licence holder accepts, said the same way on every such form.
HOLDER_LOOKUP_HINT = "Their reference, badge, licence or plate number, vehicle registration or full name"
NO_HOLDER_MATCHES = "No licence holder matches that: enter their reference, badge or licence number, or full name"
SEVERAL_HOLDERS_MATCH = "More than one licence holder matches that: enter their reference or badge number"


def find_holder(text):
    """(holder, matches) for a form field naming one licence holder: their reference exactly, or
    else the register search's answer (badge, licence or plate number, registration, DVLA number,
    name or date of birth) when exactly one holder matches. `matches` is 0, 1 or 2 (two or more)."""
    text = (text or "").strip()
    if not text:
        return None, 0
    exact = db.session.execute(
        sa.select(LicenceHolder).where(sa.func.lower(LicenceHolder.holder_ref) == text.lower())).scalar_one_or_none()
    if exact is not None:
        return exact, 1
    holders = search_holders(text, per_page=2).holders
    return (holders[0] if len(holders) == 1 else None), min(len(holders), 2)


def lookup_message(matches):
    """The refusal for a holder field whose text named no holder, or several."""
    return SEVERAL_HOLDERS_MATCH if matches > 1 else NO_HOLDER_MATCHES


def exact_identifier(term, holder):
    """Whether `term` is exactly one of `holder`'s identifiers (reference, DVLA number, or a licence,
    badge or plate number or registration of their licences), not a partial name."""
    lowered = term.strip().lower()
    registration = normalise_registration(term)
    values = {(holder.holder_ref or "").lower(), (holder.dvla_licence_number or "").lower()}
    for licence in holder.licences:
        values |= {(licence.licence_number or "").lower(), (licence.badge_number or "").lower()}
        if licence.vehicle is not None:
            values.add((licence.vehicle.plate_number or "").lower())
            if registration and licence.vehicle.registration == registration:
                return True
    return lowered in values - {""}

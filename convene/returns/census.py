"""The DfE children in need census (collection "CIN") for one reporting year, as XML.

What goes in, in which order and why: ../shared/standards/cin-census.md. In short, a child is
in the census when one of their children in need episodes was open at some time in the year,
and only those episodes appear; within an episode, a section 47 enquiry appears when it started
in the year or its initial conference was held in the year, a plan when it was open at some
time in the year, and only the review dates held in the year. Dates after the reference date
are left out, so nothing the authority recorded since 31 March breaks the year's rules.

The data-to-insight validator (`csc-validator-be-cin`) checks the file independently in CI
(`.ci/validate_cin.py`). Children are read and written in batches (`CHUNK`), so memory is
flat: the children through one cursor (server-side on PostgreSQL), then eight queries a batch
for their history. Rows are read as plain tuples, not model objects, and each child's element
is written as text (`_element`), the same bytes ElementTree's `indent` and `tostring` wrote
(decision 0027).
"""

from __future__ import annotations

import io
import itertools
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from typing import BinaryIO, NamedTuple, TypeVar
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Q

from convene.authority.selectors import authority_procedures
from convene.conferences.convening.rules import no_conference_needed
from convene.conferences.enums import INITIAL_TYPES, ConferenceStatus, ConferenceType
from convene.conferences.models import Conference, ConferenceChild
from convene.people.enums import Ethnicity, Sex
from convene.people.models import Child, Disability
from convene.plans.models import Plan, PlanReview
from convene.plans.rules import PlanFacts, previous_plan_count
from convene.referrals.enums import ReferralSource
from convene.referrals.models import Episode, Section47Enquiry
from convene.timescales import OutOfRange, Profile

from .batches import among, batches
from .years import ReportingYear

SOFTWARE_CODE = "Convene"
_LA_CODE = re.compile(r"\d{3}")


def census_year(text: str) -> ReportingYear:
    """The reporting year written as "2025-26"; a ValueError says what is expected."""
    try:
        return ReportingYear.parse(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a reporting year: write it as 2025-26 "
            "(the year from 1 April 2025 to 31 March 2026)"
        ) from None


def check_la_code(code: str) -> str:
    """The DfE's 3-digit local authority code, or a ValueError."""
    if _LA_CODE.fullmatch(code) is None:
        raise ValueError(f"{code!r} is not a local authority code: it must be 3 digits, e.g. 123")
    return code


@cache
def project_version() -> str:
    """Convene's version, from pyproject.toml (the census header's Release)."""
    with (settings.BASE_DIR / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


# Children read and written at a time: memory holds one batch, whatever the authority's size.
CHUNK = 500
_INDENT = "  "
# A line break and the indentation of each level: "\n" + _INDENT * level.
_BREAK = ["\n" + _INDENT * level for level in range(8)]


@dataclass
class CensusExport:
    """What the census message holds and what the data officer should look at."""

    children: int = 0
    episodes: int = 0
    section47: int = 0
    plans: int = 0
    warnings: list[str] = field(default_factory=list)
    body: bytes = b""  # the message, when written to memory by `export_cin_census`

    def to_bytes(self) -> bytes:
        return self.body


def export_cin_census(
    *, year: ReportingYear, la_code: str, generated_at: datetime, serial_no: int = 1
) -> CensusExport:
    """The census for `year` of the children Convene holds, in memory (for tests and small
    authorities; the command streams with `write_cin_census`). `generated_at` is the header's
    DateTime (the caller reads the clock)."""
    buffer = io.BytesIO()
    export = write_cin_census(
        buffer, year=year, la_code=la_code, generated_at=generated_at, serial_no=serial_no
    )
    export.body = buffer.getvalue()
    return export


def write_cin_census(
    out: BinaryIO,
    *,
    year: ReportingYear,
    la_code: str,
    generated_at: datetime,
    serial_no: int = 1,
) -> CensusExport:
    """Write the census for `year` to `out` a batch of children at a time: the children are
    read in batches of CHUNK with what the census needs of each, and each batch's elements are
    written and dropped, so memory stays flat however many children there are."""
    root = ET.Element("Message")
    header = ET.SubElement(root, "Header")
    _add(
        ET.SubElement(header, "CollectionDetails"),
        [("Collection", "CIN"), ("Year", str(year.end.year)), ("ReferenceDate", year.end)],
    )
    _add(
        ET.SubElement(header, "Source"),
        [
            ("SourceLevel", "L"),
            ("LEA", check_la_code(la_code)),
            ("SoftwareCode", SOFTWARE_CODE),
            ("Release", project_version()),
            ("SerialNo", f"{serial_no:03d}"),
            ("DateTime", generated_at.strftime("%Y-%m-%dT%H:%M:%S")),
        ],
    )
    ET.SubElement(root, "Children")
    ET.indent(root, space=_INDENT)
    # The message with its Children empty, split where each child's element goes.
    before, after = ET.tostring(root, encoding="unicode").split("<Children />")
    export = CensusExport()
    builder = _Builder(year, authority_procedures(), export)
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n{before}'.encode())
    children = batches(_children_in_census(year), CHUNK)
    first = next(children, None)
    if first is None:
        out.write(b"<Children />")
    else:
        out.write(b"<Children>")
        for batch in itertools.chain([first], children):
            history = _History.of(batch, year)
            out.write(
                "".join(_BREAK[2] + builder.child(child, history) for child in batch).encode()
            )
        out.write(f"{_BREAK[1]}</Children>".encode())
    out.write(f"{after}\n".encode())
    return export


# Reading: the rows the census needs, as plain tuples -------------------------------------


class _Child(NamedTuple):
    pk: int
    la_child_id: str
    upn_unknown: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    sex: str
    date_of_death: date | None
    ethnicity: str


class _Episode(NamedTuple):
    pk: int
    child_id: int
    referral_date: date
    closure_date: date | None
    referral_source: str
    primary_need: str
    closure_reason: str
    referral_nfa: bool


class _Enquiry(NamedTuple):
    pk: int
    child_id: int
    episode_id: int | None
    strategy_discussion_date: date
    end_date: date | None
    conference_not_required: bool


class _Conference(NamedTuple):
    """An initial or pre-birth conference a section 47 enquiry led to."""

    enquiry_id: int
    conference__type: str
    conference__status: str
    conference__date: date | None


class _Plan(NamedTuple):
    pk: int
    child_id: int
    start_date: date
    end_date: date | None
    other_authority: bool
    previous_plans_elsewhere: int
    initial_category: str
    latest_category: str


def _in_year(year: ReportingYear) -> Q:
    """Episodes open at some time in the year."""
    return Q(referral_date__lte=year.end) & (
        Q(closure_date__isnull=True) | Q(closure_date__gte=year.start)
    )


def _children_in_census(year: ReportingYear) -> Iterator[_Child]:
    """The children with an episode open in the year, in LAchildID order, through one cursor
    (server-side on PostgreSQL) read CHUNK rows at a time."""
    rows = (
        Child.objects.filter(pk__in=Episode.objects.filter(_in_year(year)).values("child_id"))
        .order_by("la_child_id")
        .values_list(*_Child._fields)
        .iterator(chunk_size=CHUNK)
    )
    return map(_Child._make, rows)


T = TypeVar("T")


def _grouped(rows: Iterable[T], key: Callable[[T], int]) -> dict[int, list[T]]:
    found: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        found[key(row)].append(row)
    return found


_BY_CHILD = attrgetter("child_id")


@dataclass(frozen=True)
class _History:
    """What the census needs of a batch of children, each by the child's id (or the
    enquiry's, or the plan's). Eight queries, whatever the batch's size."""

    disabilities: dict[int, list[str]]
    episodes: dict[int, list[_Episode]]  # open in the year, by referral date
    enquiries: dict[int, list[_Enquiry]]  # all, by strategy discussion date
    conferences: dict[int, list[_Conference]]  # each enquiry's initial conferences
    plans: dict[int, list[_Plan]]  # all, in any year or authority, by start date
    reviews: dict[int, list[date]]  # each plan's reviews held in the year
    transfer_ins: dict[int, list[date | None]]  # the held transfer-in conferences' dates

    @classmethod
    def of(cls, children: Sequence[_Child], year: ReportingYear) -> _History:
        ids = [child.pk for child in children]
        disabilities: dict[int, list[str]] = defaultdict(list)
        for child_id, code in (
            Disability.objects.filter(among("child_id", ids))
            .order_by()
            .values_list("child_id", "code")
        ):
            disabilities[child_id].append(code)
        episodes = (
            Episode.objects.filter(_in_year(year), among("child_id", ids))
            .order_by("referral_date", "pk")
            .values_list(*_Episode._fields)
        )
        enquiries = list(
            map(
                _Enquiry._make,
                Section47Enquiry.objects.filter(among("child_id", ids))
                .order_by("strategy_discussion_date", "pk")
                .values_list(*_Enquiry._fields),
            )
        )
        # Only initial (and pre-birth) conferences say anything of an enquiry in the census.
        # By the enquiries' ids, not a join to them, and without the model's ordering (a join
        # to the child): each is then an index look-up.
        conferences = (
            ConferenceChild.objects.filter(
                among("enquiry_id", [e.pk for e in enquiries]),
                conference__type__in=INITIAL_TYPES,
            )
            .order_by()
            .values_list(*_Conference._fields)
        )
        # Every plan, in any year or authority: NumberOfPreviousCPP counts them all.
        plans = list(
            map(
                _Plan._make,
                Plan.objects.filter(among("child_id", ids))
                .order_by("start_date", "pk")
                .values_list(*_Plan._fields),
            )
        )
        # N00116: only the reviews held in the year.
        reviews: dict[int, list[date]] = defaultdict(list)
        for plan_id, held in (
            PlanReview.objects.filter(
                among("plan_id", [p.pk for p in plans]), date__range=(year.start, year.end)
            )
            .order_by()
            .values_list("plan_id", "date")
        ):
            reviews[plan_id].append(held)
        # The children's conferences, then which of them are held transfer-ins: two index
        # look-ups, where one query joining the two tables had PostgreSQL read every conference.
        attended = list(
            ConferenceChild.objects.filter(among("child_id", ids))
            .order_by()
            .values_list("child_id", "conference_id")
        )
        held_transfers = dict(
            Conference.objects.filter(
                among("pk", {conference for _, conference in attended}),
                type=ConferenceType.TRANSFER_IN,
                status=ConferenceStatus.HELD,
            )
            .order_by()
            .values_list("pk", "date")
        )
        transfer_ins: dict[int, list[date | None]] = defaultdict(list)
        for child_id, conference_id in attended:
            if conference_id in held_transfers:
                transfer_ins[child_id].append(held_transfers[conference_id])
        return cls(
            disabilities=disabilities,
            episodes=_grouped(map(_Episode._make, episodes), _BY_CHILD),
            enquiries=_grouped(enquiries, _BY_CHILD),
            conferences=_grouped(map(_Conference._make, conferences), attrgetter("enquiry_id")),
            plans=_grouped(plans, _BY_CHILD),
            reviews=reviews,
            transfer_ins=transfer_ins,
        )


# Writing: each child's element as text ----------------------------------------------------


Value = str | int | bool | date | None


def _text(value: str | int | bool | date) -> str:
    if isinstance(value, bool):  # the census writes booleans as true/false
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _add(parent: ET.Element, items: Iterable[tuple[str, Value]]) -> ET.Element:
    """Append an element per item in order, leaving out those whose value is None or ""
    (the header's)."""
    for tag, value in items:
        if value is not None and value != "":
            ET.SubElement(parent, tag).text = _text(value)
    return parent


def _leaves(items: Iterable[tuple[str, Value]]) -> list[str]:
    """An element per item, in order, leaving out those whose value is None or "": the text
    escaped as ElementTree escapes it (&, < and >)."""
    return [
        f"<{tag}>{_escaped(value)}</{tag}>"
        for tag, value in items
        if value is not None and value != ""
    ]


def _escaped(value: str | int | bool | date) -> str:
    """`_text(value)` escaped as ElementTree escapes text (&, < and >): only strings can hold
    those characters, and most strings are codes that do not."""
    if isinstance(value, str):
        text = value if type(value) is str else str(value)  # str() of a choice is its code
        return escape(text) if "&" in text or "<" in text or ">" in text else text
    return _text(value)


def _element(tag: str, parts: Sequence[str], level: int) -> str:
    """An element holding `parts` (elements already written), indented as `ET.indent` does
    for an element at `level`: each part on its own line one level in, the closing tag on
    its own line at the element's level. Every census element that holds others holds at
    least one, so there is no empty `<Tag />` to write."""
    inner = _BREAK[level + 1]
    return f"<{tag}>{inner}{inner.join(parts)}{_BREAK[level]}</{tag}>"


def _episode_holding(day: date, episodes: Sequence[_Episode]) -> _Episode | None:
    """The latest of `episodes` open on `day`."""
    holding = [
        e
        for e in episodes
        if e.referral_date <= day and (e.closure_date is None or day <= e.closure_date)
    ]
    return holding[-1] if holding else None


# The levels of the census's elements: Message 0, Children 1, Child 2, and so on.
_CHILD, _PART, _ITEM, _LIST = 2, 3, 4, 5


class _Builder:
    def __init__(self, year: ReportingYear, procedures: Profile, export: CensusExport) -> None:
        self.year = year
        self.icpc = procedures.timescale("icpc")
        self.export = export
        self.targets: dict[date, date | None] = {}

    def warn(self, child: _Child, message: str) -> None:
        self.export.warnings.append(f"{child.la_child_id}: {message}")

    def child(self, child: _Child, history: _History) -> str:
        self.export.children += 1
        episodes = history.episodes.get(child.pk, [])
        enquiries = self.enquiries_by_episode(child, episodes, history)
        plans = self.plans_by_episode(child, episodes, history)
        transfer_ins = self.transfer_ins_by_episode(child, episodes, history)
        parts = [self.identifiers(child), self.characteristics(child, history)]
        for episode in episodes:
            parts.append(
                self.episode(
                    child,
                    episode,
                    enquiries.get(episode.pk, []),
                    plans.get(episode.pk, []),
                    transfer_ins.get(episode.pk),
                    history,
                )
            )
        return _element("Child", parts, _CHILD)

    def identifiers(self, child: _Child) -> str:
        end = self.year.end
        # Born on or before the reference date; a baby born since is still unborn in this
        # year's census, with the date of birth as the expected one if none was recorded.
        born = child.date_of_birth is not None and child.date_of_birth <= end
        expected = None if born else (child.expected_date_of_birth or child.date_of_birth)
        # DfE rule 8750: an unborn child's sex is U, whatever a scan may have said.
        sex = child.sex if born else Sex.UNKNOWN
        death = child.date_of_death if child.date_of_death and child.date_of_death <= end else None
        return _element(
            "ChildIdentifiers",
            _leaves(
                [
                    ("LAchildID", child.la_child_id),
                    # Convene holds no UPN, only why a child has none.
                    ("UPNunknown", child.upn_unknown),
                    ("PersonBirthDate", child.date_of_birth if born else None),
                    ("ExpectedPersonBirthDate", expected),
                    ("Sex", sex or Sex.UNKNOWN),
                    ("PersonDeathDate", death),
                ]
            ),
            _PART,
        )

    def characteristics(self, child: _Child, history: _History) -> str:
        # "Information not yet obtained" is the DfE's code for an ethnicity nobody recorded.
        parts = _leaves([("Ethnicity", child.ethnicity or Ethnicity.NOBT)])
        codes = sorted(history.disabilities.get(child.pk, []))
        # Left out when nothing is recorded: Convene does not assume "NONE".
        if codes:
            parts.append(_element("Disabilities", _leaves(("Disability", c) for c in codes), _ITEM))
        return _element("ChildCharacteristics", parts, _PART)

    def enquiries_by_episode(
        self, child: _Child, episodes: Sequence[_Episode], history: _History
    ) -> dict[int, list[tuple[_Enquiry, date | None]]]:
        """Each episode's enquiries that belong to the year, with the initial conference's date."""
        exported = {e.pk: e for e in episodes}
        found: dict[int, list[tuple[_Enquiry, date | None]]] = {}
        for enquiry in history.enquiries.get(child.pk, []):
            conferences = history.conferences.get(enquiry.pk, [])
            held = self.initial_conference(conferences)
            if not (self.year.holds(enquiry.strategy_discussion_date) or self.year.holds(held)):
                continue
            if enquiry.episode_id is not None:
                episode = exported.get(enquiry.episode_id)
            else:
                episode = _episode_holding(enquiry.strategy_discussion_date, episodes)
            if episode is None:
                self.warn(
                    child,
                    f"the section 47 enquiry from {enquiry.strategy_discussion_date} belongs to "
                    "no children in need episode open in the year, so it is not in the census",
                )
                continue
            found.setdefault(episode.pk, []).append((enquiry, held))
        return found

    @staticmethod
    def initial_conference(conferences: Sequence[_Conference]) -> date | None:
        """The day the enquiry's initial (or pre-birth) conference was held, if it was."""
        held = [
            c.conference__date
            for c in conferences
            if c.conference__type in INITIAL_TYPES
            and c.conference__status == ConferenceStatus.HELD
            and c.conference__date is not None
        ]
        return min(held, default=None)

    def plans_by_episode(
        self, child: _Child, episodes: Sequence[_Episode], history: _History
    ) -> dict[int, list[tuple[_Plan, int]]]:
        """Each episode's plans open in the year, with NumberOfPreviousCPP."""
        every_plan = history.plans.get(child.pk, [])
        found: dict[int, list[tuple[_Plan, int]]] = {}
        facts: list[PlanFacts] | None = None
        for plan in every_plan:
            # A plan another authority held counts as a previous plan, never as this one's.
            if plan.other_authority or plan.start_date > self.year.end:
                continue
            if plan.end_date is not None and plan.end_date < self.year.start:
                continue
            episode = _episode_holding(plan.start_date, episodes) or next(
                (e for e in episodes if _overlaps(e, plan)), None
            )
            if episode is None:
                self.warn(
                    child,
                    f"the plan from {plan.start_date} belongs to no children in need episode "
                    "open in the year, so it is not in the census",
                )
                continue
            if facts is None:
                facts = [_plan_facts(p) for p in every_plan]
            previous = previous_plan_count(_plan_facts(plan), facts)
            found.setdefault(episode.pk, []).append((plan, previous))
        return found

    def transfer_ins_by_episode(
        self, child: _Child, episodes: Sequence[_Episode], history: _History
    ) -> dict[int, date]:
        """The first transfer-in conference held in the year in each episode."""
        found: dict[int, date] = {}
        days = history.transfer_ins.get(child.pk, [])
        for day in sorted(d for d in days if d is not None and self.year.holds(d)):
            episode = _episode_holding(day, episodes)
            if episode is not None:
                found.setdefault(episode.pk, day)
        return found

    def episode(
        self,
        child: _Child,
        episode: _Episode,
        enquiries: list[tuple[_Enquiry, date | None]],
        plans: list[tuple[_Plan, int]],
        transfer_in: date | None,
        history: _History,
    ) -> str:
        self.export.episodes += 1
        # DfE rule 8620: a closure after the reference date did not happen in this year.
        closure = self.year.within(episode.closure_date)
        parts = _leaves(
            [
                ("CINreferralDate", episode.referral_date),
                ("ReferralSource", episode.referral_source or ReferralSource.UNKNOWN),
                ("PrimaryNeedCode", episode.primary_need),
                ("CINclosureDate", closure),
                ("ReasonForClosure", episode.closure_reason if closure else None),
                # DfE rule 2884: an initial conference goes at one level only. A transfer-in
                # conference follows no section 47 enquiry here, so it is the episode's own.
                ("DateOfInitialCPC", transfer_in),
            ]
        )
        # Convene records neither assessments nor children in need plans: none are written.
        for enquiry, held in enquiries:
            parts.append(self.section47(child, enquiry, held, history))
        parts.extend(_leaves([("ReferralNFA", episode.referral_nfa)]))
        for plan, previous in plans:
            parts.append(self.plan(plan, previous, history))
        return _element("CINdetails", parts, _PART)

    def target(self, child: _Child, started: date) -> date | None:
        """N00109: computed on the authority's calendar, never copied from an import (once a
        day: many enquiries share a strategy discussion date)."""
        if started not in self.targets:
            try:
                self.targets[started] = self.icpc.due(started)
            except OutOfRange:
                self.targets[started] = None
        target = self.targets[started]
        if target is None:
            self.warn(child, f"no initial conference target date can be counted from {started}")
        return target

    def section47(
        self, child: _Child, enquiry: _Enquiry, held: date | None, history: _History
    ) -> str:
        self.export.section47 += 1
        started = enquiry.strategy_discussion_date
        target = self.target(child, started)
        icpc = self.year.within(held)
        not_required = icpc is None and self.conference_not_required(
            enquiry, history.conferences.get(enquiry.pk, [])
        )
        return _element(
            "Section47",
            _leaves(
                [
                    ("S47ActualStartDate", started),
                    ("InitialCPCtarget", target),
                    ("DateOfInitialCPC", icpc),
                    ("ICPCnotRequired", not_required),
                ]
            ),
            _ITEM,
        )

    def conference_not_required(
        self, enquiry: _Enquiry, conferences: Sequence[_Conference]
    ) -> bool:
        """N00111, as at the reference date: the enquiry had ended without needing a conference
        (DfE rule 8868 expects it on every enquiry of a closed episode with no conference)."""
        planned = any(
            c.conference__type in INITIAL_TYPES
            and c.conference__status != ConferenceStatus.CANCELLED
            for c in conferences
        )
        return no_conference_needed(
            ended=enquiry.end_date,
            conference_not_required=enquiry.conference_not_required,
            conference_planned=planned,
            on=self.year.end,
        )

    def plan(self, plan: _Plan, previous: int, history: _History) -> str:
        self.export.plans += 1
        parts = _leaves(
            [
                ("CPPstartDate", plan.start_date),
                # DfE rule 8930: an end after the reference date is not this year's.
                ("CPPendDate", self.year.within(plan.end_date)),
                ("InitialCategoryOfAbuse", plan.initial_category),
                ("LatestCategoryOfAbuse", plan.latest_category),
                ("NumberOfPreviousCPP", previous),
            ]
        )
        # N00116: only the reviews held in the year (DfE rule 8841 holds in the database).
        reviews = sorted(history.reviews.get(plan.pk, []))
        if reviews:
            parts.append(_element("Reviews", _leaves(("CPPreviewDate", d) for d in reviews), _LIST))
        return _element("ChildProtectionPlans", parts, _ITEM)


def _plan_facts(plan: _Plan) -> PlanFacts:
    return PlanFacts(
        start_date=plan.start_date,
        end_date=plan.end_date,
        previous_plans_elsewhere=plan.previous_plans_elsewhere,
        other_authority=plan.other_authority,
    )


def _overlaps(episode: _Episode, plan: _Plan) -> bool:
    episode_end = episode.closure_date or date.max
    plan_end = plan.end_date or date.max
    return episode.referral_date <= plan_end and plan.start_date <= episode_end

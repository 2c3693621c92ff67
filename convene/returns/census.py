"""The DfE children in need census (collection "CIN") for one reporting year, as XML.

What goes in, in which order and why: ../shared/standards/cin-census.md. In short, a child is
in the census when one of their children in need episodes was open at some time in the year,
and only those episodes appear; within an episode, a section 47 enquiry appears when it started
in the year or its initial conference was held in the year, a plan when it was open at some
time in the year, and only the review dates held in the year. Dates after the reference date
are left out, so nothing the authority recorded since 31 March breaks the year's rules.

The data-to-insight validator (`csc-validator-be-cin`) checks the file independently in CI
(`.ci/validate_cin.py`). Children are read and written in batches (`CHUNK`), so memory is
flat; reads are about ten queries per batch.
"""

from __future__ import annotations

import io
import itertools
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, BinaryIO

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from convene.authority.selectors import authority_procedures
from convene.conferences.convening.rules import no_conference_needed
from convene.conferences.enums import INITIAL_TYPES, ConferenceStatus, ConferenceType
from convene.conferences.models import ConferenceChild
from convene.people.enums import Ethnicity, Sex
from convene.people.models import Child
from convene.plans.models import Plan, plan_facts
from convene.plans.rules import previous_plan_count
from convene.referrals.enums import ReferralSource
from convene.referrals.models import Episode, Section47Enquiry
from convene.timescales import OutOfRange, Profile

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
    """Write the census for `year` to `out` a child at a time: the children are read in
    batches of CHUNK with what the census needs of each, and each child's element is written
    and dropped, so memory stays flat however many children there are."""
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
    children = _children_in_census(year).iterator(chunk_size=CHUNK)
    first = next(children, None)
    if first is None:
        out.write(b"<Children />")
    else:
        out.write(b"<Children>")
        for child in itertools.chain([first], children):
            element = builder.child(child)
            ET.indent(element, space=_INDENT, level=2)
            out.write(f"\n{_INDENT * 2}".encode())
            out.write(ET.tostring(element, encoding="utf-8", xml_declaration=False))
        out.write(f"\n{_INDENT}</Children>".encode())
    out.write(f"{after}\n".encode())
    return export


def _children_in_census(year: ReportingYear) -> QuerySet[Child]:
    in_year = Q(referral_date__lte=year.end) & (
        Q(closure_date__isnull=True) | Q(closure_date__gte=year.start)
    )
    conferences = ConferenceChild.objects.select_related("conference")
    # Every prefetch goes to a list attribute (`census_*`): Django then sets the list on each
    # object instead of making a query set per object for it, which took half the export's time.
    return (
        Child.objects.filter(pk__in=Episode.objects.filter(in_year).values("child_id"))
        .order_by("la_child_id")
        .prefetch_related(
            Prefetch("disabilities", to_attr="census_disabilities"),
            Prefetch(
                "episodes",
                queryset=Episode.objects.filter(in_year).order_by("referral_date"),
                to_attr="census_episodes",
            ),
            Prefetch(
                "enquiries",
                queryset=Section47Enquiry.objects.order_by(
                    "strategy_discussion_date"
                ).prefetch_related(
                    Prefetch("conferences", queryset=conferences, to_attr="census_conferences")
                ),
                to_attr="census_enquiries",
            ),
            # Every plan, in any year or authority: NumberOfPreviousCPP counts them all.
            Prefetch(
                "plans",
                queryset=Plan.objects.order_by("start_date").prefetch_related(
                    Prefetch("reviews", to_attr="census_reviews")
                ),
                to_attr="census_plans",
            ),
            Prefetch(
                "conferences",
                queryset=conferences.filter(
                    conference__type=ConferenceType.TRANSFER_IN,
                    conference__status=ConferenceStatus.HELD,
                ),
                to_attr="transfer_ins",
            ),
        )
    )


def _prefetched(obj: object, name: str) -> list[Any]:
    """A list `_children_in_census` prefetched onto `obj`."""
    found: list[Any] = getattr(obj, name)
    return found


Value = str | int | bool | date | None


def _text(value: str | int | bool | date) -> str:
    if isinstance(value, bool):  # the census writes booleans as true/false
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _add(parent: ET.Element, items: Iterable[tuple[str, Value]]) -> ET.Element:
    """Append an element per item in order, leaving out those whose value is None or ""."""
    for tag, value in items:
        if value is not None and value != "":
            ET.SubElement(parent, tag).text = _text(value)
    return parent


def _episode_holding(day: date, episodes: Sequence[Episode]) -> Episode | None:
    """The latest of `episodes` open on `day`."""
    holding = [
        e
        for e in episodes
        if e.referral_date <= day and (e.closure_date is None or day <= e.closure_date)
    ]
    return holding[-1] if holding else None


class _Builder:
    def __init__(self, year: ReportingYear, procedures: Profile, export: CensusExport) -> None:
        self.year = year
        self.icpc = procedures.timescale("icpc")
        self.export = export

    def warn(self, child: Child, message: str) -> None:
        self.export.warnings.append(f"{child.la_child_id}: {message}")

    def child(self, child: Child) -> ET.Element:
        self.export.children += 1
        element = ET.Element("Child")
        element.append(self.identifiers(child))
        element.append(self.characteristics(child))
        episodes: list[Episode] = list(_prefetched(child, "census_episodes"))
        enquiries = self.enquiries_by_episode(child, episodes)
        plans = self.plans_by_episode(child, episodes)
        transfer_ins = self.transfer_ins_by_episode(child, episodes)
        for episode in episodes:
            element.append(
                self.episode(
                    child,
                    episode,
                    enquiries.get(episode.pk, []),
                    plans.get(episode.pk, []),
                    transfer_ins.get(episode.pk),
                )
            )
        return element

    def identifiers(self, child: Child) -> ET.Element:
        end = self.year.end
        # Born on or before the reference date; a baby born since is still unborn in this
        # year's census, with the date of birth as the expected one if none was recorded.
        born = child.date_of_birth is not None and child.date_of_birth <= end
        expected = None if born else (child.expected_date_of_birth or child.date_of_birth)
        # DfE rule 8750: an unborn child's sex is U, whatever a scan may have said.
        sex = child.sex if born else Sex.UNKNOWN
        death = child.date_of_death if child.date_of_death and child.date_of_death <= end else None
        return _add(
            ET.Element("ChildIdentifiers"),
            [
                ("LAchildID", child.la_child_id),
                # Convene holds no UPN, only why a child has none.
                ("UPNunknown", child.upn_unknown),
                ("PersonBirthDate", child.date_of_birth if born else None),
                ("ExpectedPersonBirthDate", expected),
                ("Sex", sex or Sex.UNKNOWN),
                ("PersonDeathDate", death),
            ],
        )

    def characteristics(self, child: Child) -> ET.Element:
        # "Information not yet obtained" is the DfE's code for an ethnicity nobody recorded.
        element = _add(
            ET.Element("ChildCharacteristics"),
            [("Ethnicity", child.ethnicity or Ethnicity.NOBT)],
        )
        codes = sorted(d.code for d in _prefetched(child, "census_disabilities"))
        # Left out when nothing is recorded: Convene does not assume "NONE".
        if codes:
            _add(ET.SubElement(element, "Disabilities"), [("Disability", c) for c in codes])
        return element

    def enquiries_by_episode(
        self, child: Child, episodes: Sequence[Episode]
    ) -> dict[int, list[tuple[Section47Enquiry, date | None]]]:
        """Each episode's enquiries that belong to the year, with the initial conference's date."""
        exported = {e.pk: e for e in episodes}
        found: dict[int, list[tuple[Section47Enquiry, date | None]]] = {}
        for enquiry in _prefetched(child, "census_enquiries"):
            held = self.initial_conference(enquiry)
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
    def initial_conference(enquiry: Section47Enquiry) -> date | None:
        """The day the enquiry's initial (or pre-birth) conference was held, if it was."""
        held = [
            cc.conference.date
            for cc in _prefetched(enquiry, "census_conferences")
            if cc.conference.type in INITIAL_TYPES
            and cc.conference.status == ConferenceStatus.HELD
            and cc.conference.date is not None
        ]
        return min(held, default=None)

    def plans_by_episode(
        self, child: Child, episodes: Sequence[Episode]
    ) -> dict[int, list[tuple[Plan, int]]]:
        """Each episode's plans open in the year, with NumberOfPreviousCPP."""
        every_plan: list[Plan] = list(_prefetched(child, "census_plans"))
        history = [plan_facts(p) for p in every_plan]
        found: dict[int, list[tuple[Plan, int]]] = {}
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
            previous = previous_plan_count(plan_facts(plan), history)
            found.setdefault(episode.pk, []).append((plan, previous))
        return found

    def transfer_ins_by_episode(self, child: Child, episodes: Sequence[Episode]) -> dict[int, date]:
        """The first transfer-in conference held in the year in each episode."""
        found: dict[int, date] = {}
        held: list[ConferenceChild] = child.transfer_ins  # type: ignore[attr-defined]
        days = [cc.conference.date for cc in held]
        for day in sorted(d for d in days if d is not None and self.year.holds(d)):
            episode = _episode_holding(day, episodes)
            if episode is not None:
                found.setdefault(episode.pk, day)
        return found

    def episode(
        self,
        child: Child,
        episode: Episode,
        enquiries: list[tuple[Section47Enquiry, date | None]],
        plans: list[tuple[Plan, int]],
        transfer_in: date | None,
    ) -> ET.Element:
        self.export.episodes += 1
        # DfE rule 8620: a closure after the reference date did not happen in this year.
        closure = self.year.within(episode.closure_date)
        element = _add(
            ET.Element("CINdetails"),
            [
                ("CINreferralDate", episode.referral_date),
                ("ReferralSource", episode.referral_source or ReferralSource.UNKNOWN),
                ("PrimaryNeedCode", episode.primary_need),
                ("CINclosureDate", closure),
                ("ReasonForClosure", episode.closure_reason if closure else None),
                # DfE rule 2884: an initial conference goes at one level only. A transfer-in
                # conference follows no section 47 enquiry here, so it is the episode's own.
                ("DateOfInitialCPC", transfer_in),
            ],
        )
        # Convene records neither assessments nor children in need plans: none are written.
        for enquiry, held in enquiries:
            element.append(self.section47(child, enquiry, held))
        _add(element, [("ReferralNFA", episode.referral_nfa)])
        for plan, previous in plans:
            element.append(self.plan(plan, previous))
        return element

    def section47(self, child: Child, enquiry: Section47Enquiry, held: date | None) -> ET.Element:
        self.export.section47 += 1
        started = enquiry.strategy_discussion_date
        try:
            # N00109: computed on the authority's calendar, never copied from an import.
            target: date | None = self.icpc.due(started)
        except OutOfRange:
            target = None
            self.warn(child, f"no initial conference target date can be counted from {started}")
        icpc = self.year.within(held)
        return _add(
            ET.Element("Section47"),
            [
                ("S47ActualStartDate", started),
                ("InitialCPCtarget", target),
                ("DateOfInitialCPC", icpc),
                ("ICPCnotRequired", icpc is None and self.conference_not_required(enquiry)),
            ],
        )

    def conference_not_required(self, enquiry: Section47Enquiry) -> bool:
        """N00111, as at the reference date: the enquiry had ended without needing a conference
        (DfE rule 8868 expects it on every enquiry of a closed episode with no conference)."""
        planned = any(
            cc.conference.type in INITIAL_TYPES
            and cc.conference.status != ConferenceStatus.CANCELLED
            for cc in _prefetched(enquiry, "census_conferences")
        )
        return no_conference_needed(
            ended=enquiry.end_date,
            conference_not_required=enquiry.conference_not_required,
            conference_planned=planned,
            on=self.year.end,
        )

    def plan(self, plan: Plan, previous: int) -> ET.Element:
        self.export.plans += 1
        element = _add(
            ET.Element("ChildProtectionPlans"),
            [
                ("CPPstartDate", plan.start_date),
                # DfE rule 8930: an end after the reference date is not this year's.
                ("CPPendDate", self.year.within(plan.end_date)),
                ("InitialCategoryOfAbuse", plan.initial_category),
                ("LatestCategoryOfAbuse", plan.latest_category),
                ("NumberOfPreviousCPP", previous),
            ],
        )
        # N00116: only the reviews held in the year (DfE rule 8841 holds in the database).
        reviews = sorted(
            r.date for r in _prefetched(plan, "census_reviews") if self.year.holds(r.date)
        )
        if reviews:
            _add(ET.SubElement(element, "Reviews"), [("CPPreviewDate", d) for d in reviews])
        return element


def _overlaps(episode: Episode, plan: Plan) -> bool:
    episode_end = episode.closure_date or date.max
    plan_end = plan.end_date or date.max
    return episode.referral_date <= plan_end and plan.start_date <= episode_end

"""A synthetic Standard Safeguarding Dataset extract, for benchmarks and trying the import.

    .venv/bin/python bench/ssd_generator.py var/bench/ssd-extract --children 10000

Every name and identifier is invented. The history is shaped like a real authority's over the
four years before a reference date: referrals closed after assessment, section 47 enquiries
(some with no further action), initial conferences shared by brothers and sisters, pre-birth
and transfer-in conferences, plans reviewed at three months then every six, some ending and
some open, children with a previous plan, plans from other authorities, not-yet-held
conferences and reviews, statutory visits, disabilities, families, professionals and their
involvements. The files are written as real extracts are: Windows line endings, a byte order
mark, several date formats, flag and category spellings, padded values, NULL for empty,
unused columns and unused tables.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REFERENCE = date(2026, 11, 24)

# fmt: off
FORENAMES = (
    "Ada", "Alfie", "Amara", "Arlo", "Bea", "Bodhi", "Cara", "Cody", "Dara", "Eli", "Elsie",
    "Esme", "Ezra", "Faye", "Finn", "Gus", "Hana", "Ira", "Isla", "Jago", "Juno", "Kai", "Kit",
    "Lark", "Leni", "Luca", "Mabel", "Milo", "Nell", "Noor", "Ode", "Otto", "Pip", "Quin", "Remy",
    "Rio", "Rosa", "Rue", "Sage", "Sol", "Tam", "Tess", "Tobi", "Uma", "Vic", "Wren", "Xan",
    "Yara", "Zeb", "Zia"
)
SURNAMES = (
    "Ashgrove", "Barlowe", "Brackenby", "Calloway", "Dunmere", "Elsworth", "Fenwright",
    "Galloway", "Harrowell", "Inchbold", "Jessamy", "Kettleby", "Langridge", "Marchbank",
    "Netherby", "Oakhurst", "Pennicott", "Quarrington", "Rushworth", "Saltmarsh", "Thistlewood",
    "Underhay", "Varley", "Whitcombe", "Yarwood", "Ainsdale", "Blackmore", "Coldharbour",
    "Dewsbury", "Eastlake", "Farrowdale", "Greystoke", "Hollinwood", "Ivesdale", "Juniper",
    "Kingswell", "Lowther", "Millbrook", "Northcote", "Orchardson", "Pemberley", "Redwater",
    "Stonebridge", "Thornbury", "Upwood", "Westerleigh"
)
# White British is the most common; every code appears.
ETHNICITIES = ("WBRI",) * 30 + (
    "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"
)
DISABILITIES = (
    "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"
)
SOURCES = (
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C",
    "5D", "6", "7", "8", "9", "10"
)
NEEDS = (
    "N1", "N1", "N1", "N1", "N2", "N3", "N4", "N4", "N5", "N5", "N6", "N7", "N8"
)
# fmt: on
CATEGORY_SPELLINGS = {
    "NEG": ("NEG", "Neg", "Neglect", "neglect"),
    "EMO": ("EMO", "Emo", "Emotional", "Emotional abuse"),
    "PHY": ("PHY", "Physical", "Physical abuse"),
    "SAB": ("SAB", "Sexual", "Sexual abuse"),
    "MUL": ("MUL", "Multiple"),
}
CATEGORY_WEIGHTS = {"NEG": 50, "EMO": 35, "PHY": 7, "SAB": 4, "MUL": 4}
ROLES = (
    ("Social worker", "Children's Social Care", "Assessment Team"),
    ("Health visitor", "Community Health", "Health Visiting"),
    ("School nurse", "Community Health", "School Nursing"),
    ("Designated safeguarding lead", "Education", "Schools"),
    ("Police officer", "Police", "Public Protection Unit"),
    ("GP", "Health", "Primary Care"),
)

COLUMNS = {
    "ssd_person": [
        "pers_legacy_id", "pers_person_id", "pers_sex", "pers_gender", "pers_ethnicity",
        "pers_dob", "pers_common_child_id", "pers_upn_unknown", "pers_send_flag",
        "pers_expected_dob", "pers_death_date", "pers_is_mother", "pers_nationality",
        "pers_forename", "pers_surname",
    ],
    "ssd_family": ["fami_table_id", "fami_family_id", "fami_person_id"],
    "ssd_disability": ["disa_table_id", "disa_person_id", "disa_disability_code"],
    "ssd_cin_episodes": [
        "cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
        "cine_referral_source_code", "cine_referral_source_desc", "cine_referral_outcome_json",
        "cine_referral_nfa", "cine_close_reason", "cine_close_date", "cine_referral_team",
        "cine_referral_worker_id",
    ],
    "ssd_s47_enquiry": [
        "s47e_s47_enquiry_id", "s47e_referral_id", "s47e_person_id", "s47e_s47_start_date",
        "s47e_s47_end_date", "s47e_s47_nfa", "s47e_s47_outcome_json",
        "s47e_s47_completed_by_team", "s47e_s47_completed_by_worker_id",
    ],
    "ssd_initial_cp_conference": [
        "icpc_icpc_id", "icpc_icpc_meeting_id", "icpc_s47_enquiry_id", "icpc_person_id",
        "icpc_cp_plan_id", "icpc_referral_id", "icpc_icpc_transfer_in", "icpc_icpc_target_date",
        "icpc_icpc_date", "icpc_icpc_outcome_cp_flag", "icpc_icpc_outcome_json",
        "icpc_icpc_team", "icpc_icpc_worker_id",
    ],
    "ssd_cp_plans": [
        "cppl_cp_plan_id", "cppl_referral_id", "cppl_icpc_id", "cppl_person_id",
        "cppl_cp_plan_start_date", "cppl_cp_plan_end_date", "cppl_cp_plan_ola",
        "cppl_cp_plan_initial_category", "cppl_cp_plan_latest_category",
    ],
    "ssd_cp_reviews": [
        "cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_due",
        "cppr_cp_review_date", "cppr_cp_review_meeting_id", "cppr_cp_review_outcome_continue_cp",
        "cppr_cp_review_quorate", "cppr_cp_review_participation",
    ],
    "ssd_cp_visits": [
        "cppv_cp_visit_id", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date",
        "cppv_cp_visit_seen", "cppv_cp_visit_seen_alone", "cppv_cp_visit_bedroom",
    ],
    "ssd_professionals": [
        "prof_professional_id", "prof_staff_id", "prof_professional_name",
        "prof_social_worker_registration_no", "prof_agency_role_flag",
        "prof_professional_job_title", "prof_professional_caseload",
        "prof_professional_department", "prof_full_time_equivalency",
    ],
    "ssd_involvements": [
        "invo_involvements_id", "invo_professional_id", "invo_professional_role_id",
        "invo_professional_team", "invo_involvement_start_date", "invo_involvement_end_date",
        "invo_worker_change_reason", "invo_person_id", "invo_referral_id",
    ],
    # Tables Convene does not read: the import must ignore them.
    "ssd_contacts": ["cont_contact_id", "cont_person_id", "cont_contact_date"],
    "ssd_cla_episodes": ["clae_cla_id", "clae_person_id", "clae_cla_episode_start_date"],
}  # fmt: skip


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def uk(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def iso_time(day: date | None) -> str:
    # As SQL Server writes a datetime column.
    return f"{day.isoformat()} 00:00:00.000" if day else ""


def weekday(day: date) -> date:
    """Meetings are held on working days: move a weekend day to the Monday."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


@dataclass
class Child:
    person_id: str
    forename: str
    surname: str
    sex: str
    dob: date | None  # in the full history; shown only once it has passed
    expected: date | None = None


@dataclass
class PlanHistory:
    """One plan's life: when it started and ended, and its category from each date on."""

    kid: Child
    plan_id: str
    icpc_id: str
    start: date
    end: date | None = None
    categories: list[tuple[date, str]] = field(default_factory=list)
    reviews: list[tuple[date, bool, str]] = field(default_factory=list)  # day, continues, meeting


class Generator:
    """Makes one history to `today`, then writes it as an extract taken on `as_of`.

    Every choice comes from a random stream of its own (per family, child, episode, plan), so
    that the same seed gives the same history whatever the extract date: an extract taken six
    months later holds the same records under the same ids, with what happened since."""

    def __init__(self, children: int, seed: int, today: date, as_of: date | None = None) -> None:
        self.seed = seed
        self.target = children
        self.today = today
        self.cut = as_of or today
        self.start = today - timedelta(days=4 * 365)
        self.rows: dict[str, list[dict[str, str]]] = {table: [] for table in COLUMNS}
        self.professionals = self.make_professionals(max(12, children // 8))

    def rng(self, *key: object) -> random.Random:
        return random.Random(":".join(str(part) for part in (self.seed, *key)))

    def shown(self, day: date | None) -> date | None:
        """A date as the extract shows it: what had not happened by then is empty."""
        return day if day is not None and day <= self.cut else None

    def add(self, table: str, **values: str) -> None:
        self.rows[table].append(values)

    @staticmethod
    def flag(value: bool, spellings: tuple[str, str] = ("Y", "N")) -> str:
        return spellings[0] if value else spellings[1]

    def make_professionals(self, count: int) -> list[tuple[str, str]]:
        rng = self.rng("professionals")
        made = []
        for n in range(1, count + 1):
            role, department, team = rng.choice(ROLES)
            pid = f"PR{n:05d}"
            registration = f"SW{rng.randrange(10**5, 10**6)}" if role == "Social worker" else ""
            self.add(
                "ssd_professionals",
                prof_professional_id=pid,
                prof_staff_id=f"STAFF{rng.randrange(10**6)}",
                prof_professional_name=f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}",
                prof_social_worker_registration_no=registration,
                prof_agency_role_flag="N",
                prof_professional_job_title=role,
                prof_professional_caseload=str(rng.randrange(5, 25)),
                prof_professional_department=department,
                prof_full_time_equivalency="1.0",
            )
            made.append((pid, team))
        return made

    # --- One family at a time ---------------------------------------------------------------

    def run(self) -> None:
        children, number = 0, 0
        while children < self.target:
            number += 1
            rng = self.rng("family", number)
            size = min(rng.choices([1, 2, 3, 4], [35, 30, 20, 15])[0], self.target - children)
            children += size
            self.family(number, rng, size)
        for n in range(50):
            self.add("ssd_contacts", cont_contact_id=f"CT{n}", cont_person_id="X",
                     cont_contact_date="")  # fmt: skip

    def family(self, number: int, rng: random.Random, size: int) -> None:
        surname = rng.choice(SURNAMES)
        referred = self.start + timedelta(days=rng.randrange(0, 4 * 365 - 30))
        unborn = rng.random() < 0.1
        transfer_in = not unborn and rng.random() < 0.05
        paths = [rng.choices(["nfa", "s47_nfa", "conference"], [25, 15, 60])[0] for _ in range(3)]
        again = [rng.random() < 0.2 for _ in range(3)]
        gaps = [timedelta(days=rng.randrange(120, 540)) for _ in range(3)]
        if referred > self.cut:
            return  # not known to the authority yet when the extract was taken
        family_id = f"F{number:06d}"
        kids = [
            self.person(f"P{number:06d}{k}", surname, referred, unborn=unborn and k == size - 1)
            for k in range(size)
        ]
        for kid in kids:
            self.add("ssd_family", fami_table_id=f"FT{kid.person_id}", fami_family_id=family_id,
                     fami_person_id=kid.person_id)  # fmt: skip
        for round_ in range(3):
            if referred >= self.today - timedelta(days=20) or referred > self.cut:
                break
            path = "transfer" if transfer_in and round_ == 0 else paths[round_]
            key = f"{number:06d}{round_}"
            ended = self.episode(key, kids, referred, path)
            # Some families come back: a re-referral months after the case closed.
            if ended is None or not again[round_]:
                break
            referred = ended + gaps[round_]

    def person(self, person_id: str, surname: str, referred: date, *, unborn: bool) -> Child:
        rng = self.rng("person", person_id)
        if unborn:
            expected = referred + timedelta(days=rng.randrange(60, 150))
            dob = expected + timedelta(days=rng.randrange(-14, 14))
            kid = Child(person_id, rng.choice(FORENAMES), surname, rng.choice("MF"), dob, expected)
        else:
            dob = referred - timedelta(days=rng.randrange(30, 17 * 365))
            kid = Child(person_id, rng.choice(FORENAMES), surname, rng.choice("MF"), dob)
        born = self.shown(kid.dob) is not None
        ethnicity = rng.choice(ETHNICITIES)
        self.add(
            "ssd_person",
            pers_legacy_id=f"L{rng.randrange(10**8)}",
            pers_person_id=kid.person_id,
            pers_sex=kid.sex if born else "U",
            pers_gender="",
            pers_ethnicity=ethnicity if born else "NOBT",
            pers_dob=uk(self.shown(kid.dob)),
            # Ten digits, invented: the 999 range is reserved for test numbers.
            pers_common_child_id=f"999{rng.randrange(10**7):07d}" if born else "",
            pers_upn_unknown="" if born else "UN10",
            pers_send_flag="",
            pers_expected_dob=uk(kid.expected),
            pers_death_date="NULL",
            pers_is_mother="N",
            pers_nationality="",
            pers_forename=kid.forename if born else "",
            # Fixed-width exports pad some values with spaces.
            pers_surname=kid.surname + ("  " if rng.random() < 0.05 else ""),
        )
        if not unborn and rng.random() < 0.08:
            for n, code in enumerate(rng.sample(DISABILITIES, rng.choice([1, 1, 2]))):
                self.add("ssd_disability", disa_table_id=f"D{person_id}{n}",
                         disa_person_id=person_id, disa_disability_code=code)  # fmt: skip
        return kid

    def episode(self, key: str, kids: list[Child], referred: date, path: str) -> date | None:
        """One referral for the family; returns the day the case closed, if it has by today."""
        rng = self.rng("episode", key)
        worker, team = rng.choice(self.professionals)
        strategy = weekday(referred + timedelta(days=rng.randrange(0, 5)))
        closes_after = timedelta(days=rng.randrange(14, 90))
        referrals = {kid.person_id: f"R{key}{k}" for k, kid in enumerate(kids)}
        closed: date | None
        if path == "nfa":
            closed = referred + timedelta(days=rng.randrange(1, 45))
        elif path == "s47_nfa":
            for k, kid in enumerate(kids):
                self.enquiry(f"S{key}{k}", kid, referrals[kid.person_id], strategy, nfa=True)
            closed = strategy + closes_after
        else:
            closed = self.conference(key, kids, referrals, strategy, path == "transfer")
            closed = closed + closes_after if closed else None
        if closed is not None and closed > self.today:
            closed = None
        for kid in kids:
            self.episode_row(kid, referrals[kid.person_id], referred, closed, path, worker, team)
        return closed

    def episode_row(self, kid: Child, referral: str, referred: date, closed: date | None,
                    path: str, worker: str, team: str) -> None:  # fmt: skip
        rng = self.rng("referral", referral)
        shown = self.shown(closed)
        self.add(
            "ssd_cin_episodes",
            cine_referral_id=referral,
            cine_person_id=kid.person_id,
            cine_referral_date=iso_time(referred),
            cine_cin_primary_need_code=rng.choice(NEEDS),
            cine_referral_source_code="5C" if path == "transfer" else rng.choice(SOURCES),
            cine_referral_source_desc="",
            cine_referral_outcome_json="{}",
            cine_referral_nfa=self.flag(path == "nfa"),
            cine_close_reason=("RC8" if path == "nfa" else "RC7") if shown else "",
            cine_close_date=iso_time(shown),
            cine_referral_team=team,
            cine_referral_worker_id=worker,
        )
        others = rng.sample(self.professionals, 2)
        for n, (professional_id, professional_team) in enumerate([(worker, team), *others]):
            self.add(
                "ssd_involvements",
                invo_involvements_id=f"N{referral}{n}",
                invo_professional_id=professional_id,
                invo_professional_role_id="Allocated social worker" if n == 0 else "Professional",
                invo_professional_team=professional_team,
                invo_involvement_start_date=iso(referred),
                invo_involvement_end_date=iso(shown),
                invo_worker_change_reason="",
                invo_person_id=kid.person_id,
                invo_referral_id=referral,
            )

    def enquiry(self, enquiry_id: str, kid: Child, referral: str, strategy: date, *,
                nfa: bool) -> None:  # fmt: skip
        if strategy > self.cut:
            return
        rng = self.rng("enquiry", enquiry_id)
        ended = self.shown(strategy + timedelta(days=rng.randrange(5, 30)))
        self.add(
            "ssd_s47_enquiry",
            s47e_s47_enquiry_id=enquiry_id,
            s47e_referral_id=referral,
            s47e_person_id=kid.person_id,
            s47e_s47_start_date=iso(strategy),
            s47e_s47_end_date=iso(ended),
            # The outcome is known once the enquiry ends.
            s47e_s47_nfa=self.flag(nfa and ended is not None, ("1", "0")),
            s47e_s47_outcome_json='{"NFA_FLAG": "%s"}' % ("Y" if nfa else "N"),
            s47e_s47_completed_by_team="Assessment Team",
            s47e_s47_completed_by_worker_id="",
        )

    def conference(self, key: str, kids: list[Child], referrals: dict[str, str],
                   strategy: date, transfer_in: bool) -> date | None:  # fmt: skip
        """An initial (or transfer-in) conference and the plans it starts; returns the day the
        last plan ended, or None while one is open."""
        rng = self.rng("conference", key)
        held = weekday(strategy + timedelta(days=rng.randrange(10, 24)))
        held_on = None if held > self.today else held  # None: still to be held today
        plans: list[PlanHistory] = []
        for k, kid in enumerate(kids):
            decided = transfer_in or rng.random() < 0.85
            enquiry_id = "" if transfer_in else f"S{key}{k}"
            if enquiry_id:
                self.enquiry(enquiry_id, kid, referrals[kid.person_id], strategy, nfa=False)
            icpc_id, plan_id = f"I{key}{k}", f"C{key}{k}"
            on_plan = held_on is not None and decided
            if transfer_in and held_on is not None:
                self.other_authority_plan(f"C{key}{k}X", kid, held_on)
            if strategy <= self.cut:
                shown = self.shown(held_on)
                self.add(
                    "ssd_initial_cp_conference",
                    icpc_icpc_id=icpc_id,
                    icpc_icpc_meeting_id=f"M{key}I",
                    icpc_s47_enquiry_id=enquiry_id,
                    icpc_person_id=kid.person_id,
                    icpc_cp_plan_id=plan_id if shown and on_plan else "",
                    icpc_referral_id=referrals[kid.person_id],
                    icpc_icpc_transfer_in=self.flag(transfer_in),
                    # Filled as extracts do; Convene computes its own target and never reads it.
                    icpc_icpc_target_date=iso(strategy + timedelta(days=21)),
                    icpc_icpc_date=iso(shown),
                    icpc_icpc_outcome_cp_flag=self.flag(on_plan) if shown else "",
                    icpc_icpc_outcome_json="{}",
                    icpc_icpc_team="Safeguarding Unit",
                    icpc_icpc_worker_id="",
                )
            if on_plan and held_on is not None:
                plans.append(PlanHistory(kid, plan_id, icpc_id, held_on))
        if held_on is None:
            return None
        if not plans:
            return held_on
        return self.plans(key, plans, referrals)

    def other_authority_plan(self, plan_id: str, kid: Child, transferred: date) -> None:
        rng = self.rng("plan", plan_id)
        start = transferred - timedelta(days=rng.randrange(60, 400))
        if kid.dob is not None and start <= kid.dob:
            start = kid.dob + timedelta(days=1)
        if start >= transferred or transferred > self.cut:
            return  # recorded when the child arrives here
        category = self.category(rng)
        self.add(
            "ssd_cp_plans",
            cppl_cp_plan_id=plan_id,
            cppl_referral_id="",
            cppl_icpc_id="",
            cppl_person_id=kid.person_id,
            cppl_cp_plan_start_date=iso(start),
            cppl_cp_plan_end_date=iso(transferred),
            cppl_cp_plan_ola="true",
            cppl_cp_plan_initial_category=self.spell(rng, category),
            cppl_cp_plan_latest_category=self.spell(rng, category),
        )

    @staticmethod
    def category(rng: random.Random) -> str:
        return rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]

    @staticmethod
    def spell(rng: random.Random, category: str) -> str:
        return rng.choice(CATEGORY_SPELLINGS[category])

    def plans(self, key: str, plans: list[PlanHistory], referrals: dict[str, str]) -> date | None:
        """Reviews at three months then every six, brothers and sisters together; each plan
        ends at a review or is still open today."""
        rng = self.rng("reviews", key)
        for plan in plans:
            plan.categories.append((plan.start, self.category(rng)))
        review = weekday(plans[0].start + timedelta(days=91))
        open_plans = list(plans)
        number = 0
        while open_plans and review <= self.today:
            number += 1
            for plan in list(open_plans):
                continues = rng.random() < 0.55
                plan.reviews.append((review, continues, f"M{key}R{number}"))
                if not continues:
                    plan.end = review
                    open_plans.remove(plan)
                elif rng.random() < 0.1:
                    plan.categories.append((review, self.category(rng)))
            review = weekday(review + timedelta(days=182))
        for plan in plans:
            self.write_plan(plan, referrals[plan.kid.person_id], next_review=review)
        return None if open_plans else max(plan.end for plan in plans if plan.end)

    def write_plan(self, plan: PlanHistory, referral: str, *, next_review: date) -> None:
        if plan.start > self.cut:
            return
        rng = self.rng("plan", plan.plan_id)
        latest = [category for day, category in plan.categories if day <= self.cut][-1]
        self.add(
            "ssd_cp_plans",
            cppl_cp_plan_id=plan.plan_id,
            cppl_referral_id=referral,
            cppl_icpc_id=plan.icpc_id,
            cppl_person_id=plan.kid.person_id,
            cppl_cp_plan_start_date=iso(plan.start),
            cppl_cp_plan_end_date=iso(self.shown(plan.end)),
            cppl_cp_plan_ola="false",
            cppl_cp_plan_initial_category=self.spell(rng, plan.categories[0][1]),
            cppl_cp_plan_latest_category=self.spell(rng, latest),
        )
        due = [(day, continues, meeting) for day, continues, meeting in plan.reviews]
        due.append((next_review, True, ""))  # the next one, not held by today
        for number, (day, continues, meeting) in enumerate(due, start=1):
            review_id = f"V{plan.plan_id}-{number}"
            if day <= self.cut:
                self.review_row(review_id, plan, day, continues, meeting)
            else:
                # Some extracts list the next review, due but not yet held.
                if self.rng("due", review_id).random() < 0.3:
                    self.review_row(review_id, plan, day, None, "")
                break
        self.visits(plan)

    def review_row(self, review_id: str, plan: PlanHistory, day: date, continues: bool | None,
                   meeting: str) -> None:  # fmt: skip
        rng = self.rng("review", review_id)
        held = continues is not None
        self.add(
            "ssd_cp_reviews",
            cppr_cp_review_id=review_id,
            cppr_person_id=plan.kid.person_id,
            cppr_cp_plan_id=plan.plan_id,
            cppr_cp_review_due=uk(day),
            cppr_cp_review_date=uk(day) if held else "",
            cppr_cp_review_meeting_id=meeting,
            cppr_cp_review_outcome_continue_cp=self.flag(bool(continues), ("y", "n"))
            if held
            else "",
            cppr_cp_review_quorate=self.flag(rng.random() < 0.95, ("y", "n")) if held else "",
            cppr_cp_review_participation=rng.choice(["PN1", "PN2", "PN3", "PN4", ""]),
        )

    def visits(self, plan: PlanHistory) -> None:
        # Statutory visits: at least every ten working days while the plan lasts.
        rng = self.rng("visits", plan.plan_id)
        day = plan.start + timedelta(days=rng.randrange(3, 10))
        last = min(plan.end or self.today, self.cut)
        number = 0
        while day <= last:
            number += 1
            seen = rng.random() < 0.93
            self.add(
                "ssd_cp_visits",
                cppv_cp_visit_id=f"W{plan.plan_id}-{number}",
                cppv_person_id=plan.kid.person_id,
                cppv_cp_plan_id=plan.plan_id,
                cppv_cp_visit_date=f"{day.isoformat()} {rng.randrange(9, 18):02d}:00:00",
                cppv_cp_visit_seen=self.flag(seen, rng.choice([("Y", "N"), ("1", "0")])),
                cppv_cp_visit_seen_alone=self.flag(seen and rng.random() < 0.6),
                cppv_cp_visit_bedroom=self.flag(seen and rng.random() < 0.4),
            )
            day = weekday(day + timedelta(days=rng.randrange(10, 15)))

    # --- Files ------------------------------------------------------------------------------

    def write(self, directory: Path) -> dict[str, int]:
        directory.mkdir(parents=True, exist_ok=True)
        for table, columns in COLUMNS.items():
            # Excel and SQL Server Management Studio write a byte order mark; others do not.
            encoding = "utf-8-sig" if table in ("ssd_person", "ssd_cp_plans") else "utf-8"
            with (directory / f"{table}.csv").open("w", encoding=encoding, newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\r\n")
                writer.writeheader()
                writer.writerows(_complete(self.rows[table], columns))
        return {table: len(rows) for table, rows in self.rows.items()}


def _complete(rows: Iterable[dict[str, str]], columns: list[str]) -> Iterable[dict[str, str]]:
    for row in rows:
        yield {column: row.get(column, "") for column in columns}


def generate(
    directory: Path,
    children: int,
    seed: int = 2026,
    *,
    today: date = REFERENCE,
    as_of: date | None = None,
) -> dict[str, int]:
    """Write an extract of a history of `children` children over the four years to `today`,
    as taken on `as_of` (default: `today`) to `directory`; returns the rows per table."""
    generator = Generator(children, seed, today, as_of)
    generator.run()
    return generator.write(directory)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=REFERENCE,
        help="the reference date: the history ends here (default %(default)s)",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        help="take the extract on this earlier day: the same records, as they were then",
    )
    args = parser.parse_args()
    counts = generate(args.directory, args.children, args.seed, today=args.today, as_of=args.as_of)
    for table, count in counts.items():
        print(f"{table + '.csv':<32} {count:>9,} rows")


if __name__ == "__main__":
    main()

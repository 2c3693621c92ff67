"""The demo data set: a fictional authority, its agencies, staff and families, and a year of
their child protection history (episodes, section 47 enquiries, conferences, plans, reviews and
visits) dated back from the day it is loaded. The history itself is in `demo_history`.

Every name, address and identifier here is invented. Email addresses use the reserved
`.example` domain, so nothing can ever be sent to a real person.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from convene.access.enums import Role
from convene.access.models import RoleGrant, User
from convene.authority.models import AuthoritySettings, ClosureDay
from convene.authority.selectors import authority_procedures
from convene.conferences.demo import prepare_demo_conferences
from convene.returns import deadline_store
from convene.returns.indicator_facts import indicator_facts_refresh

from .demo_history import History
from .enums import AgencyType, DisabilityCode, Ethnicity, RelationshipKind, Sex, UPNUnknown
from .models import (
    Adult,
    Agency,
    Child,
    Disability,
    Household,
    Involvement,
    Professional,
    Relationship,
    Team,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
# Every demo account has an authenticator app with this one key (base32, as apps take it), so
# multi-factor sign-in can be tried locally: add it to any authenticator app, or run
# `oathtool --totp -b KEY`. Printed by `manage.py load_demo`; README "Signing in to the demo".
DEMO_TOTP_KEY = "CONVENEDEMOSECRETKEYFORMFATRYING"
DOMAIN = "northmoor.example"


@dataclass(frozen=True)
class DemoUser:
    first_name: str
    last_name: str
    agency: str
    job_title: str
    roles: tuple[Role, ...]
    team: str | None = None

    @property
    def email(self) -> str:
        return f"{self.first_name}.{self.last_name}@{DOMAIN}".lower()


AGENCIES = {
    "csc": ("Northmoor Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    "police": ("Northmoor Police", AgencyType.POLICE),
    "health": ("Northmoor Community Health NHS Trust", AgencyType.HEALTH),
    "education": ("Northmoor Schools", AgencyType.EDUCATION),
    "probation": ("Northmoor Probation Service", AgencyType.PROBATION),
    "housing": ("Northmoor Homes", AgencyType.HOUSING),
    "other": ("Northmoor Family Support Charity", AgencyType.OTHER),
}

USERS = [
    DemoUser(
        "Dana",
        "Whitlock",
        "csc",
        "Conference administrator",
        (Role.CONFERENCE_ADMINISTRATOR,),
        "Conference Service",
    ),
    DemoUser(
        "Morag",
        "Ellison",
        "csc",
        "Independent conference chair",
        (Role.CONFERENCE_CHAIR,),
        "Conference Service",
    ),
    DemoUser(
        "Tobias",
        "Reed",
        "csc",
        "Independent conference chair",
        (Role.CONFERENCE_CHAIR,),
        "Conference Service",
    ),
    DemoUser("Sam", "Okafor", "csc", "Social worker", (Role.SOCIAL_WORKER,), "Assessment Team A"),
    DemoUser("Hannah", "Pryce", "csc", "Social worker", (Role.SOCIAL_WORKER,), "Assessment Team A"),
    DemoUser("Lena", "Marsh", "csc", "Team manager", (Role.TEAM_MANAGER,), "Assessment Team A"),
    DemoUser("Gareth", "Holloway", "csc", "Head of safeguarding", (Role.SENIOR_MANAGER,)),
    DemoUser("Jordan", "Blake", "police", "Detective constable", (Role.AGENCY_PROFESSIONAL,)),
    DemoUser("Aisha", "Rahman", "health", "Health visitor", (Role.AGENCY_PROFESSIONAL,)),
    DemoUser(
        "Owen", "Carter", "education", "Designated safeguarding lead", (Role.AGENCY_PROFESSIONAL,)
    ),
    DemoUser("Iris", "Fenwick", "csc", "Performance and data officer", (Role.DATA_OFFICER,)),
    DemoUser(
        "Nell",
        "Ashby",
        "csc",
        "Minute-taker",
        (Role.MINUTE_TAKER,),
        "Conference Service",
    ),
    DemoUser("Colin", "Avery", "csc", "System administrator", (Role.SYSTEM_ADMINISTRATOR,)),
    DemoUser(
        "Rhona",
        "Kettering",
        "csc",
        "Safeguarding manager (children subject to a plan)",
        (Role.REGISTER_MANAGER,),
    ),
    DemoUser("Felix", "Moreau", "csc", "Out-of-hours social worker", (Role.LEGITIMATE_ENQUIRER,)),
]


def years_before(today: date, years: int) -> date:
    """The date `years` years before `today`; 29 February becomes 28 February."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool
    users: list[DemoUser]


def demo_loaded() -> bool:
    return Agency.objects.filter(name=AGENCIES["csc"][0]).exists()


@transaction.atomic
def load_demo(*, today: date) -> DemoSummary:
    """Create the demo data set unless it is already there. Dates are relative to `today`."""
    if demo_loaded():
        return DemoSummary(loaded=False, users=USERS)
    # The open deadlines are worked out once at the end, not at each of the history's rows.
    with deadline_store.paused():
        _load(today)
    deadline_store.rebuild()
    return DemoSummary(loaded=True, users=USERS)


def _load(today: date) -> None:
    agencies = {
        key: Agency.objects.create(name=name, type=kind) for key, (name, kind) in AGENCIES.items()
    }
    users = _create_users(agencies)
    Team.objects.filter(name="Assessment Team A").update(manager=users["lena.marsh"])
    professionals = _create_professionals(agencies, users)
    # Closure days first: the history's dates are counted on the authority's calendar.
    _create_closure_days(today)
    # London CP4 §12.2: the complaints manager hears of every complaint about a conference.
    AuthoritySettings.objects.update_or_create(
        singleton=True, defaults={"complaints_email": "complaints@northmoor.example"}
    )
    children = _create_families(today, users, professionals)
    History(today, authority_procedures().calendar).create(children, users)
    prepare_demo_conferences(today=today, users=users)
    # The history above is written directly, as an import would: the indicators' stored
    # facts are worked out once at the end, as the import does (decision 0032).
    indicator_facts_refresh()


def _create_closure_days(today: date) -> None:
    """Northmoor closes its offices between Christmas and New Year, as many authorities do."""
    year = today.year if (today.month, today.day) <= (12, 29) else today.year + 1
    for day in (date(year, 12, 29), date(year, 12, 30), date(year, 12, 31)):
        if day.weekday() < 5:
            ClosureDay.objects.create(day=day, description="Christmas closure")


def demo_totp_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_KEY).hex()


def demo_totp_code(at: float | None = None) -> str:
    """The code an authenticator app with the demo key shows now (or at `at`)."""
    from django_otp.oath import TOTP

    generator = TOTP(bytes.fromhex(demo_totp_key_hex()))
    generator.time = time.time() if at is None else at
    return f"{generator.token():06d}"


def _create_users(agencies: dict[str, Agency]) -> dict[str, User]:
    teams: dict[str, Team] = {}
    users: dict[str, User] = {}
    for demo in USERS:
        team = None
        if demo.team:
            team = teams.get(demo.team) or Team.objects.create(
                name=demo.team, agency=agencies[demo.agency]
            )
            teams[demo.team] = team
        user = User.objects.create_user(
            demo.email,
            DEMO_PASSWORD,
            first_name=demo.first_name,
            last_name=demo.last_name,
            agency=agencies[demo.agency],
            team=team,
            job_title=demo.job_title,
        )
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in demo.roles)
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", key=demo_totp_key_hex(), confirmed=True
        )
        users[demo.email.split("@")[0]] = user
    return users


def _create_professionals(
    agencies: dict[str, Agency], users: dict[str, User]
) -> dict[str, Professional]:
    def professional(key: str, name: str, title: str, user: User | None = None) -> Professional:
        email = user.email if user else f"{name.lower().replace(' ', '.')}@{DOMAIN}"
        return Professional.objects.create(
            name=name, job_title=title, agency=agencies[key], email=email, user=user
        )

    return {
        "police": professional(
            "police", "Jordan Blake", "Detective constable", users["jordan.blake"]
        ),
        "health_visitor": professional(
            "health", "Aisha Rahman", "Health visitor", users["aisha.rahman"]
        ),
        "teacher": professional(
            "education", "Owen Carter", "Designated safeguarding lead", users["owen.carter"]
        ),
        "midwife": professional("health", "Ruth Oyelaran", "Community midwife"),
        "gp": professional("health", "Dr Imran Sheikh", "General practitioner (GP)"),
        "school_nurse": professional("health", "Carys Lloyd", "School nurse"),
        "probation": professional("probation", "Neil Farrow", "Probation officer"),
        "family_support": professional("other", "Bea Lindqvist", "Family support worker"),
        "housing": professional("housing", "Marcus Bell", "Tenancy support officer"),
    }


def _create_families(
    today: date, users: dict[str, User], pros: dict[str, Professional]
) -> dict[str, Child]:
    sam, hannah = users["sam.okafor"], users["hannah.pryce"]
    sequence = iter(range(100201, 100300))

    def household(name: str, address: str, postcode: str) -> Household:
        return Household.objects.create(name=name, address=address, postcode=postcode)

    def child(
        home: Household,
        first: str,
        last: str,
        sex: Sex,
        ethnicity: Ethnicity,
        disability: DisabilityCode | None = DisabilityCode.NONE,
        upn_unknown: UPNUnknown | str = "",
        **dates: date,
    ) -> Child:
        kid = Child.objects.create(
            # Letters and digits only: the census refuses other characters (DfE rule 1580).
            la_child_id=f"NM{next(sequence)}",
            first_name=first,
            last_name=last,
            sex=sex,
            ethnicity=ethnicity,
            upn_unknown=upn_unknown,
            household=home,
            **dates,
        )
        if disability is not None:
            Disability.objects.create(child=kid, code=disability)
        return kid

    def adult(home: Household, first: str, last: str, email: str = "") -> Adult:
        return Adult.objects.create(first_name=first, last_name=last, household=home, email=email)

    def relate(grown: Adult, kids: list[Child], kind: RelationshipKind, pr: bool) -> None:
        Relationship.objects.bulk_create(
            Relationship(adult=grown, child=kid, kind=kind, parental_responsibility=pr)
            for kid in kids
        )

    def involve(pro: Professional, kids: list[Child], role: str, since: date) -> None:
        Involvement.objects.bulk_create(
            Involvement(professional=pro, child=kid, role=role, started=since) for kid in kids
        )

    # Harlow household: two children and an unborn baby; the mother's partner is on licence.
    harlow = household("Harlow household", "14 Quarry Lane, Northmoor", "NM4 7QX")
    white_british = Ethnicity.WBRI
    mia = child(
        harlow, "Mia", "Harlow", Sex.FEMALE, white_british, date_of_birth=years_before(today, 9)
    )
    leo = child(
        harlow,
        "Leo",
        "Harlow",
        Sex.MALE,
        white_british,
        DisabilityCode.COMM,
        UPNUnknown.UN6,
        date_of_birth=years_before(today, 4),
    )
    unborn = child(
        harlow,
        "",
        "Harlow",
        Sex.UNKNOWN,
        Ethnicity.NOBT,
        None,
        UPNUnknown.UN10,
        expected_date_of_birth=today + timedelta(weeks=16),
    )
    kerry = adult(harlow, "Kerry", "Harlow", f"kerry.harlow@{DOMAIN}")
    dean = adult(harlow, "Dean", "Moss")
    relate(kerry, [mia, leo, unborn], RelationshipKind.PARENT, pr=True)
    relate(dean, [leo, unborn], RelationshipKind.PARENT, pr=True)
    relate(dean, [mia], RelationshipKind.STEP_PARENT, pr=False)
    Child.objects.filter(pk__in=[mia.pk, leo.pk, unborn.pk]).update(social_worker=sam)
    since = today - timedelta(weeks=30)
    involve(pros["teacher"], [mia], "Designated safeguarding lead, Northmoor Primary", since)
    involve(pros["health_visitor"], [leo, unborn], "Health visitor", since)
    involve(pros["midwife"], [unborn], "Community midwife", today - timedelta(weeks=10))
    involve(pros["police"], [mia, leo], "Investigating officer", today - timedelta(weeks=14))
    involve(pros["probation"], [mia, leo, unborn], "Dean Moss's probation officer", since)

    # Adeyemi household: two older children; the eldest may want to attend his conference.
    adeyemi = household("Adeyemi household", "3 Ferncliffe Road, Northmoor", "NM2 1DF")
    black_african = Ethnicity.BAFR
    joshua = child(
        adeyemi, "Joshua", "Adeyemi", Sex.MALE, black_african, date_of_birth=years_before(today, 14)
    )
    esther = child(
        adeyemi,
        "Esther",
        "Adeyemi",
        Sex.FEMALE,
        black_african,
        date_of_birth=years_before(today, 11),
    )
    for first in ("Grace", "Tunde"):
        relate(adult(adeyemi, first, "Adeyemi"), [joshua, esther], RelationshipKind.PARENT, True)
    Child.objects.filter(pk__in=[joshua.pk, esther.pk]).update(social_worker=hannah)
    involve(pros["teacher"], [joshua, esther], "Designated safeguarding lead", since)
    involve(pros["school_nurse"], [joshua, esther], "School nurse", since)
    involve(pros["gp"], [joshua, esther], "GP", years_before(today, 5))

    # Kowalska household: a mother who needs a Polish interpreter, one young child.
    kowalska = household("Kowalska household", "Flat 6, Mill Court, Northmoor", "NM1 3AB")
    zofia = child(
        kowalska,
        "Zofia",
        "Kowalska",
        Sex.FEMALE,
        Ethnicity.WOTH,
        date_of_birth=years_before(today, 6),
    )
    relate(adult(kowalska, "Anna", "Kowalska"), [zofia], RelationshipKind.PARENT, True)
    Child.objects.filter(pk=zofia.pk).update(social_worker=sam)
    involve(pros["teacher"], [zofia], "Class teacher's safeguarding lead", since)
    involve(pros["family_support"], [zofia], "Family support worker", since)

    # Brennan household: a teenager in the care of his grandmother (kinship care).
    brennan = household("Brennan household", "27 Wharf Street, Northmoor", "NM5 8LP")
    callum = child(
        brennan,
        "Callum",
        "Brennan",
        Sex.MALE,
        Ethnicity.WIRI,
        DisabilityCode.AUT,
        date_of_birth=years_before(today, 16),
    )
    relate(adult(brennan, "Maureen", "Brennan"), [callum], RelationshipKind.GRANDPARENT, True)
    Child.objects.filter(pk=callum.pk).update(social_worker=hannah)
    involve(pros["school_nurse"], [callum], "School nurse", since)

    # Patel household: a toddler, not yet allocated to a social worker.
    patel = household("Patel household", "9 Orchard Rise, Northmoor", "NM3 5TR")
    arjun = child(
        patel,
        "Arjun",
        "Patel",
        Sex.MALE,
        Ethnicity.AIND,
        upn_unknown=UPNUnknown.UN6,
        date_of_birth=years_before(today, 2),
    )
    relate(adult(patel, "Nisha", "Patel"), [arjun], RelationshipKind.PARENT, True)
    involve(pros["health_visitor"], [arjun], "Health visitor", since)
    # Fairweather household: two children new to children's social care, the household the
    # walk-through in the manual (and the browser test) takes from a strategy discussion to
    # the decision for each child.
    fairweather = household("Fairweather household", "5 Tannery Row, Northmoor", "NM6 2RS")
    ruby = child(
        fairweather,
        "Ruby",
        "Fairweather",
        Sex.FEMALE,
        white_british,
        date_of_birth=years_before(today, 7),
    )
    alfie = child(
        fairweather,
        "Alfie",
        "Fairweather",
        Sex.MALE,
        white_british,
        date_of_birth=years_before(today, 3),
    )
    lauren = adult(fairweather, "Lauren", "Fairweather", f"lauren.fairweather@{DOMAIN}")
    relate(lauren, [ruby, alfie], RelationshipKind.PARENT, pr=True)
    Child.objects.filter(pk__in=[ruby.pk, alfie.pk]).update(social_worker=sam)
    involve(pros["teacher"], [ruby], "Designated safeguarding lead, Northmoor Primary", since)
    involve(pros["health_visitor"], [alfie], "Health visitor", since)
    return {
        "ruby": ruby,
        "alfie": alfie,
        "mia": mia,
        "leo": leo,
        "unborn": unborn,
        "joshua": joshua,
        "esther": esther,
        "zofia": zofia,
        "callum": callum,
        "arjun": arjun,
    }

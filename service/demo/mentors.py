"""Demo mentors: their accounts, profiles, hourly rates and absences."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from reports import rates
from service.audit.service import Actor
from service.auth import accounts
from service.auth.models import Role, User
from service.core import clock
from service.corps import mentors
from service.corps.models import Mentor

DEMO_MENTOR = "mentor"  # the e-mail name of the demo user with the role mentor (seed.DEMO_USERS)

# (e-mail name, name, gender, birth year, languages, background, target groups, roles,
#  district, weekly hours, max caseload, employment, presentation). Fixed data: no randomness.
MENTORS = [
    (
        DEMO_MENTOR,
        "Mette Mentor",
        "female",
        1972,
        ["da", "en"],
        ["social_psychiatry", "health"],
        ["social_anxiety", "depression_stress", "pain"],
        ["personal_support", "motivation", "system_guide"],
        "Aarhus C",
        "25.00",
        10,
        "full_time",
        "Sygeplejerske med 15 års erfaring fra distriktspsykiatrien.",
    ),
    (
        "jonas",
        "Jonas Kristensen",
        "male",
        1985,
        ["da", "en"],
        ["substance_abuse", "social"],
        ["substance_abuse", "adhd", "youth_without_education"],
        ["personal_support", "motivation"],
        "Aarhus V",
        "30.00",
        12,
        "full_time",
        "Pædagog fra misbrugscentret; god til de unge og til at komme ud af døren om morgenen.",
    ),
    (
        "amira",
        "Amira Haddad",
        "female",
        1980,
        ["da", "ar", "en"],
        ["social", "education"],
        ["language_barriers", "trauma", "depression_stress"],
        ["system_guide", "induction_guide"],
        "Brabrand",
        "25.00",
        10,
        "full_time",
        "Socialrådgiver, taler arabisk; guider i systemet og hjælper med opstart i praktik.",
    ),
    (
        "lars",
        "Lars Mikkelsen",
        "male",
        1962,
        ["da", "de"],
        ["business", "criminal_justice"],
        ["substance_abuse", "personality_disorder", "physical_illness"],
        ["induction_guide", "motivation"],
        "Viby J",
        "15.00",
        6,
        "part_time",
        "Tidligere værkfører og ansat i kriminalforsorgen; stærkt netværk i virksomhederne.",
    ),
    (
        "sara",
        "Sara Nielsen",
        "female",
        1990,
        ["da", "en"],
        ["special_school", "disability"],
        ["autism", "cognitive_disability", "adhd"],
        ["personal_support", "system_guide"],
        "Aarhus N",
        "28.00",
        10,
        "full_time",
        "Specialpædagog; struktur, visuelle planer og ro omkring overgange.",
    ),
    (
        "hassan",
        "Hassan Yilmaz",
        "male",
        1978,
        ["da", "tr", "ku"],
        ["social", "psychiatry"],
        ["psychosis", "language_barriers", "trauma"],
        ["personal_support", "system_guide"],
        "Aarhus V",
        "20.00",
        8,
        "part_time",
        "Erfaring fra socialpsykiatrien og fra arbejdet med flygtninge; taler tyrkisk og kurdisk.",
    ),
    (
        "birgitte",
        "Birgitte Holm",
        "female",
        1968,
        ["da"],
        ["health", "psychiatry"],
        ["pain", "physical_illness", "depression_stress"],
        ["motivation", "induction_guide"],
        "Tilst",
        "25.00",
        10,
        "full_time",
        "Fysioterapeut; arbejder med smerter, skånehensyn og fleksjob.",
    ),
    (
        "faadumo",
        "Faadumo Warsame",
        "female",
        1987,
        ["da", "so", "en"],
        ["social", "education"],
        ["language_barriers", "youth_without_education", "trauma"],
        ["system_guide", "motivation"],
        "Brabrand",
        "24.00",
        9,
        "full_time",
        "Socialrådgiver, taler somali; bygger bro mellem familie, skole og jobcenter.",
    ),
    (
        "rojda",
        "Rojda Demir",
        "female",
        1983,
        ["da", "ku", "tr", "en"],
        ["social_psychiatry", "psychiatry"],
        ["trauma", "depression_stress", "language_barriers", "pain"],
        ["personal_support", "system_guide"],
        "Aarhus V",
        "18.00",
        7,
        "part_time",
        "Psykiatrisk sygeplejerske; taler kurdisk og tyrkisk. Erfaring med traumer og smerter.",
    ),
    (
        "karim",
        "Karim El-Sayed",
        "male",
        1975,
        ["da", "ar", "en"],
        ["business", "social"],
        ["language_barriers", "physical_illness", "substance_abuse"],
        ["induction_guide", "system_guide"],
        "Viby J",
        "30.00",
        12,
        "full_time",
        "Tidligere virksomhedskonsulent med stort netværk i transport- og bilbranchen.",
    ),
    (
        "peter",
        "Peter Vestergaard",
        "male",
        1966,
        ["da", "en"],
        ["substance_abuse", "criminal_justice"],
        ["substance_abuse", "personality_disorder", "adhd"],
        ["personal_support", "motivation"],
        "Aarhus C",
        "32.00",
        12,
        "full_time",
        "Tidligere misbrugsbehandler; vant til kaotiske hverdage og meget tæt kontakt.",
    ),
    (
        "line",
        "Line Bach",
        "female",
        1994,
        ["da", "en"],
        ["education", "special_school"],
        ["youth_without_education", "adhd", "social_anxiety"],
        ["motivation", "induction_guide"],
        "Aarhus N",
        "28.00",
        11,
        "full_time",
        "Ungdomsvejleder og coach; hjælper unge i gang med og fastholdt i uddannelse.",
    ),
    (
        "henrik",
        "Henrik Sørensen",
        "male",
        1959,
        ["da"],
        ["business", "health"],
        ["pain", "physical_illness", "depression_stress"],
        ["induction_guide", "motivation"],
        "Tilst",
        "16.00",
        6,
        "part_time",
        "Uddannet tømrer og arbejdsmiljørådgiver; kender håndværksfagene og skånehensyn.",
    ),
    (
        "nadia",
        "Nadia Rasmussen",
        "female",
        1988,
        ["da", "pl", "en"],
        ["disability", "social_psychiatry"],
        ["autism", "social_anxiety", "cognitive_disability"],
        ["personal_support", "system_guide"],
        "Viby J",
        "22.00",
        8,
        "part_time",
        "Ergoterapeut; struktur, sansehensyn og ro ved overgange.",
    ),
    (
        "ali",
        "Ali Mohamed",
        "male",
        1991,
        ["da", "so", "ar"],
        ["social", "substance_abuse"],
        ["youth_without_education", "substance_abuse", "language_barriers"],
        ["personal_support", "motivation"],
        "Brabrand",
        "30.00",
        12,
        "full_time",
        "Gadeplansmedarbejder; taler somali og arabisk og møder de unge, hvor de er.",
    ),
]
# Hourly wage cost per mentor from 1 January (same order as MENTORS).
RATES = ["385.00", "372.00", "398.00", "410.00", "365.00", "379.00", "402.00", "368.00",
         "391.00", "420.00", "405.00", "355.00", "415.00", "376.00", "360.00"]  # fmt: skip

# (mentor index, kind, days from today, length in days)
ABSENCES = [
    (1, "holiday", 7, 12),
    (4, "training", 2, 1),
    (5, "sick", 0, 3),
    (6, "time_off", 15, 2),
    (8, "holiday", 21, 9),
    (10, "training", 9, 2),
    (13, "time_off", 4, 0),
]


def seed_mentors(session: Session, users: dict[Role, User], coordinator: Actor) -> list[Mentor]:
    """Add the demo mentors with this year's rates and a few absences; return them in order."""
    first_of_year = date(clock.today().year, 1, 1)
    corps: list[Mentor] = []
    for row, rate in zip(MENTORS, RATES, strict=True):
        mentor = _mentor(session, users, coordinator, row)
        rates.add_rate(
            session,
            actor=coordinator,
            mentor=mentor,
            valid_from=first_of_year,
            hourly_rate=Decimal(rate),
        )
        corps.append(mentor)
    # One mid-year raise, so the rate history has something to show.
    rates.add_rate(
        session,
        actor=coordinator,
        mentor=corps[3],
        valid_from=first_of_year + timedelta(days=181),
        hourly_rate=Decimal("410.00"),
    )
    _absences(session, coordinator, corps)
    return corps


def _mentor(session: Session, users: dict[Role, User], coordinator: Actor, row: tuple) -> Mentor:
    """One mentor profile; the demo user "mentor" is reused, the others get an account."""
    (key, name, gender, year, langs, background, groups, roles, district, hours, cases,
     employment, presentation) = row  # fmt: skip
    user = users[Role.mentor] if key == DEMO_MENTOR else _account(session, key, name)
    return mentors.create_mentor(
        session,
        actor=coordinator,
        user_id=user.id,
        gender=gender,
        birth_year=year,
        languages=langs,
        background_areas=background,
        target_groups=groups,
        roles=roles,
        district=district,
        weekly_hours=Decimal(hours),
        max_caseload=cases,
        employment=employment,
        presentation=presentation,
    )


def _account(session: Session, key: str, name: str) -> User:
    return accounts.create_user(
        session,
        email=f"{key}@demo.mentorkorps.dk",
        name=name,
        role=Role.mentor,
        password=f"demo-mentor-{secrets.token_hex(8)}",
        actor=Actor(None, "seed-demo"),
    )


def _absences(session: Session, coordinator: Actor, corps: list[Mentor]) -> None:
    today = clock.today()
    for index, kind, offset, days in ABSENCES:
        mentors.add_absence(
            session,
            actor=coordinator,
            mentor=corps[index],
            kind=kind,
            start=today + timedelta(days=offset),
            end=today + timedelta(days=offset + days),
        )

"""Demo data of the corps: mentors, rates, absences, contacts, crisis plan and referrals."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from service.audit.service import Actor
from service.auth import service as accounts
from service.auth.models import User
from service.core import clock
from service.corps import contacts, mentors, referrals
from service.corps.models import Mentor

# (e-mail name, name, gender, birth year, languages, background, target groups, roles,
#  district, weekly hours, max caseload, employment, presentation). Fixed data: no randomness.
MENTORS = [
    (
        "mentor",
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

# The citizens of the seed cases: `001_…` appendix 2 (Eva … Kim) and `003_…` (Morten).
# CPR numbers are fake (valid birth dates matching the ages, no real persons).
CITIZENS: list[dict[str, Any]] = [
    {
        "name": "Eva Sørensen",
        "cpr": "1203741238",
        "district": "Aarhus C",
        "goal": "Job med overskuelige og praktiske opgaver i et køkken eller en kantine",
        "sub_goals": [
            "Opbygge tillid og være sammen med andre i praktikken",
            "Praktik som opvasker 1 dag om ugen i 1,5 time, senere 3 dage",
            "Deltage i mindfulness hver uge",
        ],
        "roles": ["personal_support", "induction_guide"],
        "areas": ["daily_structure", "internship"],
        "groups": ["depression_stress", "social_anxiety"],
        "hours": "3.00",
        "can": ["structure", "meetings", "logbook"],
        "health": "Depression og angst siden ungdommen; indlagt efter et sammenbrud i 2006.",
        "considerations": "Bange for at »gå ned igen«: start langsomt, ekstra pauser er i "
        "orden. Nedsat hukommelse og koncentration: skriv aftaler ned.",
        "status": "active",
        "mentor": 0,
    },
    {
        "name": "Per Madsen",
        "cpr": "0407054237",
        "district": "Viby J",
        "goal": "Fleksjob i en detailbutik",
        "sub_goals": [
            "Træne faste opgaver i praktikken i detailbutikken",
            "Flytte i egen lejlighed med bostøtte",
            "Transportere sig selv til og fra arbejde",
        ],
        "roles": ["personal_support", "induction_guide"],
        "areas": ["transport", "housing", "internship"],
        "groups": ["cognitive_disability", "youth_without_education"],
        "hours": "4.00",
        "legal_basis": "lab_and_sel85",
        "lab_tasks": "Mentoren støtter fremmøde og opgaver i praktikken og træner busturen.",
        "sel85_tasks": "Bostøtten hjælper med at flytte hjemmefra og klare hverdagen i "
        "lejligheden.",
        "can": ["public_transport_training", "meetings", "logbook"],
        "health": "Lavt kognitivt funktionsniveau (IQ omkring 50); tidligere STU.",
        "considerations": "Forældrene er vigtige og inddrages med Pers accept. Udviklingen "
        "går langsomt: korte, konkrete beskeder.",
        "status": "active",
        "mentor": 13,
    },
    {
        "name": "Bo Christensen",
        "cpr": "2209871235",
        "district": "Brabrand",
        "goal": "Fleksjob på et lager eller i en butik",
        "sub_goals": [
            "Frivilligt arbejde et par timer om ugen",
            "Samtaler med coach om tillid til egen funktionsevne",
            "Starte i praktik på et lager på få timer",
        ],
        "roles": ["motivation", "induction_guide"],
        "areas": ["own_resources", "internship"],
        "groups": ["physical_illness", "pain"],
        "hours": "2.50",
        "consent": False,
        "considerations": "Føler sig presset af jobcentret: start forsigtigt og roligt. "
        "Træthed og hovedpine: korte møder.",
        "status": "submitted",
    },
    {
        "name": "Ibrahim Saleh",
        "cpr": "1506881239",
        "district": "Aarhus V",
        "goal": "Job i bilbranchen, på sigt fleksjob",
        "sub_goals": [
            "Praktik hos et bilklargøringsfirma 2 dage om ugen",
            "Træning og smertehåndtering tæt på bopælen",
            "Bruge sit eget netværk i bilbranchen",
        ],
        "roles": ["system_guide", "induction_guide"],
        "areas": ["decisions", "health_system", "internship"],
        "groups": ["pain", "language_barriers"],
        "languages": ["da", "ku"],
        "gender": "male",
        "hours": "3.00",
        "can": ["meetings", "gp_visits", "logbook"],
        "health": "Piskesmæld og smerter efter et trafikuheld; psykiske eftervirkninger.",
        "considerations": "Kan ikke transportere sig langt pga. smerter: mødes tæt på "
        "bopælen. Må gå hjem fra praktikken på en dårlig dag. Har ønsket førtidspension.",
        "status": "accepted",
    },
    {
        "name": "Ole Pedersen",
        "cpr": "0303721231",
        "district": "Tilst",
        "goal": "Fleksjob som chauffør",
        "sub_goals": [
            "Møde stabilt i praktik 2 dage à 2 timer",
            "Tage kørekort parallelt med praktikken",
            "Ugentlig samtale med sagsbehandleren",
        ],
        "roles": ["motivation", "system_guide"],
        "areas": ["motivation", "retention"],
        "groups": ["pain", "depression_stress"],
        "hours": "2.00",
        "health": "Flere diskusprolapser, smerter i ryg og skuldre, depression.",
        "considerations": "Meget ordblind: læs breve højt, ring frem for at skrive. "
        "Negativ over for forløbet; tal om perspektivet. Uddannet snedker.",
        "status": "paused",
        "mentor": 12,
        "reason": "Ole er sygemeldt efter en ny diskusprolaps.",
    },
    {
        "name": "Rie Andersen",
        "cpr": "1111004234",
        "district": "Aarhus N",
        "goal": "Job med dyr i landbruget, fx som kalvepasser",
        "sub_goals": [
            "Møde op til den psykiatriske behandling",
            "Komme i gang med motion",
            "Starte i praktik hos en landmand 1 dag om ugen",
        ],
        "roles": ["motivation", "system_guide"],
        "areas": ["motivation", "health_system"],
        "groups": ["depression_stress", "physical_illness"],
        "gender": "female",
        "hours": "3.00",
        "legal_basis": "lab_and_sel85",
        "lab_tasks": "Mentoren holder fokus på arbejdsmarkedet og de aftalte indsatser.",
        "sel85_tasks": "Bostøtten hjælper med at få hverdagen til at hænge sammen.",
        "health": "Svær psykisk lidelse og en spiseforstyrrelse; i psykiatrisk behandling.",
        "considerations": "Skal have sikkerhed for at kunne stoppe praktikken, hvis hun får "
        "det værre. Uddannet frisør.",
        "status": "submitted",
    },
    {
        "name": "Esben Lund",
        "cpr": "2508871233",
        "district": "Aarhus V",
        "goal": "Undervisning inden for motor- og teknikområdet",
        "sub_goals": [
            "Skånsom praktik 1-2 timer om ugen på et værksted",
            "Stabilt fremmøde i praktikken",
            "Afklare grundforløbet på teknisk skole",
        ],
        "roles": ["induction_guide", "motivation"],
        "areas": ["internship", "education_start"],
        "groups": ["personality_disorder", "depression_stress"],
        "hours": "2.00",
        "health": "Svær personlighedsforstyrrelse; dobbeltsyn.",
        "considerations": "Skånehensyn: ingen støj eller uro, ingen deadlines, én opgave ad "
        "gangen.",
        "status": "returned",
        "reason": "Skriv hvor mange timer praktikken starter med, og hvornår der følges op.",
    },
    {
        "name": "Tove Jakobsen",
        "cpr": "3001961236",
        "district": "Tilst",
        "goal": "Fleksjob på et stutteri",
        "sub_goals": [
            "Praktik på stutteriet 1-2 dage om ugen",
            "Følge den medicinske behandling og samtaler med egen læge",
            "Etablere sig i egen bolig med bostøtte",
        ],
        "roles": ["personal_support", "induction_guide"],
        "areas": ["daily_structure", "housing", "internship"],
        "groups": ["adhd", "cognitive_disability", "personality_disorder"],
        "hours": "2.00",
        "legal_basis": "lab_and_sel85",
        "lab_tasks": "Mentoren støtter praktikken og sikrer, at Tove ikke overanstrenger sig.",
        "sel85_tasks": "Bostøtten hjælper med at etablere hende i egen bolig.",
        "health": "ADHD, kognitive forstyrrelser og dependent personlighedsstruktur; lændeskade.",
        "considerations": "Overanstrenger sig let: 3 dage om ugen er for meget. Klare aftaler "
        "og lavt timetal.",
        "status": "closed",
        "mentor": 6,
        "reason": "Tove er ansat i fleksjob på stutteriet, 10 timer om ugen.",
        "outcome": "flex_job",
    },
    {
        "name": "Anne Frederiksen",
        "cpr": "1710034234",
        "district": "Aarhus N",
        "goal": "Uddannelse inden for det pædagogiske område (KUU)",
        "sub_goals": [
            "Faste ugentlige aftaler, der stabiliserer hverdagen",
            "Deltage i informationsmøde på daghøjskolen",
            "Starte på forløbet »Det pædagogiske springbræt«",
        ],
        "roles": ["personal_support", "motivation"],
        "areas": ["daily_structure", "own_resources"],
        "groups": ["cognitive_disability", "autism", "youth_without_education"],
        "gender": "female",
        "hours": "4.00",
        "legal_basis": "lab_and_sel85",
        "lab_tasks": "Mentoren støtter vejen mod uddannelse og fremmøde.",
        "sel85_tasks": "Bostøtten støtter hverdagen i egen lejlighed.",
        "health": "Angst, depression og selvskadende tendenser; i medicinsk behandling.",
        "considerations": "Afviser let forslag: lad Anne selv tage initiativ og stil klare "
        "krav. Mange afbrudte forløb bag sig.",
        "status": "active",
        "mentor": 4,
    },
    {
        "name": "Kim Larsen",
        "cpr": "0902901235",
        "district": "Viby J",
        "goal": "Job som elektriker på en mindre arbejdsplads",
        "sub_goals": [
            "Komme op om morgenen og ud af huset",
            "Fortsætte praktikken som pedel på efterskolen",
            "Praktik inden for faget som elektriker",
        ],
        "roles": ["personal_support", "induction_guide"],
        "areas": ["waking_up", "internship"],
        "groups": ["social_anxiety", "physical_illness"],
        "hours": "3.00",
        "consent": False,
        "can": ["waking_scheduling", "meetings", "logbook"],
        "considerations": "Dårlig hørelse: tal tydeligt, undgå støj, brug sms. Ringer ikke "
        "selv ved sygdom: aftal fast kontakt.",
        "status": "accepted",
    },
    {
        "name": "Morten Berg",
        "cpr": "2104981237",
        "district": "Brabrand",
        "goal": "Afklaring af arbejdsevnen med henblik på fleksjob",
        "sub_goals": [
            "Holde struktur i hverdagen med tæt kontakt",
            "Starte forløb i misbrugsbehandlingen",
            "Holde en arbejdsuge på 15 timer stabilt",
        ],
        "roles": ["personal_support", "motivation", "system_guide"],
        "areas": ["daily_structure", "solutions", "professionals"],
        "groups": ["adhd", "substance_abuse"],
        "hours": "5.00",
        "legal_basis": "lab_and_sel85",
        "lab_tasks": "Mentoren træner struktur og fremmøde i arbejdsmarkedsrettede aktiviteter.",
        "sel85_tasks": "Bostøtte fra Voksenhandicap, 1½ time hver 14. dag.",
        "health": "ADHD og misbrug af hash.",
        "considerations": "Har fungeret bedst med en støtteperson med meget intensiv kontakt. "
        "Begrænset netværk.",
        "status": "submitted",
    },
]
NOT_TASKS = ["general_transport", "grant_applications", "work_capacity", "social_network"]

CONTACTS = [
    (
        "Psykiatrisk Akutmodtagelse",
        "Aarhus Universitetshospital",
        "psychiatric_emergency",
        "78 47 00 00",
        "",
        "Døgnåben. Ring før fremmøde.",
    ),
    (
        "Distriktspsykiatrien Aarhus C",
        "Region Midtjylland",
        "district_psychiatry",
        "78 47 10 00",
        "",
        "Hverdage 8-15.",
    ),
    ("Misbrugscenter Aarhus", "Aarhus Kommune", "addiction_centre", "89 40 46 00", "", ""),
    ("Boligsociale medarbejdere", "Gellerup", "housing", "", "bolig@example.dk", ""),
]

CRISIS_PLAN = """Ved akut fare: ring 112.

1. Bevar roen, tal roligt og hold afstand. Gå, hvis du føler dig truet.
2. Ved selvmordstanker: bliv hos borgeren og ring til Psykiatrisk Akutmodtagelse.
3. Kontakt koordinatoren samme dag, også uden for kontortid.
4. Skriv et notat i logbogen og aftal opfølgning med sagsbehandleren."""


def seed_corps(session: Session, users: dict[str, User], progress: Callable[[str], None]) -> None:
    """Add the demo corps: mentors with rates and absences, shared tools and referrals."""
    system = Actor(None, "seed-demo")
    coordinator = Actor(users["coordinator"], "seed-demo")
    caseworker = Actor(users["caseworker"], "seed-demo")
    today = clock.today()
    corps: list[Mentor] = []
    for (
        key,
        name,
        gender,
        year,
        langs,
        background,
        groups,
        roles,
        district,
        hours,
        cases,
        employment,
        presentation,
    ) in MENTORS:
        user = (
            users["mentor"]
            if key == "mentor"
            else accounts.create_user(
                session,
                email=f"{key}@demo.mentorkorps.dk",
                name=name,
                role="mentor",
                password=f"demo-mentor-{secrets.token_hex(8)}",
                actor=system,
            )
        )
        mentor = mentors.create_mentor(
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
        mentors.add_rate(
            session,
            actor=coordinator,
            mentor=mentor,
            valid_from=date(today.year, 1, 1),
            hourly_rate=Decimal(RATES[len(corps)]),
        )
        corps.append(mentor)
    mentors.add_rate(
        session,
        actor=coordinator,
        mentor=corps[3],
        valid_from=date(today.year, 1, 1) + timedelta(days=181),
        hourly_rate=Decimal("410.00"),
    )
    for index, kind, offset, days in [
        (1, "holiday", 7, 12),
        (4, "training", 2, 1),
        (5, "sick", 0, 3),
        (6, "time_off", 15, 2),
        (8, "holiday", 21, 9),
        (10, "training", 9, 2),
        (13, "time_off", 4, 0),
    ]:
        mentors.add_absence(
            session,
            actor=coordinator,
            mentor=corps[index],
            kind=kind,
            start=today + timedelta(days=offset),
            end=today + timedelta(days=offset + days),
        )
    progress(f"{len(corps)} mentorer med satser og fravær oprettet")
    for name, org, category, phone, email, notes in CONTACTS:
        contacts.create_contact(
            session,
            actor=coordinator,
            name=name,
            organisation=org,
            category=category,
            phone=phone,
            email=email,
            notes=notes,
        )
    contacts.save_crisis_plan(session, actor=coordinator, body=CRISIS_PLAN)
    progress("Kontaktliste og kriseplan oprettet")
    for number, case in enumerate(CITIZENS):
        first = case["name"].split()[0].lower()
        consent = case.get("consent", True)
        # Running courses began months ago, so the demo has a history to show.
        underway = case["status"] in ("active", "paused", "closed")
        start = today - timedelta(days=120 + 7 * number if underway else 30 * (number % 4))
        draft = referrals.ReferralDraft(
            citizen={
                "cpr": case["cpr"],
                "name": case["name"],
                "phone": f"2{number:03d}4567",
                "email": f"{first}@example.dk",
                "address": f"Demovej {number + 1}, {case['district']}",
                "district": case["district"],
            },
            job_goal=case["goal"],
            sub_goals=case["sub_goals"],
            focus_roles=case["roles"],
            focus_areas=case["areas"],
            target_groups=case["groups"],
            required_languages=case.get("languages", ["da"]),
            preferred_mentor_gender=case.get("gender"),
            granted_hours_per_week=Decimal(case["hours"]),
            start_date=start,
            end_date=today + timedelta(days=300),
            review_date=today + timedelta(days=90),
            legal_basis=case.get("legal_basis", "lab"),
            lab_tasks=case.get("lab_tasks", ""),
            sel85_tasks=case.get("sel85_tasks", ""),
            tasks_can=case.get("can", ["waking_scheduling", "meetings", "logbook"]),
            tasks_cannot=NOT_TASKS,
            consent_information_exchange=consent,
            health_information=case.get("health", "") if consent else "",
            considerations=case["considerations"],
        )
        referral = referrals.create_referral(session, actor=caseworker, draft=draft)

        def move(to: str, referral=referral, **kw) -> None:
            referrals.transition(session, referral=referral, to_status=to, actor=coordinator, **kw)

        status = case["status"]
        if status == "returned":
            move("returned", reason=case["reason"])
        elif status != "submitted":
            move("accepted")
        if status in ("active", "paused", "closed"):
            referral.mentor_id = corps[case["mentor"]].id
            move("active")
        if status == "paused":
            move("paused", reason=case["reason"])
        if status == "closed":
            move("closed", reason=case["reason"], outcome=case["outcome"])
        if underway:  # as if referred and matched when the course began
            referral.submitted_at = datetime.combine(start - timedelta(days=9), time(9), UTC)
            referral.assigned_at = datetime.combine(start, time(10), UTC)
            session.add(referral)
    progress(f"{len(CITIZENS)} henvisninger oprettet")

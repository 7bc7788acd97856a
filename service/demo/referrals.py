"""Demo referrals: the seed cases' citizens, each moved to its status."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from reports.core.danish import local_midnight
from service.audit.service import Actor
from service.core import clock
from service.core.clock import utcnow
from service.core.workdays import is_working_day, working_days_between
from service.corps.models import Mentor, Referral
from service.corps.referral_drafts import ReferralDraft
from service.corps.referral_workflow import transition
from service.corps.referrals import create_referral

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
        "waited": 7,
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
        "waited": 15,
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
        "waited": 3,
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
        "waited": 11,
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
        "waited": 0,
    },
]
NOT_TASKS = ["general_transport", "grant_applications", "work_capacity", "social_network"]

UNDERWAY = ("active", "paused", "closed")
MORNING = timedelta(hours=9)
# Waiting cases ("waited": working days in the inbox, 0–15) were submitted on the working
# day that many working days before today, so the inbox shows ages, not a row of zeros.


def seed_referrals(
    session: Session, caseworker: Actor, coordinator: Actor, corps: list[Mentor]
) -> None:
    """Refer every demo citizen and move the referral to the case's status."""
    for number, case in enumerate(CITIZENS):
        start = _start(number, case)
        draft = _draft(number, case, start)
        referral = create_referral(session, actor=caseworker, draft=draft)
        _advance(session, referral, case, coordinator, corps)
        if case["status"] in UNDERWAY:  # as if referred and matched when the course began
            referral.submitted_at = datetime.combine(start - timedelta(days=9), time(9), UTC)
            referral.assigned_at = datetime.combine(start, time(10), UTC)
            session.add(referral)
        if "waited" in case:
            moment = min(utcnow(), local_midnight(submitted_on(case["waited"])) + MORNING)
            referral.submitted_at = referral.created_at = moment
            session.add(referral)
    session.flush()


def submitted_on(waited: int) -> date:
    """The working day `waited` working days before today (today when 0)."""
    today = clock.today()
    day = today
    while working_days_between(day, today) < waited or not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _start(number: int, case: dict[str, Any]) -> date:
    """Running courses began months ago, so the demo has a history to show."""
    underway = case["status"] in UNDERWAY
    return clock.today() - timedelta(days=120 + 7 * number if underway else 30 * (number % 4))


def _draft(number: int, case: dict[str, Any], start: date) -> ReferralDraft:
    today = clock.today()
    first = case["name"].split()[0].lower()
    consent = case.get("consent", True)
    return ReferralDraft(
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


def _advance(
    session: Session,
    referral: Referral,
    case: dict[str, Any],
    coordinator: Actor,
    corps: list[Mentor],
) -> None:
    """Walk the referral through the legal transitions to the case's status."""

    def move(to: str, **kw: Any) -> None:
        transition(session, referral=referral, to_status=to, actor=coordinator, **kw)

    status = case["status"]
    if status == "returned":
        move("returned", reason=case["reason"])
    elif status != "submitted":
        move("accepted")
    if status in UNDERWAY:
        referral.mentor_id = corps[case["mentor"]].id
        move("active")
    if status == "paused":
        move("paused", reason=case["reason"])
    if status == "closed":
        move("closed", reason=case["reason"], outcome=case["outcome"])

"""The corps' fixed vocabularies (contract values) with their Danish labels."""

from matching.labels import LANGUAGES as MATCHING_LANGUAGES

GENDERS = {"female": "Kvinde", "male": "Mand", "other": "Andet"}

EMPLOYMENT = {"full_time": "Fuldtid", "part_time": "Deltid"}

BACKGROUND_AREAS = {
    "health": "Sundhed",
    "social": "Socialområdet",
    "social_psychiatry": "Socialpsykiatri",
    "substance_abuse": "Misbrug",
    "special_school": "Specialskole",
    "disability": "Handicap",
    "criminal_justice": "Kriminalforsorgen",
    "psychiatry": "Psykiatri",
    "education": "Uddannelse",
    "business": "Erhverv",
}

TARGET_GROUPS = {
    "social_anxiety": "Social angst",
    "adhd": "ADHD",
    "autism": "Autisme",
    "cognitive_disability": "Kognitive vanskeligheder",
    "pain": "Smerter",
    "physical_illness": "Fysisk sygdom",
    "depression_stress": "Depression og stress",
    "psychosis": "Psykose",
    "personality_disorder": "Personlighedsforstyrrelse",
    "trauma": "Traumer",
    "substance_abuse": "Misbrug",
    "youth_without_education": "Unge uden uddannelse",
    "language_barriers": "Sprogbarrierer",
}

# The four mentor roles (handbook p. 10) and their sub-areas.
ROLES = {
    "personal_support": "Personlig guide og støtte",
    "motivation": "Motiverende samarbejdspartner",
    "system_guide": "Systemguide",
    "induction_guide": "Indslusningsguide",
}

ROLE_AREAS = {
    "personal_support": {
        "housing": "Bolig",
        "finances": "Økonomi",
        "transport": "Transport",
        "daily_structure": "Struktur i hverdagen",
        "waking_up": "Vækning og fremmøde",
    },
    "motivation": {
        "motivation": "Motivation",
        "own_resources": "Brug af egne ressourcer",
        "action_plans": "Handleplaner",
        "solutions": "Finde løsninger",
    },
    "system_guide": {
        "professionals": "Kontakt til andre fagpersoner",
        "health_system": "Sundhedsvæsen og psykiatri",
        "decisions": "Forklare afgørelser",
        "rights_duties": "Rettigheder og pligter",
        "retention": "Fastholdelse i forløbets aktiviteter",
    },
    "induction_guide": {
        "education_start": "Opstart på uddannelse",
        "internship": "Praktik",
        "job_start": "Opstart i job",
    },
}

# One list of languages for the whole app; the matching engine explains itself with it.
LANGUAGES = MATCHING_LANGUAGES

ABSENCE_KINDS = {
    "holiday": "Ferie",
    "time_off": "Afspadsering",
    "sick": "Sygdom",
    "training": "Uddannelse",
}

LEGAL_BASES = {
    "lab": "Lov om en aktiv beskæftigelsesindsats (LAB)",
    "lab_and_sel85": "LAB og serviceloven § 85",
}

# Handbook p. 13: what the mentor's task can and cannot be.
TASKS_CAN = {
    "waking_scheduling": "Vækning og planlægning af dagen",
    "public_transport_training": "Træning i offentlig transport",
    "gp_visits": "Hjælp ved besøg hos egen læge",
    "meetings": "Deltage i møder med borgeren",
    "logbook": "Føre logbog sammen med borgeren",
    "structure": "Hjælp til struktur og overblik",
}
TASKS_CANNOT = {
    "general_transport": "Almindelig transport (kørselsordning)",
    "grant_applications": "Søge ydelser på borgerens vegne",
    "work_capacity": "Vurdere arbejdsevne",
    "social_network": "Være borgerens sociale netværk",
    "treatment": "Behandling",
}

STATUSES = {
    "submitted": "Modtaget",
    "accepted": "Godkendt",
    "returned": "Sendt retur",
    "active": "Aktiv",
    "paused": "Sat på pause",
    "closed": "Afsluttet",
}

OUTCOMES = {
    "job": "Job",
    "flex_job": "Fleksjob",
    "education": "Uddannelse",
    "other_course": "Andet forløb",
    "no_longer_needed": "Støtten er ikke længere nødvendig",
    "no_effect": "Ingen effekt",
    "citizen_withdrew": "Borgeren trak sig",
    "moved": "Fraflyttet",
    "other": "Andet",
}

CONTACT_CATEGORIES = {
    "psychiatric_emergency": "Psykiatrisk akutmodtagelse",
    "district_psychiatry": "Distriktspsykiatri",
    "social_centre": "Socialcenter",
    "addiction_centre": "Misbrugscenter",
    "housing": "Bolig",
    "health": "Sundhed",
    "police": "Politi",
    "other": "Andet",
}

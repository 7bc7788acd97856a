"""Citizens, mentors and referrals: the contract's codes and their Danish labels."""

GENDERS = {"female": "Kvinde", "male": "Mand", "other": "Andet"}

EMPLOYMENT = {"full_time": "Fuldtid", "part_time": "Deltid"}

# A mentor's professional background (handbook p. 21).
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

# The mentor's four roles, in the handbook's words (p. 10: "Generelt set består mentorens
# rolle i: at være personlig vejleder og støtte, en motiverende partner, systemguide,
# indslusningsguide på uddannelse eller arbejdsplads").
FOCUS_ROLES = {
    "personal_support": "Personlig vejleder og støtte",
    "motivation": "Motiverende partner",
    "system_guide": "Systemguide",
    "induction_guide": "Indslusningsguide",
}

# Each role's sub-areas (the referral's focus areas).
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

# Language names are lower-case in Danish, in a list as in a sentence.
LANGUAGES = {
    "da": "dansk",
    "en": "engelsk",
    "ar": "arabisk",
    "ku": "kurdisk",
    "tr": "tyrkisk",
    "so": "somali",
    "ur": "urdu",
    "fa": "persisk",
    "pl": "polsk",
    "de": "tysk",
    "uk": "ukrainsk",
    "ru": "russisk",
    "ro": "rumænsk",
    "lt": "litauisk",
    "sv": "svensk",
    "no": "norsk",
    "fr": "fransk",
    "es": "spansk",
    "it": "italiensk",
    "pt": "portugisisk",
    "bs": "bosnisk",
    "sr": "serbisk",
    "hr": "kroatisk",
    "sq": "albansk",
    "ti": "tigrinya",
    "ps": "pashto",
    "vi": "vietnamesisk",
    "ta": "tamil",
    "th": "thai",
    "zh": "kinesisk",
}

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

REFERRAL_STATUSES = {
    "submitted": "Modtaget",
    "accepted": "Godkendt",
    "returned": "Sendt retur",
    "active": "Aktiv",
    "paused": "Sat på pause",
    "closed": "Afsluttet",
}

# The referral's actions (buttons) that move it to another status.
REFERRAL_ACTIONS = {
    "accept": "Godkend",
    "return": "Send retur",
    "resubmit": "Send igen",
    "pause": "Sæt på pause",
    "resume": "Genoptag",
    "close": "Afslut",
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

# What the matching engine weighs (matching.weights.CRITERIA).
MATCHING_CRITERIA = {
    "target_groups": "Erfaring med målgruppen",
    "focus_roles": "Mentorroller",
    "background": "Faglig baggrund",
    "gender": "Køn",
    "district": "Distrikt",
    "continuity": "Kontinuitet",
    "balance": "Ledig kapacitet",
}

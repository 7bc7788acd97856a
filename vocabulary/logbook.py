"""The logbook and time registration: the contract's codes and their Danish labels."""

ENTRY_KINDS = {
    "conversation": "Samtale",
    "meeting": "Møde",
    "three_party_meeting": "Trepartsmøde",
    "phone": "Telefon",
    "accompaniment": "Ledsagelse",
    "other": "Andet",
}

# The handbook's observations (p. 15).
OBSERVATIONS = {
    "social_anxiety_support": "Behov for støtte ved social angst",
    "health_relapse": "Helbredsmæssigt tilbagefald",
    "health_progress": "Helbredsmæssig fremgang",
    "lost_overview": "Har mistet overblikket over forløbet",
    "misunderstood_activity": "Har misforstået formålet med en aktivitet",
    "not_following_treatment": "Følger ikke behandling eller medicin",
    "increased_motivation": "Øget motivation og parathed",
}

# Progress on a sub-goal, as the mentor marks it.
PROGRESS = {1: "Fremskridt", 0: "Uændret", -1: "Tilbageskridt"}

# The handbook's split of the mentor's time (p. 19), in its words.
TIME_CATEGORIES = {
    "citizen_contact": "Personlig kontakt og samtale med borgeren",
    "professional_dialogue": "Opfølgning, dialog og undersøgelse med andre fagprofessionelle",
    "transport_with_citizen": "Transport med borgeren",
    "administration": "Administration og registrering",
    "own_transport": "Egen transport",
}

# The same categories where a column is narrow (the week grid).
TIME_CATEGORIES_SHORT = {
    "citizen_contact": "Kontakt",
    "professional_dialogue": "Fagpersoner",
    "transport_with_citizen": "Transport m. borger",
    "administration": "Administration",
    "own_transport": "Egen transport",
}

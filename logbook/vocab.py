"""The logbook's and time registration's fixed vocabularies (contract values, Danish labels)."""

KINDS = {
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

# Observations the caseworker must notice: they stand out on every page.
NEEDS_CASEWORKER = frozenset({"health_relapse", "not_following_treatment", "lost_overview"})

PROGRESS = {-1: "Tilbageskridt", 0: "Uændret", 1: "Fremskridt"}

CATEGORIES = {
    "citizen_contact": "Kontakt og samtale med borgeren",
    "professional_dialogue": "Dialog med fagpersoner",
    "transport_with_citizen": "Transport med borgeren",
    "administration": "Administration og registrering",
    "own_transport": "Egen transport",
}

CATEGORY_SHORT = {
    "citizen_contact": "Kontakt",
    "professional_dialogue": "Fagpersoner",
    "transport_with_citizen": "Transport m. borger",
    "administration": "Administration",
    "own_transport": "Egen transport",
}

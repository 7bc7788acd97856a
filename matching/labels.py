"""Danish names for the codes matching explains itself with."""

from collections.abc import Iterable
from decimal import Decimal

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

TARGET_GROUPS = {
    "social_anxiety": "social angst",
    "adhd": "ADHD",
    "autism": "autisme",
    "cognitive_disability": "kognitive vanskeligheder",
    "pain": "smerter",
    "physical_illness": "fysisk sygdom",
    "depression_stress": "depression og stress",
    "psychosis": "psykose",
    "personality_disorder": "personlighedsforstyrrelse",
    "trauma": "traumer",
    "substance_abuse": "misbrug",
    "youth_without_education": "unge uden uddannelse",
    "language_barriers": "sprogbarrierer",
}

ROLES = {
    "personal_support": "personlig vejleder og støtte",
    "motivation": "motiverende partner",
    "system_guide": "systemguide",
    "induction_guide": "indslusningsguide",
}

BACKGROUND_AREAS = {
    "health": "sundhed",
    "social": "socialområdet",
    "social_psychiatry": "socialpsykiatri",
    "substance_abuse": "misbrugsbehandling",
    "special_school": "specialskole",
    "disability": "handicapområdet",
    "criminal_justice": "kriminalforsorgen",
    "psychiatry": "psykiatri",
    "education": "uddannelse",
    "business": "erhverv",
}


def named(codes: Iterable[str], names: dict[str, str]) -> str:
    """Join codes as Danish names in code order: 'a', 'a og b', 'a, b og c'."""
    words = [names.get(code, code) for code in sorted(codes)]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " og " + words[-1]


def hours(value: Decimal) -> str:
    """Format hours the Danish way without trailing zeros: 12,5 or 10."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")

"""Danish names for the codes matching explains itself with (labels live in `vocabulary`)."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from vocabulary import corps, in_sentence

LANGUAGES = corps.LANGUAGES
TARGET_GROUPS = corps.TARGET_GROUPS
ROLES = corps.FOCUS_ROLES
BACKGROUND_AREAS = corps.BACKGROUND_AREAS


def named(codes: Iterable[str], names: Mapping[str, str]) -> str:
    """Join codes as Danish names in code order, as inside a sentence: 'a, b og c'."""
    words = [in_sentence(names.get(code, code)) for code in sorted(codes)]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " og " + words[-1]


def hours(value: Decimal) -> str:
    """Format hours the Danish way without trailing zeros: 12,5 or 10."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")

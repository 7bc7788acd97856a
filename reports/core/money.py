"""Money, hours and time categories: exact Decimal arithmetic, rounded half-up."""

from decimal import ROUND_HALF_UP, Decimal

from vocabulary.logbook import TIME_CATEGORIES

CATEGORY_LABELS = TIME_CATEGORIES  # the one Danish name of each category
CATEGORIES = tuple(TIME_CATEGORIES)
# The executive order excludes the mentor's own transport time; no rule may refund it.
NEVER_REFUNDABLE = frozenset({"own_transport"})


def half_up(value: Decimal | int, places: int = 2) -> Decimal:
    """Round a Decimal half away from zero to `places` decimals."""
    # A float has already lost the digits (2.675 is 2.67499…), so refuse it.
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"half_up needs a Decimal or int, got {type(value).__name__}")
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def as_int(value: int | Decimal, what: str) -> int:
    """An int, or an integral Decimal (PostgreSQL's SUM(bigint) is numeric); nothing else."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a whole number, got {value!r}")
    return value


def _div_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero, exact for any size."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def _hundredths(value: int) -> Decimal:
    """An integer count of hundredths as a Decimal with exactly two places."""
    return Decimal(value).scaleb(-2)


def hours_from_minutes(minutes: int) -> Decimal:
    """Minutes as hours with two decimals, half-up (630 → 10.50, 1 → 0.02)."""
    return _hundredths(_div_half_up(as_int(minutes, "minutes") * 100, 60))


def cost_from_minute_ore(total: int) -> Decimal:
    """Σ minutes × øre-per-hour as DKK, rounded half-up once (÷ 60 ÷ 100)."""
    # Integer arithmetic: the only rounding is the single half-up at the øre.
    return _hundredths(_div_half_up(as_int(total, "minute-øre total"), 60))


def ore_to_kr(ore: int) -> Decimal:
    """Integer øre as DKK with two decimals."""
    return _hundredths(as_int(ore, "øre"))


def fmt2(value: Decimal) -> str:
    """Contract decimal string with exactly two decimals ("1234.50")."""
    rounded = half_up(value)
    if rounded != value:
        # Contract values are rounded once, per row; silent re-rounding would hide a bug.
        raise ValueError(f"{value} has more than two decimals")
    return format(rounded.copy_abs() if rounded == 0 else rounded, "f")


def fmt_rate(rate: Decimal) -> str:
    """A refund rate as a decimal string, at least two decimals ("0.50", "0.425")."""
    if half_up(rate) == rate:
        return fmt2(rate)
    return format(rate.normalize(), "f")

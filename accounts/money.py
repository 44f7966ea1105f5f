"""How an amount of money reads, everywhere: pages, emails, the admin and Python code.

One spec names the currency and, after a slash, what the amount is paid for:

    format_money(Decimal("25"), "USD/hour")        -> "USD 25 an hour"
    format_money(Decimal("450000"), "PKR/month")   -> "PKR 450,000 a month"
    format_money(Decimal("1234.5"), "USD")         -> "USD 1,234.50"

Templates use the same function as the ``money`` filter (``{% load money %}``):
``{{ profile.hourly_rate_usd|money:"USD/hour" }}``.

Whole amounts show no decimals, other amounts two (rounded half up to the cent);
thousands are separated by commas whatever the locale. A missing amount (None or
an empty string) reads as an empty string, so a template can add its own words:
``{{ rate|money:"USD/hour"|default:"Not stated" }}``. A negative amount keeps its
minus sign in front ("-USD 500"); nothing here ever hides a sign.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CURRENCIES = ("PKR", "USD")

# What follows the amount for each unit. A fixed price (a contract's total, a
# milestone) is the amount alone, like a spec without a unit.
UNITS = {
    "fixed": "",
    "hour": " an hour",
    "week": " a week",
    "month": " a month",
}

_CENT = Decimal("0.01")


def _parse(spec: str) -> tuple[str, str]:
    currency, slash, unit = spec.partition("/")
    if currency not in CURRENCIES:
        raise ValueError(f"Unknown currency {currency!r} in money spec {spec!r}")
    if not slash:
        return currency, ""
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r} in money spec {spec!r}")
    return currency, UNITS[unit]


def _decimal(amount: Decimal | int | float | str) -> Decimal:
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, bool):
        raise TypeError("A money amount cannot be a bool")
    else:
        # str() first: a float becomes the decimal it prints as (0.1 -> "0.1"),
        # not its binary expansion.
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            raise ValueError(f"Not an amount of money: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"Not an amount of money: {amount!r}")
    return value


def format_number(amount: Decimal | int | float | str) -> str:
    """The number alone: "450,000", "1,234.50", "-12"."""
    value = _decimal(amount)
    # Enough precision for any amount: the default context (28 digits) would
    # refuse to quantize very large values.
    context = Context(prec=max(value.adjusted(), 0) + 4)
    cents = value.quantize(_CENT, rounding=ROUND_HALF_UP, context=context)
    if cents == cents.to_integral_value():
        cents = cents.quantize(Decimal(1), context=context)
    if cents == 0:
        cents = abs(cents)  # never "-0"
    return format(cents, ",f")


def format_money(amount: Decimal | int | float | str | None, spec: str) -> str:
    """``amount`` in the currency and unit of ``spec`` ("USD/hour", "PKR/month", "PKR")."""
    currency, suffix = _parse(spec)
    if amount is None or amount == "":
        return ""
    number = format_number(amount)
    sign = ""
    if number.startswith("-"):
        sign, number = "-", number[1:]
    return f"{sign}{currency} {number}{suffix}"

"""Amounts of money read one way: the function behind the ``money`` template filter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from accounts.money import format_money


@pytest.mark.parametrize(
    ("amount", "spec", "shown"),
    [
        (Decimal("25"), "USD/hour", "USD 25 an hour"),
        (Decimal("35.00"), "USD/hour", "USD 35 an hour"),
        (Decimal("450000"), "PKR/month", "PKR 450,000 a month"),
        (Decimal("450000.00"), "PKR/month", "PKR 450,000 a month"),
        (Decimal("1200"), "USD/week", "USD 1,200 a week"),
        (Decimal("5000"), "USD/fixed", "USD 5,000"),
        (Decimal("5000"), "PKR", "PKR 5,000"),
        (Decimal("999"), "USD", "USD 999"),
        (Decimal("0"), "USD/hour", "USD 0 an hour"),
    ],
)
def test_it_shows_the_currency_amount_and_unit_in_words(
    amount: Decimal, spec: str, shown: str
) -> None:
    assert format_money(amount, spec) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234.5"), "USD 1,234.50"),
        (Decimal("0.1"), "USD 0.10"),
        (Decimal("22.75"), "USD 22.75"),
        (Decimal("22.755"), "USD 22.76"),  # half a cent rounds up, as people expect
        (Decimal("22.745"), "USD 22.75"),  # not to the even cent
        (Decimal("24.999"), "USD 25"),  # a whole amount after rounding has no ".00"
        (Decimal("7E+3"), "USD 7,000"),
    ],
)
def test_it_shows_two_decimals_only_when_the_amount_has_cents(amount: Decimal, shown: str) -> None:
    assert format_money(amount, "USD") == shown


def test_a_float_is_shown_as_it_prints_not_as_its_binary_expansion() -> None:
    assert format_money(0.1 + 0.2, "USD") == "USD 0.30"
    assert format_money(2.675, "USD") == "USD 2.68"  # the float is 2.67499999…
    assert format_money(30, "USD/hour") == "USD 30 an hour"


def test_huge_amounts_keep_every_digit_and_separator() -> None:
    assert format_money(Decimal("1E+30"), "PKR") == "PKR 1" + ",000" * 10
    assert (
        format_money(Decimal("123456789012345678901234567890.555"), "USD")
        == "USD 123,456,789,012,345,678,901,234,567,890.56"
    )


def test_a_negative_amount_keeps_its_minus_sign_in_front() -> None:
    assert format_money(Decimal("-500"), "USD") == "-USD 500"
    assert format_money(Decimal("-1234.5"), "PKR/month") == "-PKR 1,234.50 a month"
    assert format_money(Decimal("-0.001"), "USD") == "USD 0"  # no "-0"


def test_a_missing_amount_is_an_empty_string() -> None:
    assert format_money(None, "USD/hour") == ""
    assert format_money("", "PKR/month") == ""


@pytest.mark.parametrize("spec", ["EUR", "usd/hour", "USD/day", "USD/", "", "/hour"])
def test_an_unknown_currency_or_unit_is_a_programming_error(spec: str) -> None:
    with pytest.raises(ValueError, match="money spec"):
        format_money(Decimal("1"), spec)


@pytest.mark.parametrize("amount", ["ten", Decimal("NaN"), Decimal("Infinity"), float("inf")])
def test_what_is_not_an_amount_is_refused(amount: object) -> None:
    with pytest.raises(ValueError, match="Not an amount"):
        format_money(amount, "USD")  # type: ignore[arg-type]


def render(source: str, **context: object) -> str:
    return Template("{% load money %}" + source).render(Context(context))


def test_the_template_filter_reads_like_the_function() -> None:
    assert render('{{ rate|money:"USD/hour" }}', rate=Decimal("35.00")) == "USD 35 an hour"
    assert render('{{ rate|money:"PKR/month" }}', rate=Decimal("450000")) == "PKR 450,000 a month"
    assert render('{{ total|money:"PKR" }}', total=Decimal("1500.5")) == "PKR 1,500.50"


def test_a_template_says_what_it_likes_for_a_missing_amount() -> None:
    shown = render('{{ rate|money:"USD/hour"|default:"Not stated" }}', rate=None)

    assert shown == "Not stated"

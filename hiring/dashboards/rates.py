"""Accepted contract rates for a brief's rate chart (searches.stats), beside listed rates.

searches does not import hiring: it asks searches.registry, where hiring registers
``accepted_rates``. The chart is in USD per hour, as listed rates are compared
(candidates.models.comparable_rate): an hourly rate as it is, PKR converted at
settings.PKR_PER_USD, a monthly rate divided by settings.HOURS_PER_MONTH. A fixed
price says nothing about an hourly rate and is left out. The rate is the version in
force's (the last one both sides accepted) of every contract that started.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, DecimalField, F, Q, QuerySet, Value, When
from django.db.models.functions import Round

from candidates.models import Profile
from hiring.dashboards.selectors import STARTED
from hiring.models import Contract, ContractEngagement

HOURLY, MONTHLY = ContractEngagement.HOURLY, ContractEngagement.MONTHLY


def usd_per_hour() -> Case:
    """The version in force's rate in USD per hour, as SQL (NULL for a fixed price)."""
    per_usd = Decimal(settings.PKR_PER_USD)
    per_month = Decimal(settings.HOURS_PER_MONTH)
    rate = F("current__rate")
    out = DecimalField(max_digits=14, decimal_places=6)

    def when(engagement: str, currency: str, divisor: Decimal) -> When:
        q = Q(current__engagement=engagement, current__currency=currency)
        return When(q, then=rate / Value(divisor, output_field=out))

    return Case(
        when(HOURLY, "USD", Decimal(1)),
        when(HOURLY, "PKR", per_usd),
        when(MONTHLY, "USD", per_month),
        when(MONTHLY, "PKR", per_usd * per_month),
        default=None,
        output_field=out,
    )


def accepted_rates(peers: QuerySet[Profile], *, series: str) -> QuerySet[Any]:
    """Rows of (``series``, USD per hour) for the started hourly and monthly contracts
    of ``peers``, newest first: searches reads them in the same query as listed rates."""
    return (
        Contract.objects.filter(
            status__in=STARTED,
            profile__in=peers,
            current__engagement__in=(HOURLY, MONTHLY),
            current__currency__in=("USD", "PKR"),
        )
        .annotate(
            series=Value(series),
            usd_hour=Round(
                usd_per_hour(), 2, output_field=DecimalField(max_digits=12, decimal_places=2)
            ),
        )
        .order_by("-started_at", "-pk")
        .values_list("series", "usd_hour")
    )

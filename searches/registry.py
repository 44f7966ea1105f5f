"""Hooks through which a higher app adds to what searches shows, without searches
importing it (apps build on each other: accounts → candidates → searches → screening →
hiring).

- Accepted rates: a brief's rate chart (searches.stats) shows, beside the rates
  engineers list, the rates engineers like them accepted on contracts. hiring
  registers ``provider(peers, *, series)``: given the comparable engineers (a Profile
  queryset), a queryset of rows ``(series, rate in USD per hour)``, newest first.
  searches reads every provider's rows in the same query as the listed rates (a
  UNION ALL), so the chart costs no query more.

Apps register in their ``AppConfig.ready``; registering the same name again replaces
the earlier entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

AcceptedRates = Callable[..., QuerySet[Any]]

_accepted_rates: dict[str, AcceptedRates] = {}


def accepted_rates_register(name: str, provider: AcceptedRates) -> None:
    _accepted_rates[name] = provider


def accepted_rates_providers() -> list[AcceptedRates]:
    return list(_accepted_rates.values())

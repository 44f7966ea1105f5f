"""Query counts pinned with fixed numbers: the contract page with this panel costs the same
with one milestone and no payment as with five milestones and many payments, for both
sides; the panel alone costs three queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from candidates.models import Profile
from hiring.milestones import services
from hiring.milestones.selectors import contract_panel
from hiring.models import Contract, Payment, Side
from searches.models import Brief
from tests.conftest import AssertQueries
from tests.milestones.conftest import NOTE, make_contract, page

#: The whole contract page of an active contract with milestones and payments (every
#: part's panel and the timeline; tests/contracts/test_query_counts.py lists them), the
#: same with 1 milestone and no payments as with 5 milestones and 5 payments.
CONTRACT_PAGE = {"company": 19, "engineer": 18}
PANEL = 3


def busy(brief: Brief, profile: Profile, owner: User, engineer: User, n: int) -> Contract:
    """A contract with ``n`` milestones, each in another state, and payments."""
    contract = make_contract(
        brief,
        profile,
        owner,
        milestones=n,
        invoice_cadence="weekly",
        start_on=timezone.localdate() - timedelta(days=40),
    )
    keys = list(contract.current.milestones.order_by("position").values_list("key", flat=True))
    for i, key in enumerate(keys[1:], start=1):
        services.milestone_submit(contract=contract, user=engineer, key=key, note=NOTE)
        if i % 3 == 1:
            services.milestone_accept(contract=contract, user=owner, key=key)
        elif i % 3 == 2:
            services.milestone_changes(contract=contract, user=owner, key=key, note="Redo")
    services.milestone_sweep()
    for payment in Payment.objects.filter(contract=contract)[:2]:
        services.payment_paid(contract=contract, user=owner, payment_id=payment.pk, note="T-1")
    return contract


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 5])
@pytest.mark.parametrize("side", ["company", "engineer"])
def test_the_contract_page(
    client: Client,
    brief: Brief,
    profile: Profile,
    owner: User,
    engineer: User,
    assert_queries: AssertQueries,
    n: int,
    side: str,
) -> None:
    contract = busy(brief, profile, owner, engineer, n)
    if n > 1:
        assert Payment.objects.filter(contract=contract).count() >= 5
    client.force_login(owner if side == "company" else engineer)

    with assert_queries(CONTRACT_PAGE[side]):
        response = client.get(page(contract))

    assert response.status_code == 200
    assert len(response.context["milestones_panel"].rows) == n


@pytest.mark.django_db
@pytest.mark.parametrize("n", [0, 6])
def test_the_panel_alone(
    brief: Brief,
    profile: Profile,
    owner: User,
    engineer: User,
    assert_queries: AssertQueries,
    n: int,
) -> None:
    contract = make_contract(
        brief,
        profile,
        owner,
        milestones=n,
        engagement="monthly",
        rate=Decimal("1000"),
        invoice_cadence="monthly",
        start_on=date.today() - timedelta(days=120),
    )
    services.milestone_sweep()
    loaded = Contract.objects.select_related("company", "profile__user", "current").get()

    with assert_queries(PANEL):
        panel = contract_panel(contract=loaded, side=Side.COMPANY, user=owner)

    assert len(panel["milestones_panel"].rows) == n
    assert len(panel["milestones_panel"].payments) >= 3
    assert contract.pk == loaded.pk

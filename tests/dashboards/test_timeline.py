"""The contract page's timeline: one list of what happened, newest first, in each
viewer's own time zone; the contract page stays closed to everyone else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates.models import Profile
from hiring.contracts.terms import version_copy, version_freeze
from hiring.dashboards.selectors import contract_panel
from hiring.models import (
    ChangeOrder,
    CheckIn,
    Contract,
    ContractVersion,
    MilestoneWork,
    VersionAcceptance,
)
from tests.dashboards.conftest import contract_with, milestones, payment, work
from tests.factories import EngineerFactory, ProfileFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday; 15:00 in Karachi, 05:00 in New York


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


@pytest.fixture
def lived(owner: User, dash_profile: Profile) -> Contract:
    """A contract with one of everything, each at a known time."""
    contract = contract_with(owner, dash_profile, started_at=at(hours=2))
    version = contract.current
    assert version is not None
    ContractVersion.objects.filter(pk=version.pk).update(sent_at=at())
    VersionAcceptance.objects.filter(version=version, side="company").update(at=at(hours=1))
    VersionAcceptance.objects.filter(version=version, side="engineer").update(at=at(hours=2))
    CheckIn.objects.create(
        contract=contract,
        week_of=at(days=0).date(),
        due_at=at(days=4),
        sent_at=at(days=4),
        status=CheckIn.Status.ANSWERED,
        answered_at=at(days=4, hours=3),
        health=CheckIn.Health.ON_TRACK,
        hours=Decimal("20"),
        company_answered_at=at(days=5),
    )
    proposal = version_freeze(version_copy(version, by=contract.profile.user), number=None)
    ChangeOrder.objects.create(
        contract=contract,
        base=version,
        proposal=proposal,
        side="engineer",
        proposed_by=contract.profile.user,
        proposed_at=at(days=6),
        note="Add a reconciliation report.",
        status=ChangeOrder.Status.ACCEPTED,
        answered_by=owner,
        answered_at=at(days=7),
    )
    ContractVersion.objects.filter(pk=proposal.pk).update(number=2)
    first = milestones(contract)[0]
    work(
        contract,
        first,
        MilestoneWork.Status.ACCEPTED,
        submitted_at=at(days=10),
        submit_note="Deployed to staging.",
        answered_at=at(days=11),
        answered_by=owner,
    )
    payment(
        contract,
        "Milestone 1",
        at(days=25).date(),
        paid_at=at(days=12),
        paid_by=owner,
        confirmed_at=at(days=13),
        confirmed_by=contract.profile.user,
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.ENDED,
        end_side="company",
        end_by=owner,
        end_reason="The project is done.",
        end_requested_at=at(days=20),
        ends_on=at(days=34).date(),
        ended_at=at(days=34),
    )
    contract.refresh_from_db()
    return contract


def test_the_timeline_lists_everything_newest_first(lived: Contract, owner: User) -> None:
    company = lived.company.name
    events = contract_panel(contract=lived, side="company", user=owner)["timeline_events"]

    assert [e.title for e in events] == [
        "The contract ended",
        f"{company} gave notice: the contract ends on 5 April 2026",
        "Sana Javed confirmed receiving “Milestone 1” (USD 3,000)",
        "Owner Person marked “Milestone 1” (USD 3,000) paid",
        "Owner Person accepted milestone “Milestone 1”",
        "Sana Javed submitted milestone “Milestone 1”",
        "Owner Person accepted the change order: version 2 is in force",
        "Sana Javed proposed a change order",
        f"{company} answered its side of the check-in for the week of 2 Mar 2026",
        "Sana Javed answered the check-in for the week of 2 Mar 2026",
        "Check-in for the week of 2 Mar 2026 sent",
        "The contract started: both sides accepted the same version",
        "Sana Javed accepted version 1",
        "Owner Person accepted version 1",
        "Version 1 sent to Sana Javed",
    ]
    details = {e.title: e.detail for e in events}
    assert details["Sana Javed proposed a change order"] == "Add a reconciliation report."
    assert details["Sana Javed answered the check-in for the week of 2 Mar 2026"] == (
        "On track, 20 hours"
    )
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)


def test_each_side_reads_the_times_in_its_own_zone(
    client: Client, lived: Contract, owner: User, engineer: User
) -> None:
    membership = owner.membership
    membership.time_zone = "America/New_York"
    membership.save()
    url = reverse("hiring:contract_detail", args=[lived.pk])

    client.force_login(engineer)
    engineer_page = client.get(url).content.decode()
    client.force_login(owner)
    company_page = client.get(url).content.decode()

    assert "Times are Karachi time" in engineer_page
    assert "Mon 2 Mar 2026, 15:00" in engineer_page  # version 1 sent, 10:00 UTC
    assert "Times are New York time" in company_page
    assert "Mon 2 Mar 2026, 05:00" in company_page
    assert engineer_page.index("The contract ended") < engineer_page.index("Version 1 sent")


def test_skipped_and_missed_weeks_and_a_decline_are_told(
    owner: User, dash_profile: Profile
) -> None:
    contract = contract_with(owner, dash_profile, status="offered")
    CheckIn.objects.create(
        contract=contract,
        week_of=at().date(),
        due_at=at(days=4),
        status=CheckIn.Status.SKIPPED,
        skipped_at=at(days=1),
        skipped_side="engineer",
        skipped_by=contract.profile.user,
    )
    CheckIn.objects.create(
        contract=contract,
        week_of=at(days=7).date(),
        due_at=at(days=11),
        sent_at=at(days=11),
        status=CheckIn.Status.MISSED,
        missed_at=at(days=13),
    )
    ContractVersion.objects.filter(pk=contract.current_id).update(
        sent_at=at(),
        declined_at=at(days=20),
        declined_side="engineer",
        decline_note="The rate is too low.",
    )

    panel = contract_panel(contract=contract, side="engineer", user=owner)
    titles = [e.title for e in panel["timeline_events"]]

    assert titles[0] == "Sana Javed declined version 1"
    assert "The check-in for the week of 9 Mar 2026 was missed" in titles
    assert "Sana Javed skipped the check-in for the week of 2 Mar 2026" in titles


def test_a_long_timeline_folds_its_older_events(owner: User, dash_profile: Profile) -> None:
    contract = contract_with(owner, dash_profile)
    for week in range(30):
        CheckIn.objects.create(
            contract=contract,
            week_of=at(days=7 * week).date(),
            due_at=at(days=7 * week + 4),
            sent_at=at(days=7 * week + 4),
        )

    panel = contract_panel(contract=contract, side="company", user=owner)

    assert len(panel["timeline_events"]) == 25
    shown = {e.at for e in panel["timeline_events"]}
    assert all(e.at < min(shown) for e in panel["timeline_earlier"])


def test_a_draft_has_an_empty_timeline_that_says_when_it_starts(
    client: Client, owner: User, dash_profile: Profile
) -> None:
    draft = contract_with(owner, dash_profile, status="draft")
    client.force_login(owner)

    body = client.get(reverse("hiring:contract_detail", args=[draft.pk])).content.decode()

    assert "Nothing has happened yet" in body
    assert "starts when the first version of the contract is sent" in body


def test_the_timeline_is_not_shown_to_another_company_or_engineer(
    client: Client, lived: Contract, outsider: User
) -> None:
    url = reverse("hiring:contract_detail", args=[lived.pk])
    stranger = EngineerFactory()
    ProfileFactory(user=stranger, status="approved")

    for user in (outsider, stranger):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404
        assert "Version 1 sent" not in response.content.decode()

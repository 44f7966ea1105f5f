"""The ending sweep: a contract ends once its last day is over in the engineer's zone,
open change orders lapse, both sides are asked to review; reviews are published when
both are in or the days are up. Run twice, it does everything once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from hiring import tasks
from hiring.contracts.events import contract_ended
from hiring.models import ChangeOrder, Contract, ContractReview, ContractVersion, Message, Side
from hiring.reviews.services import ending_sweep
from tests.reviews.conftest import (
    emails,
    ended,
    give_notice,
    local_midnight,
    open_change_order,
    review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Any:
    """The contracts ``contract_ended`` was sent for."""
    seen: list[int] = []

    def receiver(sender: Any, contract: Contract, **kwargs: Any) -> None:
        seen.append(contract.pk)

    contract_ended.connect(receiver, weak=False)
    yield seen
    contract_ended.disconnect(receiver)


def test_notice_ends_the_contract_at_midnight_in_the_engineers_zone_once(
    owner: User, engineer: User, contract: Contract, heard: list[int]
) -> None:
    change = open_change_order(contract, owner)
    give_notice(contract, owner, days=20)
    contract.refresh_from_db()
    last: date = contract.ends_on  # type: ignore[assignment]
    over = local_midnight(last + timedelta(days=1))  # 19:00 UTC on the last day

    assert ending_sweep(now=over - timedelta(minutes=1)) == {"ended": 0, "published": 0}
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDING

    assert ending_sweep(now=over) == {"ended": 1, "published": 0}
    assert ending_sweep(now=over + timedelta(minutes=15)) == {"ended": 0, "published": 0}

    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    assert contract.ended_at == over and contract.ends_on == last
    assert contract.reviews_close_at == over + timedelta(days=Contract.REVIEW_DAYS)
    change.refresh_from_db()
    assert change.status == ChangeOrder.Status.LAPSED
    assert heard == [contract.pk]
    sent = emails("contract_ended")
    assert sorted(e.to for e in sent) == sorted([owner.email, engineer.email])
    assert all("review" in e.subject for e in sent)
    lines = Message.objects.filter(thread=contract.thread, body__contains="ended after")
    assert lines.count() == 1


def test_an_active_contract_ends_after_its_agreed_end_date(owner: User, contract: Contract) -> None:
    assert contract.current is not None
    end_on: date = contract.current.end_on  # type: ignore[assignment]
    over = local_midnight(end_on + timedelta(days=1))

    assert ending_sweep(now=over - timedelta(seconds=1))["ended"] == 0
    assert ending_sweep(now=over)["ended"] == 1
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED and contract.ends_on == end_on
    assert not contract.end_side


def test_an_open_ended_contract_runs_on(contract: Contract) -> None:
    ContractVersion.objects.filter(pk=contract.current_id).update(end_on=None)
    far = local_midnight(date(2099, 1, 1))
    assert ending_sweep(now=far) == {"ended": 0, "published": 0}
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_the_zone_is_the_engineers_not_utc(owner: User, contract: Contract) -> None:
    """Auckland is ahead of UTC: its day is over while it is still that day in UTC."""
    ContractVersion.objects.filter(pk=contract.current_id).update(time_zone="Pacific/Auckland")
    contract.refresh_from_db()
    give_notice(contract, owner, days=30)
    contract.refresh_from_db()
    last: date = contract.ends_on  # type: ignore[assignment]
    over = datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZoneInfo("Pacific/Auckland"))
    assert over.astimezone(ZoneInfo("UTC")).date() == last  # still the last day in UTC
    assert ending_sweep(now=over - timedelta(minutes=1))["ended"] == 0
    assert ending_sweep(now=over)["ended"] == 1


def test_reviews_are_published_at_fourteen_days_and_not_a_minute_before(
    owner: User, engineer: User, contract: Contract
) -> None:
    ended(contract)
    written = review(contract, owner, Side.COMPANY)
    closes = contract.reviews_close_at
    assert closes is not None

    assert ending_sweep(now=closes - timedelta(minutes=1))["published"] == 0
    written.refresh_from_db()
    assert written.published_at is None
    assert not emails("reviews_published")

    assert ending_sweep(now=closes)["published"] == 1
    assert ending_sweep(now=closes + timedelta(minutes=15))["published"] == 0
    written.refresh_from_db()
    contract.refresh_from_db()
    assert written.published_at == closes and contract.reviews_published_at == closes
    sent = {e.to: e for e in emails("reviews_published")}
    assert set(sent) == {owner.email, engineer.email}
    assert len(emails("reviews_published")) == 2
    assert "did not write a review" in sent[owner.email].body_text
    assert "review of you is now public" in sent[engineer.email].body_text


def test_both_reviews_in_are_published_at_once(
    owner: User, engineer: User, contract: Contract
) -> None:
    ended(contract)
    first = review(contract, owner, Side.COMPANY)
    assert first.published_at is None
    second = review(contract, engineer, Side.ENGINEER)

    first.refresh_from_db()
    assert second.published_at is not None and first.published_at == second.published_at
    assert len(emails("reviews_published")) == 2
    assert ending_sweep()["published"] == 0  # nothing left for the sweep
    assert len(emails("reviews_published")) == 2


def test_the_sweep_publishes_both_when_they_are_in(
    owner: User, engineer: User, contract: Contract
) -> None:
    """Both written but not yet published (a publish lost, say): the sweep does it."""
    ended(contract)
    review(contract, owner, Side.COMPANY)
    ContractReview.objects.create(
        contract=contract,
        side=Side.ENGINEER,
        author=engineer,
        profile=contract.profile,
        company=contract.company,
        stars=3,
        public_text="Fine.",
    )
    assert ending_sweep()["published"] == 1
    assert ContractReview.objects.filter(published_at__isnull=True).count() == 0


def test_no_reviews_at_all_close_quietly(contract: Contract) -> None:
    ended(contract)
    assert contract.reviews_close_at is not None
    assert ending_sweep(now=contract.reviews_close_at)["published"] == 1
    contract.refresh_from_db()
    assert contract.reviews_published_at is not None
    assert not emails("reviews_published")


def test_the_beat_task_takes_the_moment_as_text(owner: User, contract: Contract) -> None:
    give_notice(contract, owner)
    contract.refresh_from_db()
    over = local_midnight(contract.ends_on + timedelta(days=1))  # type: ignore[operator]
    assert tasks.ending_sweep(over.isoformat()) == {"ended": 1, "published": 0}
    assert tasks.ending_sweep(over.isoformat()) == {"ended": 0, "published": 0}

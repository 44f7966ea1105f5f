"""Proposing a change order: it becomes a frozen, unnumbered proposal against the version
in force, shown as a difference with its effect on the total and the end date."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from hiring.contracts import terms
from hiring.models import ChangeOrder, Contract, ContractVersion, Message, MilestoneWork
from tests.changes.conftest import (
    a_change,
    emails,
    form_data,
    frozen,
    login,
    make_contract,
    milestones_of,
    text,
    url,
)

pytestmark = pytest.mark.django_db


def test_it_proposes_scope_rate_and_end_date_and_shows_the_difference(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    v1 = contract.current
    assert v1 is not None and v1.end_on is not None
    before = frozen(v1)
    first, second = milestones_of(v1)
    login(client, owner)

    response = client.post(
        url("change_new", contract),
        form_data(
            v1,
            scope="Build the settlement service and its monthly reports.",
            rate="7000",
            end_on=v1.end_on + timedelta(days=30),
            rows=[first, {**form_row(second), "amount": "4000"}],
        ),
    )

    change = ChangeOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("change_detail", contract, change)
    assert change.status == "open" and change.side == "company"
    assert change.base == v1 and change.proposed_by == owner
    proposal = change.proposal
    assert proposal.number is None and proposal.sent_at is not None
    assert proposal.content_hash == terms.content_hash(terms.content(proposal))
    assert frozen(v1) == before, "version 1 never changes"
    contract.refresh_from_db()
    assert contract.current == v1

    page = text(client.get(url("change_detail", contract, change)))
    assert "Scope of work" in page and "monthly reports" in page
    assert "USD 6,000" in page and "USD 7,000" in page
    assert "(+USD 1,000)" in page
    assert f"Milestone “{second.title}”: amount" in page and "USD 4,000" in page
    new_end = v1.end_on + timedelta(days=30)
    assert new_end.strftime("%-d %b %Y") in page and "30 days later" in page
    assert "Withdraw" in page and "Accept the change" not in page


def form_row(m: object) -> dict[str, object]:
    from tests.changes.conftest import _row

    return _row(m)  # type: ignore[arg-type]


def test_a_milestone_is_changed_one_added_and_one_removed(
    client: Client, contract: Contract, owner: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    first, second = milestones_of(v1)
    later = first.due_on + timedelta(days=7)
    login(client, owner)

    response = client.post(
        url("change_new", contract),
        form_data(
            v1,
            rows=[{**form_row(first), "due_on": later}, {**form_row(second), "remove": True}],
            new=[
                {
                    "title": "Reports",
                    "acceptance_criteria": "Monthly reports are generated and mailed.",
                    "due_on": second.due_on + timedelta(days=10),
                    "amount": "3000",
                }
            ],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = ChangeOrder.objects.get().proposal
    after = {m.title: m for m in proposal.milestones.all()}
    assert set(after) == {first.title, "Reports"}
    assert after[first.title].key == first.key and after[first.title].due_on == later
    assert after["Reports"].key not in {first.key, second.key} and after["Reports"].key
    stored = ContractVersion.objects.get(pk=v1.pk)
    whats = [c.what for c in terms.diff(terms.content(stored), terms.content(proposal))]
    assert whats == [
        f"Milestone “{first.title}”: due date",
        "Milestone “Reports”",
        f"Milestone “{second.title}”",
    ]
    page = text(client.get(url("change_detail", contract, ChangeOrder.objects.get())))
    assert "Added: due" in page and "Removed" in page
    assert "Unchanged: USD 6,000" in page


def test_an_hourly_contract_shows_what_the_hours_and_the_end_do_to_the_total(
    client: Client, owner: User, engineer: User
) -> None:
    start = timezone.localdate()
    contract = make_contract(
        owner,
        engineer,
        engagement="hourly",
        rate=Decimal("30"),
        hours_cap=20,
        end_on=start + timedelta(days=69),  # ten weeks
        invoice_cadence="weekly",
        milestones=0,
    )
    change = a_change(contract, engineer, hours_cap=30, end_on=start + timedelta(days=139))
    login(client, owner)

    page = text(client.get(url("change_detail", contract, change)))

    # 30 × 20 × 10 weeks = 6,000 before; 30 × 30 × 20 weeks = 18,000 after.
    assert "USD 6,000 → USD 18,000" in page and "(+USD 12,000)" in page
    assert "20 hours a week" in page and "30 hours a week" in page
    assert "70 days later" in page
    assert "Accept the change" in page


def test_the_engineer_proposes_and_the_company_is_told_once(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    login(client, engineer)
    data = form_data(v1, scope=v1.scope + " And the reports.")

    client.post(url("change_new", contract), data)
    replay = client.post(url("change_new", contract), data)

    assert replay.status_code == 409
    assert ChangeOrder.objects.count() == 1
    change = ChangeOrder.objects.get()
    assert change.side == "engineer"
    sent = emails("proposed")
    assert [e.to for e in sent] == [owner.email]
    assert sent[0].key == f"change-proposed:{change.pk}:{owner.email}"
    assert "Scope of work" in sent[0].body_text and str(change.pk) in sent[0].body_text
    line = Message.objects.filter(thread=contract.thread, side="system").last()
    assert line is not None and "proposed a change" in line.body


def test_a_change_that_changes_nothing_is_refused(
    client: Client, contract: Contract, owner: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    login(client, owner)

    response = client.post(url("change_new", contract), form_data(v1))

    assert response.status_code == 400
    assert "This changes nothing in version 1" in unescape(response.content.decode())
    assert not ChangeOrder.objects.exists()
    assert ContractVersion.objects.count() == 1


def test_only_one_change_waits_at_a_time(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    first = a_change(contract, owner)
    v1 = contract.current
    assert v1 is not None
    login(client, engineer)

    page = client.get(url("change_new", contract))
    posted = client.post(url("change_new", contract), form_data(v1, rate="6500"))

    for response in (page, posted):
        assert response.status_code == 409
        assert "already waiting for an answer" in unescape(response.content.decode())
    assert list(ChangeOrder.objects.all()) == [first]
    assert ContractVersion.objects.count() == 2  # version 1 and the one proposal


def test_a_submitted_milestone_is_read_only_and_cannot_be_changed(
    client: Client, contract: Contract, engineer: User
) -> None:
    v1 = contract.current
    assert v1 is not None
    first, second = milestones_of(v1)
    MilestoneWork.objects.create(
        contract=contract, key=first.key, status="submitted", submitted_at=timezone.now()
    )
    login(client, engineer)

    page = unescape(client.get(url("change_new", contract)).content.decode())
    moved = client.post(
        url("change_new", contract),
        form_data(v1, rows=[{**form_row(first), "due_on": first.due_on + timedelta(days=3)}]),
    )
    removed = client.post(
        url("change_new", contract), form_data(v1, rows=[{**form_row(first), "remove": True}])
    )

    assert "its work was submitted" in page
    assert 'name="milestones-0-key"' in page and f'value="{second.key}"' in page
    assert f'value="{first.key}"' not in page
    for response in (moved, removed):
        assert response.status_code == 409
        assert f"“{first.title}” can no longer change: its work was submitted" in unescape(
            response.content.decode()
        )
    assert not ChangeOrder.objects.exists() and ContractVersion.objects.count() == 1


def test_a_past_milestone_is_copied_unchanged_and_cannot_be_changed(
    client: Client, owner: User, engineer: User
) -> None:
    contract = make_contract(owner, engineer, start_on=timezone.localdate() - timedelta(days=40))
    v1 = contract.current
    assert v1 is not None
    past, ahead = milestones_of(v1)  # due 10 days ago and in 20 days
    login(client, owner)

    refused = client.post(
        url("change_new", contract),
        form_data(
            v1, rows=[{**form_row(past), "amount": "2000"}, {**form_row(ahead), "amount": "4000"}]
        ),
    )
    assert refused.status_code == 409
    assert "its due date has passed" in unescape(refused.content.decode())
    assert not ChangeOrder.objects.exists()

    accepted = client.post(
        url("change_new", contract),
        form_data(v1, rows=[{**form_row(ahead), "title": "Second part, with reports"}]),
    )
    assert accepted.status_code == 302
    proposal = ChangeOrder.objects.get().proposal
    copied = proposal.milestones.get(key=past.key)
    assert (copied.title, copied.due_on, copied.amount) == (past.title, past.due_on, past.amount)


def test_a_milestone_cannot_be_moved_into_the_past(
    client: Client, owner: User, engineer: User
) -> None:
    contract = make_contract(owner, engineer, start_on=timezone.localdate() - timedelta(days=10))
    v1 = contract.current
    assert v1 is not None
    first, second = milestones_of(v1)
    login(client, owner)

    response = client.post(
        url("change_new", contract),
        form_data(
            v1,
            rows=[{**form_row(first), "due_on": timezone.localdate() - timedelta(days=1)}, second],
        ),
    )

    assert response.status_code == 400
    assert "which has passed: choose today or later" in unescape(response.content.decode())
    assert not ChangeOrder.objects.exists()


def test_changes_are_proposed_only_on_an_active_contract(
    client: Client, owner: User, engineer: User
) -> None:
    contract = make_contract(owner, engineer)
    Contract.objects.filter(pk=contract.pk).update(status="ending")
    login(client, owner)

    response = client.get(url("change_new", contract))

    assert response.status_code == 409
    assert "while a contract is active" in unescape(response.content.decode())

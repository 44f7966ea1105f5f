"""The engineer submits a milestone, the company accepts it (its payment is then due) or
asks for changes (and the engineer submits again). Each side is told by email and in the
conversation; the contract page shows where each milestone stands."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from candidates.models import Profile
from hiring.milestones import services
from hiring.models import Contract, MilestoneWork, Payment
from tests.factories import BriefFactory
from tests.milestones.conftest import (
    LINK,
    NOTE,
    emails,
    first,
    karachi_date,
    lines,
    make_contract,
    page,
    url,
)

pytestmark = pytest.mark.django_db


def submit(client: Client, contract: Contract, key: str, **data: str) -> object:
    return client.post(url("milestone_submit", contract, key), {"note": NOTE, "link": LINK, **data})


def test_it_submits_accepts_and_makes_the_milestones_payment(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    milestone = first(contract)
    client.force_login(engineer)

    response = submit(client, contract, milestone.key)

    assert response.status_code == 302
    assert response["Location"] == page(contract) + "#milestones"
    work = MilestoneWork.objects.get(contract=contract, key=milestone.key)
    assert work.status == MilestoneWork.Status.SUBMITTED
    assert (work.submit_note, work.submit_link) == (NOTE, LINK)
    [told] = emails("submitted")
    assert told.to == owner.email
    assert "Milestone 1" in told.subject and NOTE in told.body_text and LINK in told.body_text
    assert "within 7 days" in told.body_text
    assert "Sana Javed submitted the milestone “Milestone 1” for review." in lines(contract)

    client.force_login(owner)
    before = timezone.now()
    response = client.post(url("milestone_accept", contract, milestone.key))

    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == MilestoneWork.Status.ACCEPTED
    assert work.answered_by == owner and not work.deemed
    payment = Payment.objects.get(contract=contract)
    assert payment.milestone_key == milestone.key
    assert payment.label == "Milestone 1 (milestone)"
    assert payment.amount == Decimal("3000.00") and payment.currency == "USD"
    assert payment.due_on == karachi_date(before) + timedelta(days=14)
    assert payment.paid_at is None
    [accepted] = emails("accepted")
    assert accepted.to == engineer.email
    assert "USD 3,000" in accepted.body_text
    assert "Owner Person accepted the milestone “Milestone 1”." in lines(contract)

    text = unescape(client.get(page(contract)).content.decode())
    assert "Accepted by Owner Person" in text
    assert "Milestone 1 (milestone)" in text and "USD 3,000" in text
    assert "Mark paid" in text


def test_changes_asked_then_the_engineer_submits_again(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    milestone = first(contract)
    client.force_login(engineer)
    submit(client, contract, milestone.key)

    client.force_login(owner)
    response = client.post(
        url("milestone_changes", contract, milestone.key),
        {"note": "The retry path has no test yet."},
    )

    assert response.status_code == 302
    work = MilestoneWork.objects.get(contract=contract, key=milestone.key)
    assert work.status == MilestoneWork.Status.CHANGES
    assert work.answer_note == "The retry path has no test yet."
    [changes] = emails("changes")
    assert changes.to == engineer.email and "The retry path has no test yet." in changes.body_text
    assert not Payment.objects.exists()

    client.force_login(engineer)
    text = unescape(client.get(page(contract)).content.decode())
    assert "Changes asked by Owner Person" in text
    assert "The retry path has no test yet." in text
    assert "Submit it again" in text

    response = submit(client, contract, milestone.key, note="Added the retry test.")

    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == MilestoneWork.Status.SUBMITTED
    assert work.submit_note == "Added the retry test."
    again = emails("submitted")
    assert len(again) == 2 and "resubmitted" in again[1].subject
    assert "Sana Javed resubmitted the milestone “Milestone 1” for review." in lines(contract)

    client.force_login(owner)
    assert client.post(url("milestone_accept", contract, milestone.key)).status_code == 302
    assert Payment.objects.get().milestone_key == milestone.key


def test_the_same_submission_posted_twice_is_stored_and_sent_once(
    client: Client, contract: Contract, engineer: User
) -> None:
    milestone = first(contract)
    client.force_login(engineer)

    assert submit(client, contract, milestone.key).status_code == 302
    assert submit(client, contract, milestone.key).status_code == 302

    assert len(emails("submitted")) == 1
    assert len([line for line in lines(contract) if "submitted the milestone" in line]) == 1


def test_a_different_submission_while_waiting_is_refused(
    client: Client, contract: Contract, engineer: User
) -> None:
    milestone = first(contract)
    client.force_login(engineer)
    submit(client, contract, milestone.key)

    response = submit(client, contract, milestone.key, note="Something else")

    assert response.status_code == 409
    assert "already submitted and waiting" in unescape(response.content.decode())
    assert MilestoneWork.objects.get().submit_note == NOTE
    assert len(emails("submitted")) == 1


def test_submitting_an_accepted_milestone_is_refused(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    milestone = first(contract)
    services.milestone_submit(contract=contract, user=engineer, key=milestone.key, note=NOTE)
    services.milestone_accept(contract=contract, user=owner, key=milestone.key)
    client.force_login(engineer)

    response = submit(client, contract, milestone.key, note="One more thing")

    assert response.status_code == 409
    assert "already accepted" in unescape(response.content.decode())
    work = MilestoneWork.objects.get()
    assert work.status == MilestoneWork.Status.ACCEPTED and work.submit_note == NOTE
    assert len(emails("submitted")) == 1


def test_a_teammate_can_answer_and_the_submission_goes_to_who_drafted_the_contract(
    client: Client, contract: Contract, owner: User, teammate: User, engineer: User
) -> None:
    milestone = first(contract)
    services.milestone_submit(contract=contract, user=engineer, key=milestone.key, note=NOTE)
    assert [e.to for e in emails("submitted")] == [owner.email]
    client.force_login(teammate)

    response = client.post(url("milestone_accept", contract, milestone.key))

    assert response.status_code == 302
    assert MilestoneWork.objects.get().answered_by == teammate


def test_the_page_shows_each_side_its_own_actions(
    client: Client, contract: Contract, owner: User, engineer: User
) -> None:
    milestone = first(contract)
    client.force_login(engineer)
    mine = unescape(client.get(page(contract)).content.decode())
    assert "Submit this milestone" in mine
    assert url("milestone_submit", contract, milestone.key) in mine
    assert "Part 1 is deployed to staging and its tests pass." in mine
    assert "No payments due yet" in mine

    client.force_login(owner)
    theirs = unescape(client.get(page(contract)).content.decode())
    assert "Not submitted yet." in theirs
    assert url("milestone_submit", contract, milestone.key) not in theirs
    assert url("milestone_accept", contract, milestone.key) not in theirs

    services.milestone_submit(
        contract=contract, user=engineer, key=milestone.key, note=NOTE, link=LINK
    )
    theirs = unescape(client.get(page(contract)).content.decode())
    assert url("milestone_accept", contract, milestone.key) in theirs
    assert url("milestone_changes", contract, milestone.key) in theirs
    assert NOTE in theirs and f'href="{LINK}"' in theirs


def test_the_panel_explains_itself_before_the_contract_starts_and_without_milestones(
    client: Client, profile: Profile, owner: User
) -> None:
    company = owner.membership.company
    offered = make_contract(
        BriefFactory(company=company, created_by=owner), profile, owner, status="offered"
    )
    client.force_login(owner)
    text = unescape(client.get(page(offered)).content.decode())
    assert "Once both sides have accepted the contract, its milestones are tracked here" in text

    plain = make_contract(
        BriefFactory(company=company, created_by=owner),
        profile,
        owner,
        milestones=0,
        engagement="monthly",
        rate=Decimal("2000"),
        invoice_cadence="monthly",
    )
    text = unescape(client.get(page(plain)).content.decode())
    assert "No milestones in this contract" in text
    assert "No payments due yet" in text
    assert "at the end of each month of work" in text

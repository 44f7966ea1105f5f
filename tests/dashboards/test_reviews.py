"""Published reviews: on the engineer's profile (what companies wrote) and on the company
page engineers see before answering outreach (what engineers wrote). Unpublished and
hidden reviews never show; the company page is closed to anyone the company has not
reached out to or worked with."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from candidates.models import Profile
from hiring.models import Contract
from tests.dashboards.conftest import contract_with, elsewhere, ended, review
from tests.factories import EmployerFactory, EngineerFactory, ProfileFactory, outreach_sent

pytestmark = pytest.mark.django_db


def profile_page(client: Client, viewer: User, profile: Profile) -> str:
    client.force_login(viewer)
    response = client.get(reverse("candidates:detail", args=[profile.pk]))
    assert response.status_code == 200
    return response.content.decode()


def company_page(client: Client, viewer: User, company_pk: int) -> tuple[int, str]:
    client.force_login(viewer)
    response = client.get(reverse("hiring:company_page", args=[company_pk]))
    return response.status_code, response.content.decode()


# On the engineer's profile ------------------------------------------------------------


def test_the_profile_shows_the_average_the_count_and_the_latest_reviews(
    client: Client, outsider: User, dash_profile: Profile
) -> None:
    older = review(
        ended(elsewhere(dash_profile)),
        "company",
        3,
        quality=3,
        communication=4,
        reliability=3,
        time_zones=5,
        public_text="Solid work, slow to answer some weeks.",
    )
    older.published_at = timezone.now() - timedelta(days=40)
    older.save()
    latest = review(
        ended(elsewhere(dash_profile)),
        "company",
        5,
        quality=5,
        communication=5,
        reliability=4,
        time_zones=5,
        public_text="Shipped the ledger early and documented it.",
        reply_text="Thank you, it was a pleasure.",
        replied_at=timezone.now(),
    )

    body = profile_page(client, outsider, dash_profile)

    assert "4.0 out of 5" in body and "from 2 reviews" in body
    assert "Quality of work" in body and "Working across time zones" in body
    assert "4.5 out of 5" in body  # communication
    assert "Shipped the ledger early" in body
    assert "Reply from Sana Javed" in body and "Thank you, it was a pleasure." in body
    assert latest.company.name in body
    assert body.index("Shipped the ledger early") < body.index("Solid work")
    assert "No reviews yet" not in body


def test_the_profile_never_shows_an_unpublished_or_hidden_review(
    client: Client, outsider: User, dash_profile: Profile
) -> None:
    review(ended(elsewhere(dash_profile)), "company", 1, published=False, public_text="Blind one")
    review(ended(elsewhere(dash_profile)), "company", 1, hidden=True, public_text="Hidden one")
    # The engineer's review of a company is about the company, not this engineer.
    review(ended(elsewhere(dash_profile)), "engineer", 2, public_text="About a company")

    body = profile_page(client, outsider, dash_profile)

    for text in ("Blind one", "Hidden one", "About a company"):
        assert text not in body
    assert "No reviews yet" in body
    assert "Companies review an engineer when a contract on Karigar ends" in body


def test_the_profile_lists_only_the_latest_three(
    client: Client, outsider: User, dash_profile: Profile
) -> None:
    for n in range(4):
        made = review(ended(elsewhere(dash_profile)), "company", 4, public_text=f"Review {n}")
        made.published_at = timezone.now() - timedelta(days=10 - n)
        made.save()

    body = profile_page(client, outsider, dash_profile)

    assert "from 4 reviews" in body
    assert "Review 0" not in body
    assert all(f"Review {n}" in body for n in (1, 2, 3))


def test_the_engineer_sees_their_reviews_in_the_preview(
    client: Client, engineer: User, dash_profile: Profile
) -> None:
    review(ended(elsewhere(dash_profile)), "company", 5, public_text="Great to work with.")
    client.force_login(engineer)

    body = client.get(reverse("candidates:preview")).content.decode()

    assert "Great to work with." in body and "5.0 out of 5" in body


# The company page -----------------------------------------------------------------------


@pytest.fixture
def worked(owner: User, dash_profile: Profile) -> Contract:
    """An ended contract between the owner's company and the engineer."""
    return ended(contract_with(owner, dash_profile))


def test_an_engineer_who_worked_with_the_company_sees_its_page_and_reviews(
    client: Client, engineer: User, owner: User, worked: Contract
) -> None:
    company = owner.membership.company
    company.city, company.time_zone = "Berlin", "Europe/Berlin"
    company.save()
    review(
        worked,
        "engineer",
        4,
        clarity=5,
        responsiveness=3,
        paying_on_time=4,
        public_text="Clear brief, paid on time.",
        reply_text="Thanks, come back any time.",
        replied_at=timezone.now(),
    )
    other = ProfileFactory(status="approved")
    second = ended(contract_with(owner, other))
    review(second, "engineer", 2, clarity=3, responsiveness=1, paying_on_time=2)
    hidden = ended(contract_with(owner, ProfileFactory(status="approved")))
    review(hidden, "engineer", 1, hidden=True)
    running = contract_with(owner, ProfileFactory(status="approved"))
    review(running, "engineer", 1, published=False)
    contract_with(owner, ProfileFactory(status="approved"), status="offered")  # not run yet

    status, body = company_page(client, engineer, company.pk)

    assert status == 200
    assert f"<h1>{company.name}</h1>" in body
    assert "Berlin" in body and "Europe/Berlin" in body and "09:00 to 18:00" in body
    assert "4 contracts" in body  # two ended, one hidden review's, one active; not the offer
    assert "3.0 out of 5" in body and "from 2 reviews" in body
    assert "Clarity of the brief" in body and "4.0 out of 5" in body
    assert "Responsiveness" in body and "2.0 out of 5" in body
    assert "Paying on time" in body
    assert "Clear brief, paid on time." in body
    assert f"Reply from {company.name}" in body and "Thanks, come back any time." in body
    assert "A 1-star review." not in body  # hidden or unpublished
    assert other.user.display_name not in body  # reviewers are not named


def test_an_engineer_who_received_outreach_sees_the_page_and_its_empty_state(
    client: Client, owner: User, dash_profile: Profile, engineer: User
) -> None:
    from tests.factories import BriefFactory, candidacy_in

    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    outreach = outreach_sent(candidacy_in(brief, dash_profile, user=owner), sender=owner)

    status, body = company_page(client, engineer, owner.membership.company.pk)
    client.force_login(engineer)
    opportunity = client.get(reverse("hiring:opportunity", args=[outreach.pk])).content.decode()

    assert status == 200
    assert "No reviews yet" in body and "None yet" in body
    assert reverse("hiring:company_page", args=[owner.membership.company.pk]) in opportunity


def test_the_companys_own_members_see_its_page(client: Client, owner: User, teammate: User) -> None:
    for user in (owner, teammate):
        status, body = company_page(client, user, owner.membership.company.pk)
        assert status == 200
        assert "This is how engineers who hear from your company see it" in body


def test_everyone_else_gets_404(
    client: Client, owner: User, outsider: User, worked: Contract
) -> None:
    stranger = EngineerFactory()
    ProfileFactory(user=stranger, status="approved")
    staff = EmployerFactory(is_staff=True)  # an employer of another company, and staff
    pk = owner.membership.company.pk

    for user in (stranger, outsider, staff):
        status, body = company_page(client, user, pk)
        assert status == 404
        assert owner.membership.company.name not in body


def test_an_engineer_offered_only_a_draft_gets_404(client: Client, owner: User) -> None:
    # A draft is the company's alone, and this engineer got no outreach: nothing reached them.
    from hiring.models import Outreach

    loner = ProfileFactory(status="approved")
    draft = contract_with(owner, loner, status="draft")
    Outreach.objects.filter(profile=loner).delete()

    status, _ = company_page(client, loner.user, owner.membership.company.pk)

    assert draft.status == "draft" and status == 404


def test_garbage_and_writes_are_refused(client: Client, owner: User) -> None:
    client.force_login(owner)
    pk = owner.membership.company.pk

    missing = reverse("hiring:company_page", args=[999999])
    assert client.get(missing).status_code == 404
    assert client.get(missing.replace("999999", "abc")).status_code == 404
    assert client.post(reverse("hiring:company_page", args=[pk])).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client: Client, owner: User) -> None:
    response = client.get(reverse("hiring:company_page", args=[owner.membership.company.pk]))

    assert response.status_code == 302
    assert "login" in response["Location"]

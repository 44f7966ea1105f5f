"""Putting engineers in a brief's pipeline from every place that offers it, once per brief."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import services as candidate_services
from candidates.models import Profile
from screening.models import Candidacy, Stage, StageMove
from searches.models import Brief
from tests.factories import BriefFactory, ProfileFactory, ShortlistEntryFactory, candidacy_in

pytestmark = pytest.mark.django_db


def add(client: Client, brief: Brief, *profiles: object, **extra: str) -> object:
    url = reverse("screening:add", args=[brief.pk])
    return client.post(url, {"profile": [str(getattr(p, "pk", p)) for p in profiles], **extra})


def in_pipeline(brief: Brief) -> list[int]:
    return sorted(Candidacy.objects.filter(brief=brief).values_list("profile_id", flat=True))


def test_the_results_cards_offer_add_to_pipeline_without_a_token_each(
    client: Client, owner: User, brief: Brief
) -> None:
    profiles = [ProfileFactory(status="approved") for _ in range(3)]
    client.force_login(owner)

    page = client.get(reverse("searches:results", args=[brief.pk])).content.decode()

    section = page[page.index('<section id="results"') : page.index("</section>")]
    assert section.count('name="profile"') == 3
    assert all(f'value="{p.pk}"' in section for p in profiles)
    assert "csrfmiddlewaretoken" not in section  # cached HTML carries no token
    assert 'form="pipeline-form"' in section
    assert 'id="pipeline-form"' in page


def test_it_adds_an_engineer_from_the_results_as_sourced(
    client: Client, owner: User, brief: Brief, listed: Profile
) -> None:
    client.force_login(owner)
    back = reverse("searches:results", args=[brief.pk])

    response = add(client, brief, listed, next=back)

    assert response.status_code == 302
    assert response["Location"] == back
    candidacy = Candidacy.objects.get(brief=brief, profile=listed)
    assert (candidacy.stage, candidacy.added_by, candidacy.company) == (
        Stage.SOURCED,
        owner,
        brief.company,
    )
    assert list(candidacy.moves.values_list("from_stage", "to_stage", "by")) == [
        ("", Stage.SOURCED, owner.pk)
    ]
    assert (
        "Added Ayesha Khan to the pipeline for Payments API." in client.get(back).content.decode()
    )


def test_the_results_button_becomes_a_link_to_the_card_with_htmx(
    client: Client, owner: User, brief: Brief, listed: Profile
) -> None:
    client.force_login(owner)

    response = client.post(
        reverse("screening:add", args=[brief.pk]),
        {"profile": listed.pk},
        headers={"HX-Request": "true"},
    )

    candidacy = Candidacy.objects.get(brief=brief, profile=listed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert reverse("screening:candidacy", args=[candidacy.pk]) in body
    assert "In the pipeline" in body


def test_an_engineer_is_added_once_per_brief(
    client: Client, owner: User, teammate: User, brief: Brief, listed: Profile
) -> None:
    other = BriefFactory(company=brief.company, created_by=owner)
    client.force_login(owner)
    add(client, brief, listed)
    client.force_login(teammate)

    again = client.post(
        reverse("screening:add", args=[brief.pk]),
        {"profile": listed.pk},
        headers={"HX-Request": "true"},
    )
    add(client, other, listed)

    assert again.status_code == 200
    assert "1 was already in it." in again.content.decode()
    assert Candidacy.objects.filter(profile=listed).count() == 2  # one per brief
    assert StageMove.objects.filter(candidacy__brief=brief).count() == 1
    assert Candidacy.objects.get(brief=brief).added_by == owner


def test_the_shortlist_offers_one_button_per_row_and_a_bulk_add(
    client: Client, owner: User, brief: Brief
) -> None:
    entries = [ShortlistEntryFactory(brief=brief) for _ in range(2)]
    client.force_login(owner)

    page = client.get(reverse("searches:shortlist", args=[brief.pk])).content.decode()

    assert page.count('form="pipeline-bulk"') == 3  # two checkboxes and the button
    assert "Add selected to pipeline" in page
    for entry in entries:
        assert f'id="select-{entry.profile.pk}"' in page
        assert f'for="select-{entry.profile.pk}"' in page
    assert page.count('form="pipeline-form"') == 2
    assert 'id="pipeline-bulk"' in page and 'id="pipeline-form"' in page


def test_it_adds_several_shortlisted_engineers_at_once(
    client: Client, owner: User, brief: Brief
) -> None:
    entries = [ShortlistEntryFactory(brief=brief) for _ in range(3)]
    candidacy_in(brief, entries[0].profile, user=owner)
    client.force_login(owner)
    back = reverse("searches:shortlist", args=[brief.pk])

    response = add(client, brief, *(e.profile for e in entries), next=back)

    assert response["Location"] == back
    assert in_pipeline(brief) == sorted(e.profile.pk for e in entries)
    page = client.get(back).content.decode()
    assert "Added 2 engineers to the pipeline for Payments API. 1 was already in it." in page


def test_unlisted_and_blocking_engineers_are_not_added(
    client: Client, owner: User, brief: Brief, listed: Profile
) -> None:
    draft = ProfileFactory(status="draft")
    blocking = ProfileFactory(status="approved")
    candidate_services.company_block(profile=blocking, kind="name", value=brief.company.name)
    paused = ProfileFactory(status="approved", availability=Profile.Availability.NOT_LOOKING)
    client.force_login(owner)

    response = add(client, brief, listed, draft, blocking, paused)

    assert response.status_code == 302
    assert in_pipeline(brief) == [listed.pk]
    page = client.get(response["Location"]).content.decode()
    assert "3 can no longer be added (not listed for you)." in page


@pytest.mark.parametrize(
    "ids", [[], ["abc"], ["-3"], ["1.5"], ["99999999999999999999999"], ["0"], [""]]
)
def test_junk_ids_get_a_400_and_nothing_is_added(
    client: Client, owner: User, brief: Brief, listed: Profile, ids: list[str]
) -> None:
    client.force_login(owner)

    response = client.post(reverse("screening:add", args=[brief.pk]), {"profile": ids})

    assert response.status_code == 400
    assert Candidacy.objects.count() == 0


def test_an_unknown_id_is_counted_not_revealed(client: Client, owner: User, brief: Brief) -> None:
    client.force_login(owner)

    response = add(client, brief, "987654321")

    assert response.status_code == 302
    assert Candidacy.objects.count() == 0


def test_a_closed_brief_takes_no_one(
    client: Client, owner: User, brief: Brief, listed: Profile
) -> None:
    brief.status = Brief.Status.CLOSED
    brief.save()
    client.force_login(owner)

    response = add(client, brief, listed)

    assert response.status_code == 400
    assert b"This brief is closed" in response.content
    assert Candidacy.objects.count() == 0


def test_the_profile_page_offers_each_open_brief_and_adds_from_it(
    client: Client, owner: User, brief: Brief, listed: Profile
) -> None:
    paused = BriefFactory(company=brief.company, created_by=owner, status="paused")
    profile_url = reverse("candidates:detail", args=[listed.pk])
    client.force_login(owner)

    page = client.get(profile_url).content.decode()

    assert "Add to pipeline for Payments API" in page
    assert f"Add to pipeline for {paused.title}" not in page
    form = re.search(
        r'<form method="post" action="/briefs/\d+/pipeline/add/".*?</form>', page, re.S
    )
    assert form is not None and "csrfmiddlewaretoken" in form.group(0)

    response = add(client, brief, listed, next=profile_url)

    assert response["Location"] == profile_url
    after = client.get(profile_url).content.decode()
    candidacy = Candidacy.objects.get(brief=brief, profile=listed)
    assert "Add to pipeline for Payments API" not in after
    assert reverse("screening:candidacy", args=[candidacy.pk]) in after
    assert "Sourced" in after


def test_the_profile_panel_shows_the_stage_and_moves_of_each_candidacy(
    client: Client, owner: User, brief: Brief, card_at
) -> None:
    candidacy = card_at(Stage.INTERVIEW)
    client.force_login(owner)

    page = client.get(reverse("candidates:detail", args=[candidacy.profile.pk])).content.decode()

    panel = page[page.index('id="pipeline-title"') :]
    assert "Interview" in panel
    assert f'action="{reverse("screening:move", args=[candidacy.pk])}"' in panel
    assert 'name="expected" value="interview"' in panel
    assert "Add to pipeline for Payments API" not in panel

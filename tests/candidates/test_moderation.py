"""Staff moderation in the admin: decisions, their emails, the review queue, skill merges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboundEmail, User
from candidates import services
from candidates.models import Profile, ProfileSkill, Skill
from tests.factories import BriefSkillFactory, EngineerFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILES = reverse("admin:candidates_profile_changelist")
QUEUE = reverse("admin:candidates_profilereview_changelist")
SKILLS = reverse("admin:candidates_skill_changelist")


@pytest.fixture
def staff(db: None) -> User:
    return UserFactory(
        email="moderator@karigar.example",
        role=User.Role.STAFF,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def staff_client(client: Client, staff: User) -> Client:
    client.force_login(staff)
    return client


def submitted(email: str = "hira@example.com", **fields: Any) -> Profile:
    fields.setdefault("skills", ["Python", "Django", "PostgreSQL"])
    profile = ProfileFactory(user__email=email, **fields)
    services.profile_submit(profile=profile)
    profile.refresh_from_db()
    return profile


def emails_to(profile: Profile) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=profile.user.email))


def test_staff_approve_a_submitted_profile_and_the_engineer_gets_one_email(
    staff_client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    profile = submitted()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            PROFILES, {"action": "approve", "_selected_action": [profile.pk]}
        )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == Profile.Status.APPROVED
    assert profile.approved_at is not None
    [sent] = emails_to(profile)
    assert sent.template == "email/profile_approved"
    assert sent.status == OutboundEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [[profile.user.email]]
    assert "http://127.0.0.1:8000/profile/preview/" in sent.body_text
    assert "Approved 1 profile." in staff_client.get(PROFILES).content.decode()


def test_approving_skips_drafts_and_profiles_already_approved(staff_client: Client) -> None:
    draft = ProfileFactory(user__email="draft@example.com")
    ready = submitted()

    response = staff_client.post(
        PROFILES, {"action": "approve", "_selected_action": [draft.pk, ready.pk]}, follow=True
    )

    draft.refresh_from_db()
    ready.refresh_from_db()
    assert draft.status == Profile.Status.DRAFT
    assert ready.status == Profile.Status.APPROVED
    assert "Approved 1 profile. Skipped 1" in response.content.decode()
    assert emails_to(draft) == []


def test_requesting_changes_asks_for_a_note_first(staff_client: Client) -> None:
    profile = submitted()

    response = staff_client.post(
        PROFILES, {"action": "request_changes", "_selected_action": [profile.pk]}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "What should the engineer change?" in page
    assert profile.user.email in page
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED
    assert emails_to(profile) == []


def test_requesting_changes_without_a_note_is_refused(staff_client: Client) -> None:
    profile = submitted()

    response = staff_client.post(
        PROFILES,
        {"action": "request_changes", "_selected_action": [profile.pk], "apply": "1", "note": " "},
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED
    assert emails_to(profile) == []


def test_requesting_changes_sends_the_note_to_the_engineer(staff_client: Client) -> None:
    profile = submitted()
    note = "Your bio lists Kafka but no skill entry does; add it with your years."

    response = staff_client.post(
        PROFILES,
        {"action": "request_changes", "_selected_action": [profile.pk], "apply": "1", "note": note},
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == Profile.Status.CHANGES_REQUESTED
    assert profile.staff_note == note
    [sent] = emails_to(profile)
    assert sent.template == "email/profile_changes_requested"
    assert note in sent.body_text
    assert note in sent.body_html
    assert "http://127.0.0.1:8000/profile/" in sent.body_text


def test_staff_suspend_an_approved_profile(staff_client: Client) -> None:
    profile = submitted()
    services.profile_approve(profile=profile)

    staff_client.post(PROFILES, {"action": "suspend", "_selected_action": [profile.pk]})

    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUSPENDED
    assert sorted(e.template for e in emails_to(profile)) == [
        "email/profile_approved",
        "email/profile_suspended",
    ]
    assert not Profile.objects.listed().filter(pk=profile.pk).exists()


def test_the_review_queue_lists_only_submitted_profiles_oldest_first(
    staff_client: Client,
) -> None:
    newer = submitted("newer@example.com", headline="Newer Go engineer")
    older = submitted("older@example.com", headline="Older Rails engineer")
    Profile.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    ProfileFactory(user__email="draft@example.com", headline="Draft PHP engineer")
    approved = submitted("approved@example.com", headline="Approved Java engineer")
    services.profile_approve(profile=approved)

    response = staff_client.get(QUEUE)

    page = response.content.decode()
    assert "Newer Go engineer" in page
    assert "Older Rails engineer" in page
    assert page.index("Older Rails engineer") < page.index("Newer Go engineer")
    assert "Draft PHP engineer" not in page
    assert "Approved Java engineer" not in page
    assert newer.status == Profile.Status.SUBMITTED


def test_the_admin_index_says_how_many_profiles_wait(staff_client: Client) -> None:
    submitted("one@example.com")
    submitted("two@example.com")

    response = staff_client.get(reverse("admin:index"))

    assert "Profiles awaiting review (2)" in response.content.decode()


def test_approving_from_a_queued_profiles_page_returns_to_the_queue(
    staff_client: Client,
) -> None:
    profile = submitted()
    page = reverse("admin:candidates_profilereview_change", args=[profile.pk])
    assert 'name="CHANGE_FORM-action"' in staff_client.get(page).content.decode()

    response = staff_client.post(
        page, {"CHANGE_FORM-action": "approve", "_selected_action": [profile.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    profile.refresh_from_db()
    assert profile.status == Profile.Status.APPROVED


def test_people_who_are_not_staff_are_sent_to_the_admin_login(client: Client) -> None:
    profile = submitted()
    client.force_login(EngineerFactory(email="someone@example.com"))

    listing = client.get(PROFILES)
    action = client.post(PROFILES, {"action": "approve", "_selected_action": [profile.pk]})

    assert listing.status_code == 302
    assert reverse("admin:login") in listing["Location"]
    assert action.status_code == 302
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUBMITTED


def test_changes_since_approval_show_an_edited_headline(staff_client: Client) -> None:
    profile = submitted(headline="Django engineer for payments")
    services.profile_approve(profile=profile)
    Profile.objects.filter(pk=profile.pk).update(headline="Django and Go engineer for payments")

    response = staff_client.get(reverse("admin:candidates_profile_change", args=[profile.pk]))

    page = response.content.decode()
    assert "<th scope='row'>Headline</th>" in page or '<th scope="row">Headline</th>' in page
    assert "<td>Django engineer for payments</td>" in page
    assert "<td>Django and Go engineer for payments</td>" in page


def test_an_unchanged_approved_profile_says_so(staff_client: Client) -> None:
    profile = submitted()
    services.profile_approve(profile=profile)

    response = staff_client.get(reverse("admin:candidates_profile_change", args=[profile.pk]))

    assert "the profile is as staff approved it" in response.content.decode()


def test_the_profile_list_filters_by_skill(staff_client: Client) -> None:
    submitted("py@example.com", headline="Python person", skills=["Python", "Django", "Redis"])
    submitted("go@example.com", headline="Go person", skills=["Go", "Gin", "Redis"])

    page = staff_client.get(PROFILES, {"skill": "go"}).content.decode()

    assert "Go person" in page
    assert "Python person" not in page


def merge(client: Client, skills: list[Skill], target: Skill) -> Any:
    ids = [skill.pk for skill in skills]
    confirm = client.post(SKILLS, {"action": "merge_skills", "_selected_action": ids})
    assert confirm.status_code == 200
    assert "Merge into" in confirm.content.decode()
    return client.post(
        SKILLS,
        {"action": "merge_skills", "_selected_action": ids, "apply": "1", "target": target.pk},
        follow=True,
    )


def test_merging_a_skill_moves_profiles_and_keeps_the_larger_years(
    staff_client: Client,
) -> None:
    target = Skill.objects.get(name="PostgreSQL")
    source = Skill.objects.create(name="Postgres DB", slug="postgres-db", category="database")
    both = ProfileFactory(user__email="both@example.com")
    services.skill_set(profile=both, skill=target, years=Decimal("2"), level=2)
    services.skill_set(profile=both, skill=source, years=Decimal("7"), level=3)
    only_source = ProfileFactory(user__email="only@example.com")
    services.skill_set(profile=only_source, skill=source, years=Decimal("3"), level=2)

    response = merge(staff_client, [source], target)

    assert "Merged Postgres DB into PostgreSQL; 2 profiles moved." in response.content.decode()
    assert not Skill.objects.filter(pk=source.pk).exists()
    target.refresh_from_db()
    assert "postgres db" in target.aliases
    entry = ProfileSkill.objects.get(profile=both, skill=target)
    assert entry.years == Decimal("7.0")
    assert entry.level == 3
    assert ProfileSkill.objects.get(profile=only_source, skill=target).years == Decimal("3.0")
    for profile in (both, only_source):
        profile.refresh_from_db()
        assert profile.skill_ids == [target.pk]


def test_selecting_several_skills_merges_them_all_into_the_chosen_one(
    staff_client: Client,
) -> None:
    target = Skill.objects.get(name="Kubernetes")
    first = Skill.objects.create(name="K8s cluster ops", slug="k8s-ops", category="devops")
    second = Skill.objects.create(name="Kube admin", slug="kube-admin", category="devops")
    profile = ProfileFactory()
    services.skill_set(profile=profile, skill=first, years=Decimal("1"), level=1)
    services.skill_set(profile=profile, skill=second, years=Decimal("4"), level=2)

    merge(staff_client, [first, second, target], target)

    assert not Skill.objects.filter(pk__in=[first.pk, second.pk]).exists()
    target.refresh_from_db()
    assert {"k8s cluster ops", "kube admin"} <= set(target.aliases)
    profile.refresh_from_db()
    assert profile.skill_ids == [target.pk]
    assert ProfileSkill.objects.get(profile=profile).years == Decimal("4.0")


def test_a_skill_cannot_be_merged_into_itself(staff_client: Client) -> None:
    skill = Skill.objects.get(name="Redis")

    response = staff_client.post(
        SKILLS,
        {
            "action": "merge_skills",
            "_selected_action": [skill.pk],
            "apply": "1",
            "target": skill.pk,
        },
    )

    assert response.status_code == 200
    assert "Choose a skill other than" in response.content.decode()
    assert Skill.objects.filter(pk=skill.pk).exists()


def test_skills_are_searched_by_alias(staff_client: Client) -> None:
    page = staff_client.get(SKILLS, {"q": "golang"}).content.decode()

    assert ">Go<" in page
    assert ">Python<" not in page


def test_the_profile_list_filters_by_city_and_elsewhere(staff_client: Client) -> None:
    submitted("lhr@example.com", headline="Lahore person", city="lahore")
    submitted("yyz@example.com", headline="Toronto person", city="Toronto")
    submitted("mux@example.com", headline="Multan person", city="Multan")

    lahore = staff_client.get(PROFILES, {"city": "Lahore"}).content.decode()
    elsewhere = staff_client.get(PROFILES, {"city": "elsewhere"}).content.decode()

    assert "Lahore person" in lahore
    assert "Toronto person" not in lahore
    assert "Multan person" in elsewhere
    assert "Lahore person" not in elsewhere
    assert "Toronto person" not in elsewhere


def test_the_merge_page_says_how_many_profiles_list_each_skill(staff_client: Client) -> None:
    source = Skill.objects.create(
        name="Golang services", slug="golang-services", category="language"
    )
    for _ in range(2):
        services.skill_set(profile=ProfileFactory(), skill=source, years=Decimal("2"), level=2)

    response = staff_client.post(
        SKILLS, {"action": "merge_skills", "_selected_action": [source.pk]}
    )

    assert "Golang services (Languages): listed on 2 profiles" in response.content.decode()


def test_merging_in_the_admin_also_moves_the_briefs_that_ask_for_the_skill(
    staff_client: Client,
) -> None:
    source = Skill.objects.create(name="Postgres admin", slug="postgres-admin", category="database")
    target = Skill.objects.get(name="PostgreSQL")
    profile = ProfileFactory()
    services.skill_set(profile=profile, skill=source, years=Decimal("2"), level=2)
    asked = BriefSkillFactory(skill=source)

    merge(staff_client, [source], target)

    assert not Skill.objects.filter(pk=source.pk).exists()
    assert ProfileSkill.objects.filter(profile=profile, skill=target).exists()
    asked.refresh_from_db()
    assert asked.skill == target

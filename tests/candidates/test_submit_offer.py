"""The profile overview offers "Submit for review" only when there is something to submit,
and says plainly what is missing; each section page leads on to the next."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from candidates import selectors
from candidates.models import Profile, Skill
from tests.candidates.test_editing import about_data
from tests.factories import ProfileSkillFactory

pytestmark = pytest.mark.django_db

SUBMIT_BUTTON = '<button class="button" type="submit">Submit for review</button>'


@pytest.fixture
def profile(client: Client, engineer: User) -> Profile:
    client.force_login(engineer)
    return selectors.get_own_profile(engineer)


def test_an_empty_profile_is_told_what_is_missing_and_offered_no_submit_button(
    client: Client, profile: Profile
) -> None:
    body = client.get(reverse("candidates:me")).content.decode()

    assert "<strong>0%</strong>" in body
    assert SUBMIT_BUTTON not in body
    assert "You can submit your profile for review once it has:" in body
    assert f'<a href="{reverse("candidates:skills")}">At least 3 skills</a>' in body
    assert f'<a href="{reverse("candidates:about")}">A headline</a>' in body


def test_a_complete_profile_is_offered_the_submit_button(client: Client, profile: Profile) -> None:
    client.post(reverse("candidates:about"), about_data())
    for name in ("Python", "Django", "PostgreSQL"):
        ProfileSkillFactory(profile=profile, skill=Skill.objects.get(name=name))

    body = client.get(reverse("candidates:me")).content.decode()

    assert SUBMIT_BUTTON in body
    assert "Everything staff need is there." in body


def test_submitting_too_early_says_the_profile_was_not_sent_and_why(
    client: Client, profile: Profile
) -> None:
    response = client.post(reverse("candidates:submit"))

    body = response.content.decode()
    assert response.status_code == 400
    assert "Your profile was not sent for review" in body
    assert "Nothing was changed" not in body
    assert "Before you submit, add: a headline" in body


def test_save_and_continue_on_about_you_goes_on_to_skills(client: Client, profile: Profile) -> None:
    response = client.post(reverse("candidates:about"), about_data(then="skills"))

    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:skills")
    plain = client.post(reverse("candidates:about"), about_data())
    assert plain["Location"] == reverse("candidates:me")


@pytest.mark.parametrize(
    ("page", "next_page", "label"),
    [
        ("candidates:skills", "candidates:portfolio", "Next: Portfolio"),
        ("candidates:portfolio", "candidates:experience", "Next: Experience"),
        ("candidates:experience", "candidates:resume", "Next: Resume"),
        ("candidates:resume", "candidates:me", "Next: Review and submit"),
    ],
)
def test_each_section_page_links_to_the_next(
    client: Client, profile: Profile, page: str, next_page: str, label: str
) -> None:
    body = client.get(reverse(page)).content.decode()

    assert f'href="{reverse(next_page)}">{label}' in body


def test_the_about_page_marks_what_submission_needs_instead_of_optional(
    client: Client, profile: Profile
) -> None:
    body = client.get(reverse("candidates:about")).content.decode()

    for label in ("Headline", "Seniority"):
        assert f'{label} <span class="field__needed">(needed to submit)</span>' in body
    assert 'Headline <span class="field__optional">' not in body
    assert 'GitHub <span class="field__optional">(optional)</span>' in body

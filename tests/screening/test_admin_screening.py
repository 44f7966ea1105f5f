"""Staff see assessments, kits, interviews and the question bank in the admin; only the
starter questions can be changed there (the rest changes through the product)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import Assessment, AssessmentTemplate, Interview, InterviewKit, Question
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client, settings: Any) -> Client:
    settings.DEBUG = True
    call_command("demo_data", stdout=StringIO())
    client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model", [AssessmentTemplate, Assessment, InterviewKit, Interview, Question]
)
def test_staff_list_and_open_every_screening_record(staff_client: Client, model: Any) -> None:
    meta = model._meta
    listing = staff_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    one = model.objects.order_by("pk").first()
    page = staff_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[one.pk])
    )
    assert page.status_code == 200


def test_assessments_and_interviews_cannot_be_changed_from_the_admin(
    staff_client: Client,
) -> None:
    assessment = Assessment.objects.get(status=Assessment.Status.SUBMITTED)
    url = reverse("admin:screening_assessment_change", args=[assessment.pk])
    response = staff_client.post(url, {"status": "graded", "title": "Changed"})
    assessment.refresh_from_db()
    assert response.status_code == 403
    assert (assessment.status, assessment.title) == (
        "submitted",
        "Settlement reconciliation (take-home)",
    )
    assert staff_client.get(reverse("admin:screening_interview_add")).status_code == 403


def test_only_starter_questions_are_editable_by_staff(staff_client: Client) -> None:
    starter = Question.objects.filter(company__isnull=True).first()
    own = Question.objects.filter(company__isnull=False).first()
    assert starter is not None and own is not None
    form = staff_client.get(reverse("admin:screening_question_change", args=[starter.pk]))
    assert b'name="text"' in form.content
    theirs = staff_client.get(reverse("admin:screening_question_change", args=[own.pk]))
    assert b'name="text"' not in theirs.content

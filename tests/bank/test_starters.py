"""Karigar's starter questions: data every company starts with, the guide's five among them."""

from __future__ import annotations

import importlib
from html import unescape
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from screening.models import Focus, InterviewKit, KitQuestion, Question
from tests.bank.conftest import GUIDE_QUESTIONS
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("screening.migrations.0003_starter_questions")


def test_the_guides_five_questions_are_starters_word_for_word():
    starters = {q.text: q for q in Question.objects.filter(company__isnull=True)}

    for text in GUIDE_QUESTIONS:
        assert text in starters
    assert starters[GUIDE_QUESTIONS[0]].focus == Focus.SYSTEM_DESIGN
    assert starters[GUIDE_QUESTIONS[1]].focus == Focus.DATABASES
    assert starters[GUIDE_QUESTIONS[2]].focus == Focus.SECURITY
    assert starters[GUIDE_QUESTIONS[3]].focus == Focus.RELIABILITY
    assert starters[GUIDE_QUESTIONS[4]].focus == Focus.DEVOPS


def test_there_are_about_ten_more_across_the_focus_attributes_each_with_a_good_answer():
    starters = list(Question.objects.filter(company__isnull=True))

    assert len(starters) >= 15
    focuses = {q.focus for q in starters}
    for focus in (
        Focus.SYSTEM_DESIGN,
        Focus.DATABASES,
        Focus.APIS,
        Focus.SECURITY,
        Focus.PERFORMANCE,
        Focus.RELIABILITY,
        Focus.TESTING,
        Focus.DEVOPS,
        Focus.COMMUNICATION,
        Focus.COLLABORATION,
    ):
        assert focus in focuses
    for question in starters:
        assert question.focus in Focus.values
        assert len(question.good_answer) > 80
        assert question.archived_at is None


@pytest.mark.parametrize("company", ["first", "second"])
def test_every_company_sees_the_starters_in_its_bank(client: Client, company: str):
    employer = EmployerFactory()
    client.force_login(employer)

    page = unescape(client.get(reverse("screening:questions")).content.decode())

    for text in GUIDE_QUESTIONS:
        assert text in page
    assert Question.objects.for_company(employer.membership.company).filter(
        company__isnull=True
    ).count() == len(migration.STARTERS)


def test_undoing_the_migration_keeps_starters_that_kits_use_and_redoing_it_adds_no_twins(
    owner: Any,
):
    used = Question.objects.get(text=GUIDE_QUESTIONS[0])
    kit = InterviewKit.objects.create(company=owner.membership.company, title="K", focus=["apis"])
    KitQuestion.objects.create(kit=kit, question=used, position=1)

    migration.remove_starters(django_apps, None)

    assert list(Question.objects.filter(company__isnull=True)) == [used]

    migration.add_starters(django_apps, None)
    migration.add_starters(django_apps, None)

    assert Question.objects.filter(company__isnull=True).count() == len(migration.STARTERS)
    assert Question.objects.filter(text=GUIDE_QUESTIONS[0]).count() == 1

"""Faults found by an adversarial pass over issue 10's pipeline, outreach and threads.

Each test failed before its fix: bad input answered 500, state changes that the
product promises to refuse went through, emails said the wrong thing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from screening.models import Candidacy
from tests.factories import BriefFactory, ProfileFactory, candidacy_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa_brief(owner: Any) -> Any:
    return BriefFactory(company=owner.membership.company, created_by=owner, title="Ledger API")


@pytest.fixture
def qa_candidacy(qa_brief: Any, owner: Any, engineer: Any) -> Any:
    return candidacy_in(qa_brief, ProfileFactory(user=engineer, status="approved"), user=owner)


@pytest.fixture
def employer_client(owner: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


@pytest.fixture
def engineer_client(engineer: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(engineer)
    return client


# Ids that are digits to str.isdigit() but not to int(): "²" --------------------------


def test_it_refuses_a_superscript_digit_as_an_engineer_id_to_add(
    employer_client: Client, qa_brief: Any
) -> None:
    response = employer_client.post(reverse("screening:add", args=[qa_brief.pk]), {"profile": "²"})
    assert response.status_code == 400
    assert "not an engineer we know" in response.content.decode()
    assert not Candidacy.objects.filter(brief=qa_brief).exists()


def test_it_answers_404_for_a_superscript_digit_as_a_template_id(
    employer_client: Client, qa_candidacy: Any
) -> None:
    url = reverse("hiring:outreach_new", args=[qa_candidacy.pk]) + "?template=%C2%B2"
    assert employer_client.get(url).status_code == 404

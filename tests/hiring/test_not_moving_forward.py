"""Closing a card as not a fit tells the engineer only when the team chooses to."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from hiring import services
from hiring.models import Message, Outreach
from screening.models import Stage
from screening.services import candidacy_move
from tests.factories import outreach_sent

pytestmark = pytest.mark.django_db


def accepted() -> Outreach:
    outreach = outreach_sent()
    services.outreach_accept(outreach=outreach, user=outreach.profile.user)
    mail.outbox.clear()
    return outreach


@pytest.mark.parametrize("told", [True, False])
def test_the_engineer_hears_not_moving_forward_only_when_told(
    client: Client, django_capture_on_commit_callbacks, told: bool
) -> None:
    outreach = accepted()
    engineer = outreach.profile.user

    with django_capture_on_commit_callbacks(execute=True):
        candidacy_move(
            candidacy=outreach.candidacy,
            to=Stage.NOT_A_FIT,
            by=outreach.sender,
            reason="skills",
            note="Internal: weaker on Celery than the others.",
            told_engineer=told,
        )

    to_engineer = [m for m in mail.outbox if engineer.email in m.to]
    lines = list(Message.objects.filter(thread=outreach.thread).values_list("body", flat=True))
    client.force_login(engineer)
    page = client.get(reverse("hiring:opportunities")).content.decode()
    if told:
        assert len(to_engineer) == 1
        assert "decided not to move forward" in to_engineer[0].body
        assert "Celery" not in to_engineer[0].body and "Not a fit" not in to_engineer[0].body
        assert any("not to move forward" in line for line in lines)
        assert "Not moving forward" in page
    else:
        assert to_engineer == []
        assert not any("not to move forward" in line for line in lines)
        assert "In conversation" in page
    assert "Not a fit" not in page and "Celery" not in page

"""The landing page promises what works: every step of the guide's flow, contracts included."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse


def blocks(html: str, pattern: str) -> list[str]:
    return [match.group(0) for match in re.finditer(pattern, html, re.DOTALL)]


@pytest.fixture
def landing(client: Client, db: None) -> str:
    response = client.get(reverse("landing"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_landing_page_names_contracts_and_check_ins_as_working(landing: str) -> None:
    lists = blocks(landing, r'<ul class="ticks">.*?</ul>')
    lead = blocks(landing, r'<p class="hero__lead">.*?</p>')[0]

    assert len(lists) == 2
    companies, engineers = lists
    assert "contract" in companies and "check-in" in companies
    assert "contract" in engineers
    assert "contract" in lead and "check-ins" in lead
    assert "coming next" not in landing.lower()


def test_no_step_says_it_is_coming(landing: str) -> None:
    steps = blocks(landing, r"<li>\s*<h3>.*?</li>")

    assert len(steps) == 5
    assert "Coming soon" not in landing
    assert "check-ins" in steps[-1] and "contract" in steps[-1]

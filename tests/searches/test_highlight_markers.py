"""A profile's own text cannot forge the highlighter's marks on the results page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Company
from candidates.models import Profile

pytestmark = pytest.mark.django_db


def test_marker_characters_in_a_profile_do_not_become_marks_on_the_results_page(
    client: Client, company: Company, people: dict[str, Profile]
) -> None:
    Profile.objects.filter(pk=people["ayesha"].pk).update(
        headline="\x02<script>alert(1)</script>\x03 Ledger \x03 engineer \x02",
        bio="I rebuilt a payments ledger; \x02trust me\x03 \x03</div>",
    )
    client.force_login(company.memberships.get().user)

    response = client.get(reverse("searches:browse"), {"skills": ["python"], "q": "ledger"})

    body = response.content.decode()
    assert response.status_code == 200
    marks = re.findall(r"<mark>(.*?)</mark>", body)
    assert marks and {mark.lower() for mark in marks} == {"ledger"}  # only the searched word
    assert body.count("<mark>") == body.count("</mark>") == len(marks)
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "ledger</mark>; trust me" in body

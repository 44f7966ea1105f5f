"""What a result card shows: the skills the search asked about, and a score only
when the search asked for something to score against."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Company
from candidates.models import Skill
from tests.factories import BriefFactory
from tests.searches.test_search import engineer

pytestmark = pytest.mark.django_db


def card_skills(body: str) -> list[str]:
    """The skill names on the (only) result card, in order."""
    tags = re.search(r'<ul class="tags" aria-label="Skills">(.*?)</ul>', body, re.S)
    assert tags is not None
    return re.findall(r'<li class="tag">(.+?) \S+</li>', tags.group(1))


def test_a_card_shows_the_briefs_skills_first_even_the_engineers_least_used(
    client: Client,
) -> None:
    names = list(Skill.objects.order_by("name").values_list("name", flat=True)[:10])
    # Ten skills; the brief's must-have is the one used least, its nice-to-have the next.
    years = {name: str(12 - n) for n, name in enumerate(names)}
    engineer("Tenskill Person", years, "30", 12)
    brief = BriefFactory(must=[names[-1]], nice=[names[-2]])
    client.force_login(brief.created_by)

    response = client.get(reverse("searches:results", args=[brief.pk]))

    shown = card_skills(response.content.decode())
    assert response.status_code == 200
    assert len(shown) == 8
    assert shown[:3] == [names[-1], names[-2], names[0]]  # must, nice, then by years
    assert shown[3:] == names[1:6]


def test_a_search_that_asks_nothing_shows_no_score(client: Client, company: Company) -> None:
    engineer("Plain Person", {"Python": "5"}, "30", 5)
    client.force_login(company.memberships.get().user)

    plain = client.get(reverse("searches:browse")).content.decode()
    asked = client.get(reverse("searches:browse"), {"skills": "python"}).content.decode()

    assert 'class="card result"' in plain
    assert "Match score" not in plain and "score__value" not in plain
    assert "Match score" in asked


@pytest.mark.parametrize("shortlisted", [False, True])
def test_a_cards_buttons_are_the_markup_the_other_pages_include(
    company: Company, shortlisted: bool
) -> None:
    """Cards are written in Python (searches.presenters.card_html); their shortlist and
    pipeline buttons must stay the ones the templates give every other page."""
    from django.template.loader import render_to_string

    from searches import presenters
    from searches.engine import Criteria

    profile = engineer("Rafay O'Neil <Dev>", {"Python": "4"}, "30", 5)
    brief = BriefFactory(company=company, title='Payments & "ledgers"', must=["Python"])
    profile.shortlisted = shortlisted
    profile.score = 80.0
    page = type("P", (), {"results": [profile]})()
    [result] = presenters.results(page, Criteria(), company, brief)  # type: ignore[arg-type]

    card = str(presenters.cards_html([result], brief))
    templates = render_to_string(
        "searches/_shortlist_toggle.html",
        {"brief": brief, "profile": profile, "shortlisted": shortlisted},
    ) + render_to_string("screening/_add_button.html", {"brief": brief, "profile": profile})

    def squeeze(html: str) -> str:
        return re.sub(r"\s+", " ", html).replace("> <", "><").strip()

    buttons = card[card.index('<div class="result__actions">') + 29 : card.rindex("</div>")]
    assert squeeze(buttons) == squeeze(templates)
    assert "Rafay O&#x27;Neil &lt;Dev&gt;" in card and "<Dev>" not in card

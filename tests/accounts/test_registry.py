"""Hooks through which higher apps add to a person's data and to lower apps' pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import registry
from accounts import services as account_services
from accounts.models import User
from searches.models import Brief, ShortlistEntry
from tests.factories import (
    PASSWORD,
    BriefFactory,
    ProfileFactory,
    ShortlistEntryFactory,
    candidacy_in,
    outreach_sent,
)

pytestmark = pytest.mark.django_db


def test_every_app_registers_its_part_of_a_persons_data() -> None:
    assert [part.app for part in registry.personal_data_parts()] == [
        "accounts",
        "candidates",
        "searches",
        "screening",
        "hiring",
    ]


def test_the_export_gathers_each_apps_part(owner: User, engineer: User) -> None:
    ProfileFactory(user=engineer, skills=["Python"])
    BriefFactory(company=owner.membership.company, created_by=owner, title="Payments API")

    engineers = account_services.account_export(user=engineer)
    owners = account_services.account_export(user=owner)

    assert engineers["account"]["email"] == engineer.email
    assert [s["skill"] for s in engineers["skills"]] == ["Python"]
    assert "briefs_you_wrote" not in engineers
    assert [b["title"] for b in owners["briefs_you_wrote"]] == ["Payments API"]
    assert "profile" not in owners


def test_erasing_an_engineer_removes_them_from_every_shortlist(
    client: Client, owner: User, engineer: User
) -> None:
    profile = ProfileFactory(user=engineer, status="approved")
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    ShortlistEntryFactory(brief=brief, profile=profile, note="strong", added_by=owner)
    client.force_login(engineer)

    response = client.post(reverse("candidates:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=engineer.pk).exists()
    assert not ShortlistEntry.objects.exists()
    assert Brief.objects.filter(pk=brief.pk).exists()


def test_a_panel_shows_only_when_its_context_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_panels", {})
    seen: list[dict[str, Any]] = []

    def shown(request: Any, **page: Any) -> dict[str, Any]:
        seen.append(page)
        return {"message": "hello from a panel", "ok": True}

    registry.panel_register("test", name="a", template="message.html#message", context=shown)
    registry.panel_register(
        "test", name="b", template="message.html#message", context=lambda *a, **k: None
    )
    registry.panel_register("other", name="c", template="message.html#message", context=shown)

    html = registry.panels_render("test", RequestFactory().get("/"), answer=42)

    assert len(html) == 1 and "hello from a panel" in html[0]
    assert seen == [{"answer": 42}]


def test_the_export_holds_outreach_and_messages_but_never_stage_names_or_reviews(
    owner: User, engineer: User
) -> None:
    from hiring import services as hiring
    from screening.services import review_save

    profile = ProfileFactory(user=engineer, status="approved")
    brief = BriefFactory(company=owner.membership.company, created_by=owner, title="Ledger")
    candidacy = candidacy_in(brief, profile, user=owner)
    review_save(candidacy=candidacy, author=owner, rating=2, note="secret team note")
    outreach = outreach_sent(candidacy, sender=owner)
    hiring.outreach_accept(outreach=outreach, user=engineer, note="Glad to talk")

    engineers = account_services.account_export(user=engineer)
    owners = account_services.account_export(user=owner)

    [received] = engineers["outreach_you_received"]
    assert received["brief"] == "Ledger" and received["status"] == "In conversation"
    assert [g["company"] for g in engineers["contact_details_shared_with"]] == [
        owner.membership.company.name
    ]
    assert [m["text"] for m in engineers["messages_you_wrote"]] == ["Glad to talk"]
    text = str(engineers)
    assert "secret team note" not in text and "Interested" not in text
    assert [r["note"] for r in owners["reviews_you_wrote"]] == ["secret team note"]
    assert [o["brief"] for o in owners["outreach_you_sent"]] == ["Ledger"]


def test_erasing_a_teammate_keeps_the_engineers_conversation_unsigned(
    owner: User, teammate: User, engineer: User
) -> None:
    from hiring import services as hiring
    from hiring.models import Message, Outreach
    from screening.models import Candidacy, StageMove

    profile = ProfileFactory(user=engineer, status="approved")
    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    outreach = outreach_sent(candidacy_in(brief, profile, user=teammate), sender=teammate)
    hiring.message_post(thread=outreach.thread, author=teammate, side="company", body="Hello!")

    for part in reversed(registry.personal_data_parts()):
        if part.erase is not None:
            part.erase(teammate)
    teammate.delete()

    assert Message.objects.filter(body="Hello!", author__isnull=True).exists()
    assert Outreach.objects.get(pk=outreach.pk).sender is None
    assert Candidacy.objects.get(brief=brief).added_by is None
    assert not StageMove.objects.filter(by__isnull=False).exists()

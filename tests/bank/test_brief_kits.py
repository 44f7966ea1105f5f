"""A brief's technical and final interview kits, chosen from the company's kits, and the
links to the bank, kits and assessment templates from the pipeline pages."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening.models import BriefKit, InterviewKit, Question
from tests.bank.conftest import make_kit
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def final_kit(bank_company: Any, bank_question: Question) -> InterviewKit:
    return make_kit(
        bank_company, [bank_question], title="Final: fit and communication", kind="final"
    )


def _kits(brief: Any) -> dict[str, int]:
    return dict(BriefKit.objects.filter(brief=brief).values_list("kind", "kit_id"))


def test_it_sets_the_briefs_technical_and_final_kits(
    client: Client, owner: Any, bank_brief: Any, bank_kit: InterviewKit, final_kit: InterviewKit
):
    url = reverse("screening:brief_kits", args=[bank_brief.pk])
    client.force_login(owner)

    page = _text(client.get(url))
    response = client.post(url, {"technical": bank_kit.pk, "final": final_kit.pk})

    assert bank_kit.title in page and final_kit.title in page
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:board", args=[bank_brief.pk])
    assert _kits(bank_brief) == {"technical": bank_kit.pk, "final": final_kit.pk}
    shown = client.get(url).content.decode()
    assert f'<option value="{bank_kit.pk}" selected>' in shown


def test_it_changes_and_clears_them(
    client: Client, owner: Any, bank_brief: Any, bank_kit: InterviewKit, final_kit: InterviewKit
):
    BriefKit.objects.create(brief=bank_brief, kind="technical", kit=bank_kit)
    BriefKit.objects.create(brief=bank_brief, kind="final", kit=final_kit)
    other = make_kit(bank_kit.company, [], title="Short technical")
    client.force_login(owner)

    client.post(
        reverse("screening:brief_kits", args=[bank_brief.pk]), {"technical": other.pk, "final": ""}
    )

    assert _kits(bank_brief) == {"technical": other.pk}


def test_a_teammate_sets_them_too(
    client: Client, teammate: Any, bank_brief: Any, bank_kit: InterviewKit
):
    client.force_login(teammate)

    client.post(reverse("screening:brief_kits", args=[bank_brief.pk]), {"technical": bank_kit.pk})

    assert _kits(bank_brief) == {"technical": bank_kit.pk}


def _not_usable(which: str, owner: Any, outsider: Any, final_kit: InterviewKit) -> Any:
    if which == "foreign":
        return make_kit(outsider.membership.company, [], title="Theirs").pk
    if which == "wrong_kind":
        return final_kit.pk
    if which == "archived":
        old = make_kit(owner.membership.company, [], title="Old")
        InterviewKit.objects.filter(pk=old.pk).update(archived_at=timezone.now())
        return old.pk
    return "1; drop table"


@pytest.mark.parametrize("which", ["foreign", "wrong_kind", "archived", "nonsense"])
def test_a_kit_that_is_not_the_companys_of_that_kind_is_refused(
    client: Client,
    owner: Any,
    outsider: Any,
    bank_brief: Any,
    bank_kit: InterviewKit,
    final_kit: InterviewKit,
    which: str,
):
    BriefKit.objects.create(brief=bank_brief, kind="technical", kit=bank_kit)
    chosen = _not_usable(which, owner, outsider, final_kit)
    client.force_login(owner)

    response = client.post(
        reverse("screening:brief_kits", args=[bank_brief.pk]), {"technical": chosen}
    )

    assert response.status_code == 400
    assert "That is not one of your team's technical interview kits" in _text(response)
    assert _kits(bank_brief) == {"technical": bank_kit.pk}


def test_another_companys_brief_is_not_found(
    client: Client, outsider: Any, bank_brief: Any, bank_kit: InterviewKit
):
    theirs = make_kit(outsider.membership.company, [], title="Theirs")
    client.force_login(outsider)
    url = reverse("screening:brief_kits", args=[bank_brief.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"technical": theirs.pk}).status_code == 404
    assert client.post(url, {"technical": bank_kit.pk}).status_code == 404
    assert not BriefKit.objects.exists()


def test_engineers_get_not_found(client: Client, engineer: Any, bank_brief: Any):
    client.force_login(engineer)

    assert client.get(reverse("screening:brief_kits", args=[bank_brief.pk])).status_code == 404


def test_without_kits_the_page_says_to_make_one(client: Client, owner: Any, bank_brief: Any):
    client.force_login(owner)

    page = _text(client.get(reverse("screening:brief_kits", args=[bank_brief.pk])))

    assert "Your team has no interview kits yet" in page
    assert reverse("screening:kit_new") in page


def test_the_board_links_to_the_briefs_kits(client: Client, owner: Any, bank_brief: Any):
    client.force_login(owner)

    page = _text(client.get(reverse("screening:board", args=[bank_brief.pk])))

    assert reverse("screening:brief_kits", args=[bank_brief.pk]) in page


def test_the_pipelines_page_links_to_the_bank_kits_and_assessment_templates(
    client: Client, owner: Any
):
    BriefFactory(company=owner.membership.company, created_by=owner)
    client.force_login(owner)

    page = _text(client.get(reverse("screening:company_funnel")))

    for name in ("questions", "kits", "assessment_templates"):
        assert reverse(f"screening:{name}") in page
    assert "Question bank" in page and "Interview kits" in page
    assert "Assessment templates" in page

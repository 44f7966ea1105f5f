"""The employer's outreach form: terms from the brief, templates, preview, send, limits."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import registry
from candidates.models import Profile
from candidates.services import company_block, profile_pause
from hiring.models import MessageTemplate, Outreach, OutreachHold
from hiring.services import outreach_accept, outreach_decline
from screening.models import Stage
from screening.registry import card_actions
from searches.models import Brief
from tests.factories import EmployerFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db


def _url(candidacy: Any) -> str:
    return reverse("hiring:outreach_new", args=[candidacy.pk])


def test_it_prefills_the_terms_from_the_brief(client: Client, owner: Any, outreach_candidacy: Any):
    Brief.objects.filter(pk=outreach_candidacy.brief_id).update(
        max_hourly_usd=40, hours_per_week=30, description="Ledger for a wallet app."
    )
    client.force_login(owner)

    response = client.get(_url(outreach_candidacy))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Reach out to Sana Javed" in page
    assert "Ledger for a wallet app." in page
    assert 'name="rate_amount" value="40.00"' in page
    assert 'name="hours_per_week" value="30"' in page
    in_two_weeks = timezone.localdate() + timedelta(days=14)
    assert f'value="{in_two_weeks:%Y-%m-%d}"' in page
    assert reverse("hiring:template_list") in page


def test_a_template_fills_the_message_for_this_engineer(
    client: Client, teammate: Any, outreach_candidacy: Any
):
    template = MessageTemplate.objects.create(
        company=outreach_candidacy.company,
        name="First contact",
        body="Hi {first_name}, {company_name} is hiring for {brief_title}.",
    )
    client.force_login(teammate)

    page = unescape(
        client.get(_url(outreach_candidacy), {"template": template.pk}).content.decode()
    )

    company = outreach_candidacy.company.name
    assert f"Hi Sana, {company} is hiring for Payments backend." in page


def test_another_companys_template_cannot_be_used(
    client: Client, owner: Any, outreach_candidacy: Any
):
    theirs = MessageTemplate.objects.create(
        company=EmployerFactory().membership.company, name="Theirs", body="Secret pitch"
    )
    client.force_login(owner)

    response = client.get(_url(outreach_candidacy), {"template": theirs.pk})

    assert response.status_code == 404
    assert "Secret pitch" not in response.content.decode()


def test_preview_shows_the_email_and_keeps_the_form_without_sending(
    client: Client, owner: Any, outreach_candidacy: Any, outreach_form_data: Any
):
    client.force_login(owner)

    response = client.post(
        _url(outreach_candidacy), {**outreach_form_data(message="Loved your talk."), "preview": "1"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview: the email Sana Javed will get" in page
    assert "would like to talk to you about Payments backend" in page  # the subject
    assert "USD 35 an hour" in page
    assert page.count("Loved your talk.") == 2  # in the preview and still in the form
    assert "Send outreach" in page
    assert not Outreach.objects.exists()
    assert mail.outbox == []


def test_sending_moves_the_card_to_contacted_and_emails_the_engineer(
    client: Client,
    owner: Any,
    outreach_candidacy: Any,
    outreach_form_data: Any,
    django_capture_on_commit_callbacks: Any,
):
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(outreach_candidacy), {**outreach_form_data(), "send": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("screening:candidacy", args=[outreach_candidacy.pk])
    outreach = Outreach.objects.get()
    assert outreach.sender == owner
    assert outreach.message == "Hello {first_name}"
    outreach_candidacy.refresh_from_db()
    assert outreach_candidacy.stage == Stage.CONTACTED
    [email] = mail.outbox
    assert email.to == ["engineer@example.com"]
    assert reverse("hiring:opportunity", args=[outreach.pk]) in email.body
    assert "USD 35 an hour" in email.body
    notice = client.get(response["Location"]).wsgi_request._messages  # type: ignore[attr-defined]
    assert any("Outreach sent to Sana Javed" in str(m) for m in notice)


def test_a_double_submit_sends_one_outreach_and_answers_409(
    client: Client,
    owner: Any,
    outreach_candidacy: Any,
    outreach_form_data: Any,
    django_capture_on_commit_callbacks: Any,
):
    client.force_login(owner)
    data = {**outreach_form_data(), "send": "1"}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(_url(outreach_candidacy), data)
        second = client.post(_url(outreach_candidacy), data)

    assert first.status_code == 302
    assert second.status_code == 409
    assert "already waiting" in second.content.decode()
    assert Outreach.objects.count() == 1
    assert len(mail.outbox) == 1


def _today(days: int = 0) -> str:
    return str(timezone.localdate() + timedelta(days=days))


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"rate_amount": "-5"}, "Give a rate above zero."),
        ({"rate_amount": "0"}, "Give a rate above zero."),
        ({"rate_amount": "5000"}, "USD 5,000 an hour looks like a typo"),
        ({"rate_amount": "900000", "rate_unit": "PKR/hour"}, "looks like a typo"),
        ({"rate_amount": "lots"}, "Enter a number."),
        ({"decide_by": _today()}, "pick a date after today"),
        ({"decide_by": _today(-1)}, "pick a date after today"),
        ({"decide_by": _today(61)}, "at most 60 days from today"),
        ({"decide_by": "2026-13-45"}, "Enter a valid date."),
        ({"start_date": _today(-1)}, "The start date has passed"),
        ({"start_date": "next week"}, "Enter a valid date."),
        ({"message": "x" * 5001}, "at most 5000 characters"),
        ({"assessment": None}, "Tick it, or clear the other two."),
        ({"assessment_hours": ""}, "Say how many hours the assessment may take"),
        ({"summary": ""}, "This field is required."),
        ({"hours_per_week": "200"}, "less than or equal to 80"),
    ],
)
def test_bad_terms_are_refused_with_a_clear_error_and_nothing_sent(
    client: Client,
    owner: Any,
    outreach_candidacy: Any,
    outreach_form_data: Any,
    changes: dict[str, Any],
    error: str,
):
    client.force_login(owner)

    response = client.post(_url(outreach_candidacy), {**outreach_form_data(**changes), "send": "1"})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Outreach.objects.exists()
    assert mail.outbox == []
    outreach_candidacy.refresh_from_db()
    assert outreach_candidacy.stage == Stage.SOURCED


def test_the_daily_limit_answers_429_on_the_31st(
    client: Client,
    settings: Any,
    owner: Any,
    outreach_candidacy: Any,
    outreach_form_data: Any,
):
    settings.OUTREACH_DAILY_LIMIT = 30
    brief = outreach_candidacy.brief
    for _ in range(30):
        outreach_sent(candidacy_in(brief, user=owner), sender=owner)
    client.force_login(owner)

    response = client.post(_url(outreach_candidacy), {**outreach_form_data(), "send": "1"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "sent 30 outreach today, the daily limit" in page
    assert "Send outreach" in page  # the form is still there, filled in
    assert Outreach.objects.count() == 30
    outreach_candidacy.refresh_from_db()
    assert outreach_candidacy.stage == Stage.SOURCED


def _unlisted(candidacy: Any) -> None:
    Profile.objects.filter(pk=candidacy.profile_id).update(status="submitted")


def _paused(candidacy: Any) -> None:
    profile_pause(profile=candidacy.profile)


def _suspended(candidacy: Any) -> None:
    Profile.objects.filter(pk=candidacy.profile_id).update(status="suspended")


def _blocking(candidacy: Any) -> None:
    company_block(profile=candidacy.profile, kind="name", value=candidacy.company.name)


def _held(candidacy: Any) -> None:
    OutreachHold.objects.create(company=candidacy.company, reason="Reports of spam")


def _brief_closed(candidacy: Any) -> None:
    Brief.objects.filter(pk=candidacy.brief_id).update(status=Brief.Status.CLOSED)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_unlisted, "their profile is not listed for your company"),
        (_paused, "their profile is not listed for your company"),
        (_suspended, "their profile is not listed for your company"),
        (_blocking, "their profile is not listed for your company"),
        (_held, "Karigar has paused outreach from your company"),
        (_brief_closed, "This brief is not open"),
    ],
)
def test_an_engineer_who_cannot_be_contacted_gets_a_reason_not_a_form(
    client: Client,
    owner: Any,
    outreach_candidacy: Any,
    outreach_form_data: Any,
    make: Any,
    reason: str,
):
    make(outreach_candidacy)
    client.force_login(owner)

    shown = client.get(_url(outreach_candidacy))
    sent = client.post(_url(outreach_candidacy), {**outreach_form_data(), "send": "1"})

    for response in (shown, sent):
        assert response.status_code == 400
        assert reason in response.content.decode()
        assert "Send outreach" not in response.content.decode()
    assert not Outreach.objects.exists()
    assert mail.outbox == []


def test_an_engineer_who_declined_this_brief_cannot_be_contacted_again(
    client: Client, owner: Any, outreach_waiting: Any, outreach_form_data: Any
):
    outreach_decline(outreach=outreach_waiting, user=outreach_waiting.profile.user, reason="rate")
    from screening.services import candidacy_reopen

    candidacy_reopen(candidacy=outreach_waiting.candidacy, by=owner)
    client.force_login(owner)

    response = client.post(_url(outreach_waiting.candidacy), {**outreach_form_data(), "send": "1"})

    assert response.status_code == 400
    assert "declined an outreach for this brief" in response.content.decode()
    assert Outreach.objects.count() == 1


def test_only_one_outreach_per_engineer_and_brief_can_wait(
    client: Client, owner: Any, outreach_waiting: Any
):
    client.force_login(owner)

    response = client.get(_url(outreach_waiting.candidacy))

    assert response.status_code == 409
    assert "already waiting for this engineer's answer" in unescape(response.content.decode())


def test_another_companys_candidacy_is_a_404(
    client: Client, outsider: Any, engineer: Any, outreach_candidacy: Any, outreach_form_data: Any
):
    for user in (outsider, engineer):
        client.force_login(user)
        assert client.get(_url(outreach_candidacy)).status_code == 404
        assert client.post(_url(outreach_candidacy), outreach_form_data()).status_code == 404
    assert not Outreach.objects.exists()


def test_sourced_cards_offer_reach_out():
    assert [(a.label, a.url_name) for a in card_actions("sourced")] == [
        ("Reach out", "hiring:outreach_new")
    ]
    assert card_actions("contacted") == []


# Withdrawing, and the candidacy page's outreach panel --------------------------------


def test_the_sender_withdraws_a_waiting_outreach(
    client: Client, teammate: Any, outreach_waiting: Any, django_capture_on_commit_callbacks: Any
):
    client.force_login(teammate)
    mail.outbox.clear()
    url = reverse("hiring:outreach_withdraw", args=[outreach_waiting.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    again = client.post(url)

    assert response.status_code == 302
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.WITHDRAWN
    outreach_waiting.candidacy.refresh_from_db()
    assert outreach_waiting.candidacy.stage == Stage.SOURCED
    [email] = mail.outbox
    assert email.to == ["engineer@example.com"]
    assert again.status_code == 409
    assert "cannot be withdrawn" in again.content.decode()


def test_an_answered_outreach_cannot_be_withdrawn(
    client: Client, owner: Any, outreach_waiting: Any
):
    outreach_accept(outreach=outreach_waiting, user=outreach_waiting.profile.user)
    client.force_login(owner)

    response = client.post(reverse("hiring:outreach_withdraw", args=[outreach_waiting.pk]))

    assert response.status_code == 409
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.ACCEPTED


def test_another_company_cannot_withdraw_it(client: Client, outsider: Any, outreach_waiting: Any):
    client.force_login(outsider)

    response = client.post(reverse("hiring:outreach_withdraw", args=[outreach_waiting.pk]))

    assert response.status_code == 404
    outreach_waiting.refresh_from_db()
    assert outreach_waiting.status == Outreach.Status.SENT


def _panel(user: Any, candidacy: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return "".join(registry.panels_render("candidacy", request, candidacy=candidacy))


def test_the_candidacy_page_shows_the_outreach_and_a_withdraw_button(
    owner: Any, outreach_waiting: Any
):
    html = _panel(owner, outreach_waiting.candidacy)

    assert "Waiting for an answer" in html
    assert "by Owner Person" in html
    assert "USD 35 an hour" in html
    assert "Reminders sent: 0 of 2" in html
    assert reverse("hiring:outreach_withdraw", args=[outreach_waiting.pk]) in html
    assert reverse("hiring:thread", args=[outreach_waiting.thread_id]) in html


def test_the_candidacy_page_shows_the_decline_reason_and_counter_proposal(
    owner: Any, outreach_waiting: Any
):
    from decimal import Decimal

    from hiring.services import outreach_reply

    engineer = outreach_waiting.profile.user
    outreach_reply(
        outreach=outreach_waiting,
        user=engineer,
        body="",
        counter_amount=Decimal("50"),
        counter_unit="USD/hour",
    )
    outreach_decline(outreach=outreach_waiting, user=engineer, reason="rate", note="Too low.")

    html = _panel(owner, outreach_waiting.candidacy)

    assert "Declined" in html
    assert "The rate is too low" in html
    assert "Too low." in html
    assert "USD 50 an hour" in html
    assert "outreach_withdraw" not in html and "/withdraw/" not in html


def test_the_panel_is_left_out_before_any_outreach(owner: Any, outreach_candidacy: Any):
    assert _panel(owner, outreach_candidacy) == ""

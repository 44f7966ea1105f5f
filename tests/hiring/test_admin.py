"""Staff see every outreach, thread and report in the admin, and can stop a company."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring import services
from hiring.models import ConsentGrant, MessageTemplate, Outreach, OutreachHold, Report
from tests.factories import UserFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def accepted() -> Outreach:
    outreach = outreach_sent(message="Hello there")
    services.outreach_accept(outreach=outreach, user=outreach.profile.user, note="Glad to")
    return outreach


def admin_url(model: str, action: str, *args: int) -> str:
    return reverse(f"admin:hiring_{model}_{action}", args=args)


def test_every_hiring_admin_page_loads_for_staff(staff_client: Client, accepted: Outreach) -> None:
    report = services.report_create(
        reporter=accepted.profile.user, message=accepted.thread.messages.last()
    )
    hold = services.outreach_stop(company=accepted.company, by=accepted.sender, reason="Reports")
    template = MessageTemplate.objects.create(company=accepted.company, name="Intro", body="Hi")
    grant = ConsentGrant.objects.get()
    rows = {
        "outreach": accepted.pk,
        "thread": accepted.thread_id,
        "report": report.pk,
        "outreachhold": hold.pk,
        "messagetemplate": template.pk,
        "consentgrant": grant.pk,
    }
    for model, pk in rows.items():
        assert staff_client.get(admin_url(model, "changelist")).status_code == 200, model
        assert staff_client.get(admin_url(model, "change", pk)).status_code == 200, model


def test_the_outreach_list_shows_who_sent_what_and_its_terms_are_read_only(
    staff_client: Client, accepted: Outreach
) -> None:
    page = staff_client.get(admin_url("outreach", "changelist")).content.decode()
    assert accepted.company.name in page
    assert accepted.brief.title in page
    assert accepted.profile.user.display_name in page

    page = staff_client.get(admin_url("outreach", "change", accepted.pk)).content.decode()
    assert 'name="rate_amount"' not in page
    assert "Build the settlement service" in page


def test_a_thread_shows_its_messages_read_only(staff_client: Client, accepted: Outreach) -> None:
    page = staff_client.get(admin_url("thread", "change", accepted.thread_id)).content.decode()
    assert "Glad to" in page
    assert "accepted the outreach" in page
    assert 'name="messages-0-body"' not in page


def test_open_reports_come_first(staff_client: Client) -> None:
    old = outreach_sent()
    new = outreach_sent()
    first = services.report_create(reporter=old.profile.user, outreach=old, note="first")
    second = services.report_create(reporter=new.profile.user, outreach=new, note="second")
    Report.objects.filter(pk=second.pk).update(status=Report.Status.RESOLVED)

    page = staff_client.get(admin_url("report", "changelist")).content.decode()

    assert page.index(admin_url("report", "change", first.pk)) < page.index(
        admin_url("report", "change", second.pk)
    )


def test_staff_mark_reports_resolved(staff_client: Client) -> None:
    outreach = outreach_sent()
    report = services.report_create(reporter=outreach.profile.user, outreach=outreach)

    response = staff_client.post(
        admin_url("report", "changelist"),
        {"action": "mark_resolved", "_selected_action": [report.pk]},
        follow=True,
    )

    assert "Marked 1 report(s) resolved." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_stopping_a_company_from_the_reports_makes_its_next_outreach_refused(
    staff_client: Client,
) -> None:
    outreach = outreach_sent()
    report = services.report_create(reporter=outreach.profile.user, outreach=outreach)
    another = candidacy_in(outreach.brief)
    assert services.outreach_refusal(another) is None

    response = staff_client.post(
        admin_url("report", "changelist"),
        {"action": "stop_company", "_selected_action": [report.pk]},
        follow=True,
    )

    assert f"Outreach stopped for: {outreach.company.name}" in response.content.decode()
    assert OutreachHold.objects.get().company == outreach.company
    assert "paused outreach from your company" in str(services.outreach_refusal(another))

    # Deleting the hold allows the company again.
    hold = OutreachHold.objects.get()
    staff_client.post(admin_url("outreachhold", "delete", hold.pk), {"post": "yes"})
    assert services.outreach_refusal(another) is None


def test_staff_stop_a_company_by_adding_a_hold(staff_client: Client) -> None:
    outreach = outreach_sent()
    another = candidacy_in(outreach.brief)

    response = staff_client.post(
        admin_url("outreachhold", "add"),
        {"company": outreach.company.pk, "reason": "Spam reported by three engineers"},
    )

    assert response.status_code == 302
    assert str(services.outreach_refusal(another)).startswith("Karigar has paused outreach")


def test_engineers_and_employers_cannot_open_the_hiring_admin(
    client: Client, owner: User, engineer: User, accepted: Outreach
) -> None:
    for user in (owner, engineer):
        client.force_login(user)
        response = client.get(admin_url("outreach", "changelist"))
        assert response.status_code == 302
        assert "/login/" in response["Location"]

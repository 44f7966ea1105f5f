"""The services behind the pipeline and outreach, end to end without pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from accounts.errors import Conflict, Refused
from candidates.models import ContactConsent
from hiring import services
from hiring.models import ConsentGrant, Message, Outreach
from screening.models import Stage
from tests.factories import ProfileFactory, candidacy_in, outreach_sent

pytestmark = pytest.mark.django_db


def test_it_walks_an_engineer_from_sourced_to_interested(django_capture_on_commit_callbacks):
    candidacy = candidacy_in()
    with django_capture_on_commit_callbacks(execute=True):
        outreach = outreach_sent(candidacy)
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.CONTACTED
    assert [m.to for m in mail.outbox] == [[candidacy.profile.user.email]]

    engineer = candidacy.profile.user
    with django_capture_on_commit_callbacks(execute=True):
        services.outreach_accept(outreach=outreach, user=engineer, note="Happy to talk.")
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.INTERESTED
    assert ContactConsent.objects.filter(
        profile=candidacy.profile, company=candidacy.company
    ).exists()
    assert ConsentGrant.objects.get().outreach == outreach
    assert list(candidacy.moves.values_list("to_stage", flat=True)) == [
        Stage.SOURCED,
        Stage.CONTACTED,
        Stage.INTERESTED,
    ]
    assert Message.objects.filter(thread=outreach.thread, side="engineer").count() == 1
    with pytest.raises(Conflict):
        services.outreach_decline(outreach=outreach, user=engineer, reason="rate")


def test_a_declined_brief_cannot_be_contacted_again():
    candidacy = candidacy_in()
    outreach = outreach_sent(candidacy)
    services.outreach_decline(outreach=outreach, user=candidacy.profile.user, reason="rate")
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.DECLINED
    from screening.services import candidacy_reopen

    candidacy_reopen(candidacy=candidacy, by=candidacy.brief.created_by)
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.SOURCED
    with pytest.raises(Refused, match="declined"):
        outreach_sent(candidacy)


def test_follow_ups_and_expiry_run_in_the_engineers_zone_and_only_once():
    profile = ProfileFactory(status="approved", time_zone="America/New_York")
    candidacy = candidacy_in(profile=profile)
    outreach = outreach_sent(candidacy)
    sent_day = outreach.sent_local_date()
    due = outreach.follow_up_due_at()
    assert due is not None
    assert due.astimezone(UTC).hour in (14, 15)  # 10:00 in New York, EST or EDT
    assert (due.date() - sent_day).days in (3, 4)
    mail.outbox.clear()
    assert services.outreach_sweep(now=due - timedelta(minutes=1)) == {
        "expired": 0,
        "follow_ups": 0,
    }
    assert services.outreach_sweep(now=due) == {"expired": 0, "follow_ups": 1}
    assert services.outreach_sweep(now=due) == {"expired": 0, "follow_ups": 0}
    end = Outreach.objects.get(pk=outreach.pk).expires_at()
    assert services.outreach_sweep(now=end)["expired"] == 1
    candidacy.refresh_from_db()
    assert candidacy.stage == Stage.NO_ANSWER


def test_a_reply_stops_reminders():
    outreach = outreach_sent()
    services.outreach_reply(outreach=outreach, user=outreach.profile.user, body="What stack?")
    outreach.refresh_from_db()
    assert outreach.follow_up_due_at() is None
    assert outreach.status == Outreach.Status.SENT


def test_digest_batches_messages(settings):
    outreach = outreach_sent()
    thread = outreach.thread
    engineer = outreach.profile.user
    mail.outbox.clear()
    services.message_post(thread=thread, author=engineer, side="engineer", body="One")
    assert services.digest_send(thread_id=thread.pk, reader="company")
    services.message_post(thread=thread, author=engineer, side="engineer", body="Two")
    assert not services.digest_send(thread_id=thread.pk, reader="company")
    thread.refresh_from_db()
    later = thread.company_notified_at
    from hiring.models import Thread

    Thread.objects.filter(pk=thread.pk).update(company_notified_at=later - timedelta(minutes=16))
    assert services.digest_sweep() == 1
    assert services.digest_sweep() == 0
    assert datetime.now(UTC) > later

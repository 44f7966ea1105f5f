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


# Rates between 0 and 1: the form let them through, the model refused them (500) -------


@pytest.fixture
def outreach_post() -> Any:
    from tests.factories import outreach_terms

    def build(**overrides: Any) -> dict[str, str]:
        values: dict[str, Any] = {**outreach_terms(), "message": "Hello"}
        values.update(overrides)
        return {k: ("on" if v is True else str(v)) for k, v in values.items() if v is not False}

    return build


@pytest.mark.parametrize("amount", ["0.5", "0.01"])
def test_it_refuses_a_rate_below_one_with_a_message(
    employer_client: Client, qa_candidacy: Any, outreach_post: Any, amount: str
) -> None:
    from hiring.models import Outreach

    url = reverse("hiring:outreach_new", args=[qa_candidacy.pk])
    response = employer_client.post(url, outreach_post(rate_amount=amount))
    assert response.status_code == 400
    assert "Give a rate of at least 1." in response.content.decode()
    assert not Outreach.objects.exists()
    qa_candidacy.refresh_from_db()
    assert qa_candidacy.stage == "sourced"


def test_it_refuses_terms_the_model_rejects_without_using_up_the_daily_limit(
    qa_candidacy: Any, owner: Any, settings: Any
) -> None:
    from decimal import Decimal

    from accounts.errors import Refused
    from hiring.services import outreach_send
    from tests.factories import outreach_terms

    settings.OUTREACH_DAILY_LIMIT = 1
    with pytest.raises(Refused, match="greater than or equal to 1"):
        outreach_send(
            candidacy=qa_candidacy,
            sender=owner,
            terms=outreach_terms(rate_amount=Decimal("0.50")),
        )
    # The refused one did not count: the one outreach of the day still goes out.
    sent = outreach_send(candidacy=qa_candidacy, sender=owner, terms=outreach_terms())
    assert sent.status == "sent"


# Answering after the decide-by day ended, before the 15-minute sweep expired it -------


@pytest.fixture
def qa_waiting(qa_candidacy: Any, owner: Any) -> Any:
    from tests.factories import outreach_sent

    return outreach_sent(qa_candidacy, sender=owner)


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("hiring:accept", {}),
        ("hiring:decline", {"reason": "rate"}),
        ("hiring:reply", {"body": "Is the rate negotiable?"}),
    ],
)
def test_it_refuses_an_answer_once_the_decide_by_day_has_ended_in_the_engineers_zone(
    engineer_client: Client, qa_waiting: Any, url_name: str, data: dict[str, str]
) -> None:
    from datetime import timedelta
    from unittest import mock

    from candidates.models import ContactConsent

    just_after = qa_waiting.expires_at() + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=just_after):
        response = engineer_client.post(reverse(url_name, args=[qa_waiting.pk]), data)
    assert response.status_code == 409
    assert "expired on its decide-by date" in response.content.decode()
    qa_waiting.refresh_from_db()
    assert qa_waiting.status == "sent"  # the sweep expires it and tells the sender
    assert qa_waiting.replied_at is None
    assert not ContactConsent.objects.filter(profile=qa_waiting.profile).exists()


def test_it_still_takes_an_answer_in_the_last_minute_of_the_decide_by_day(
    engineer_client: Client, qa_waiting: Any
) -> None:
    from datetime import timedelta
    from unittest import mock

    last_minute = qa_waiting.expires_at() - timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=last_minute):
        response = engineer_client.post(reverse("hiring:accept", args=[qa_waiting.pk]), {})
    assert response.status_code == 302
    qa_waiting.refresh_from_db()
    assert qa_waiting.status == "accepted"


# Digest emails said "UTC" over times shown in the server's zone (Asia/Karachi) ----------


def test_it_shows_digest_times_in_the_readers_own_zone(qa_waiting: Any, owner: Any) -> None:
    from datetime import UTC, datetime, timedelta

    from accounts.models import OutboundEmail
    from candidates.models import Profile
    from hiring.services import digest_send, message_post

    Profile.objects.filter(pk=qa_waiting.profile_id).update(time_zone="Europe/London")
    written = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # 13:00 in London (summer time)
    message_post(
        thread=qa_waiting.thread, author=owner, side="company", body="Free at 3?", now=written
    )
    assert digest_send(
        thread_id=qa_waiting.thread_id, reader="engineer", now=written + timedelta(minutes=1)
    )
    email = OutboundEmail.objects.get(template="email/thread_digest")
    assert "1 Jun, 13:00 (Europe/London)" in email.body_text
    assert "1 Jun, 13:00 (Europe/London)" in email.body_html
    assert "17:00" not in email.body_text  # the server's Karachi time
    assert " UTC" not in email.body_text


# Pages that only show something answered 200 to POST, PUT and DELETE ---------------------


@pytest.mark.parametrize("url_name", ["hiring:opportunities", "candidates:access", "hiring:inbox"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_answers_405_to_writes_on_the_engineers_read_only_pages(
    engineer_client: Client, qa_waiting: Any, url_name: str, method: str
) -> None:
    response = getattr(engineer_client, method)(reverse(url_name))
    assert response.status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_answers_405_to_writes_on_an_opportunity_without_marking_it_seen(
    engineer_client: Client, qa_waiting: Any, method: str
) -> None:
    response = getattr(engineer_client, method)(reverse("hiring:opportunity", args=[qa_waiting.pk]))
    assert response.status_code == 405
    qa_waiting.refresh_from_db()
    assert qa_waiting.seen_at is None


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_answers_405_to_other_methods_on_the_employers_forms(
    employer_client: Client, qa_candidacy: Any, owner: Any, method: str
) -> None:
    from hiring.models import MessageTemplate

    template = MessageTemplate.objects.create(
        company=owner.membership.company, name="Intro", body="Hello {first_name}"
    )
    for url in (
        reverse("hiring:outreach_new", args=[qa_candidacy.pk]),
        reverse("hiring:template_list"),
        reverse("hiring:template_edit", args=[template.pk]),
    ):
        assert getattr(employer_client, method)(url).status_code == 405, url


# Not a fit on a Contacted card, telling the engineer: the email said "not moving
# forward", their pages said "Withdrawn by the company" --------------------------------


def test_it_shows_not_moving_forward_when_the_team_closed_a_contacted_card_and_told_them(
    employer_client: Client, engineer_client: Client, qa_waiting: Any
) -> None:
    from accounts.models import OutboundEmail

    response = employer_client.post(
        reverse("screening:move", args=[qa_waiting.candidacy_id]),
        {
            "to": "not_a_fit",
            "expected": "contacted",
            "reason": "skills",
            "note": "Weak on SQL per Ali",
            "told_engineer": "on",
        },
    )
    assert response.status_code == 302
    email = OutboundEmail.objects.get(to=qa_waiting.profile.user.email, template__contains="not_")
    assert "not to move forward" in email.body_text
    for url in (
        reverse("hiring:opportunity", args=[qa_waiting.pk]),
        reverse("hiring:opportunities"),
    ):
        page = engineer_client.get(url).content.decode()
        assert "Not moving forward" in page, url
        assert "Withdrawn by the company" not in page, url
        assert "Not a fit" not in page and "Weak on SQL" not in page, url
    # And the outreach can no longer be accepted.
    accept = engineer_client.post(reverse("hiring:accept", args=[qa_waiting.pk]), {})
    assert accept.status_code == 409


# An answer racing a Not a fit deadlocked (500): the answer locked the outreach, then the
# card; the pipeline move locks the card, then (on_stage_changed) the outreach ----------


def _someone_waits_on_a_row_lock() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.mark.django_db(transaction=True)
def test_it_answers_409_not_a_deadlock_when_the_engineer_accepts_while_the_team_closes_the_card(
    owner: Any, engineer: Any
) -> None:
    import threading
    import time

    from django.db import connections, transaction

    from accounts.errors import Refused
    from hiring.models import Outreach
    from hiring.services import outreach_accept
    from tests.factories import outreach_sent

    brief = BriefFactory(company=owner.membership.company, created_by=owner)
    profile = ProfileFactory(user=engineer, status="approved")
    sent = outreach_sent(candidacy_in(brief, profile, user=owner), sender=owner)
    outreach = Outreach.objects.select_related("profile__user", "company", "brief", "thread").get(
        pk=sent.pk
    )
    card_locked, go_on = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def team_closes_the_card() -> None:
        # What a Not a fit move does: lock the card's row, then withdraw its outreach.
        try:
            with transaction.atomic():
                Candidacy.objects.select_for_update().get(pk=outreach.candidacy_id)
                card_locked.set()
                go_on.wait(10)
                results["team"] = Outreach.objects.filter(pk=outreach.pk, status="sent").update(
                    status="withdrawn"
                )
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            results["team"] = exc
        finally:
            connections.close_all()

    def engineer_accepts() -> None:
        try:
            outreach_accept(outreach=outreach, user=engineer)
            results["engineer"] = "accepted"
        except Refused as exc:
            results["engineer"] = exc.status
        except Exception as exc:  # noqa: BLE001
            results["engineer"] = exc
        finally:
            connections.close_all()

    team = threading.Thread(target=team_closes_the_card)
    team.start()
    assert card_locked.wait(10)
    answer = threading.Thread(target=engineer_accepts)
    answer.start()
    deadline = time.monotonic() + 10
    while not _someone_waits_on_a_row_lock():  # the accept is now blocked on a lock
        assert time.monotonic() < deadline, "the accept never waited for a lock"
    go_on.set()
    team.join(20)
    answer.join(20)
    assert results == {"team": 1, "engineer": 409}
    assert Outreach.objects.get(pk=outreach.pk).status == "withdrawn"


def test_it_dates_a_reminder_by_the_day_the_outreach_was_sent_in_the_engineers_zone(
    qa_waiting: Any,
) -> None:
    from datetime import UTC, datetime, timedelta

    from accounts.models import OutboundEmail
    from candidates.models import Profile
    from hiring.models import Outreach
    from hiring.services import follow_up_send

    Profile.objects.filter(pk=qa_waiting.profile_id).update(time_zone="America/Los_Angeles")
    # 19:00 on 1 March in Los Angeles; already 2 March on the server's clock (Karachi).
    Outreach.objects.filter(pk=qa_waiting.pk).update(
        sent_at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC),
        decide_by=datetime(2026, 3, 15).date(),
    )
    outreach = Outreach.objects.select_related(
        "profile__user", "company", "brief", "sender", "thread"
    ).get(pk=qa_waiting.pk)
    due = outreach.follow_up_due_at()
    assert due == datetime(2026, 3, 4, 18, 0, tzinfo=UTC)  # 10:00 on 4 March, their time
    assert follow_up_send(outreach=outreach, now=due + timedelta(minutes=1))
    email = OutboundEmail.objects.get(template="email/outreach_follow_up")
    assert "on 1 March" in email.body_text
    assert "on 1 March" in email.body_html

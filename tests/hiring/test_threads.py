"""One conversation per company and engineer: the inbox, the thread page, replies, reports."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from hiring import services
from hiring.models import Message, Outreach, Report, Thread
from hiring.templatetags.threads import linkify
from screening.models import Stage
from screening.services import candidacy_move, review_save
from tests.factories import (
    BriefFactory,
    EmployerFactory,
    EngineerFactory,
    ProfileFactory,
    UserFactory,
    candidacy_in,
    outreach_sent,
)

pytestmark = pytest.mark.django_db


def thread_url(thread: Thread) -> str:
    return reverse("hiring:thread", args=[thread.pk])


def say(outreach: Outreach, who: User, side: str, body: str) -> Message:
    return services.message_post(thread=outreach.thread, author=who, side=side, body=body)


# Who may open a thread -------------------------------------------------------------------


def test_the_engineer_and_every_teammate_of_the_company_can_open_the_thread(
    client: Client, thread_outreach: Outreach, owner: User, teammate: User, engineer: User
) -> None:
    for user in (engineer, owner, teammate):
        client.force_login(user)
        assert client.get(thread_url(thread_outreach.thread)).status_code == 200


def test_another_company_another_engineer_and_staff_get_a_404(
    client: Client, thread_outreach: Outreach, outsider: User
) -> None:
    other_engineer = ProfileFactory(status="approved").user
    staff = UserFactory(role=User.Role.STAFF, is_staff=True, is_superuser=True)
    for user in (outsider, other_engineer, staff):
        client.force_login(user)
        url = thread_url(thread_outreach.thread)
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Hello"}).status_code == 404
    assert not Message.objects.filter(side__in=["company", "engineer"]).exists()


def test_a_thread_id_that_does_not_exist_is_a_404_like_any_other(
    client: Client, engineer: User
) -> None:
    client.force_login(engineer)
    assert client.get(reverse("hiring:thread", args=[999999])).status_code == 404


def test_a_visitor_is_sent_to_log_in(client: Client, thread_outreach: Outreach) -> None:
    response = client.get(thread_url(thread_outreach.thread))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# The inbox -------------------------------------------------------------------------------


def test_the_engineer_sees_each_company_with_its_last_line_and_a_new_marker(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    say(thread_outreach, owner, "company", "Are you free for a call on Thursday?")
    client.force_login(engineer)

    page = client.get(reverse("hiring:inbox")).content.decode()

    assert owner.membership.company.name in page
    assert "Are you free for a call on Thursday?" in page
    assert ">New<" in page

    client.get(thread_url(thread_outreach.thread))
    page = client.get(reverse("hiring:inbox")).content.decode()
    assert ">New<" not in page


def test_every_teammate_sees_the_companys_threads_newest_activity_first(
    client: Client, thread_outreach: Outreach, owner: User, teammate: User
) -> None:
    company = owner.membership.company
    later = outreach_sent(
        candidacy_in(
            BriefFactory(company=company, created_by=owner),
            ProfileFactory(status="approved", user__full_name="Bilal Ahmed"),
        ),
        sender=owner,
    )
    say(later, later.profile.user, "engineer", "Yes, I am interested.")
    client.force_login(teammate)

    page = client.get(reverse("hiring:inbox")).content.decode()

    assert page.index("Bilal Ahmed") < page.index(thread_outreach.profile.user.display_name)
    assert "Yes, I am interested." in page


def test_an_empty_inbox_says_how_a_conversation_starts(
    client: Client, owner: User, engineer: User
) -> None:
    client.force_login(owner)
    page = client.get(reverse("hiring:inbox")).content.decode()
    assert "No conversations yet" in page
    assert "sends an outreach" in page

    client.force_login(engineer)
    page = client.get(reverse("hiring:inbox")).content.decode()
    assert "No conversations yet" in page
    assert "When a company reaches out" in page


def test_the_inbox_is_for_engineers_and_hiring_teams_only(client: Client) -> None:
    client.force_login(UserFactory(role=User.Role.STAFF, is_staff=True))
    assert client.get(reverse("hiring:inbox")).status_code == 403


def test_the_header_shows_messages_with_the_companys_unread_count(
    client: Client, thread_outreach: Outreach, owner: User, teammate: User, engineer: User
) -> None:
    say(thread_outreach, engineer, "engineer", "Happy to talk.")
    client.force_login(teammate)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert 'Messages <span class="badge badge--count">1<' in page

    client.force_login(EmployerFactory())  # another company: nothing of this thread
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert ">Messages</a>" in page

    client.force_login(teammate)
    client.get(thread_url(thread_outreach.thread))  # read by a teammate: read for the company
    client.force_login(owner)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert ">Messages</a>" in page

    say(thread_outreach, engineer, "engineer", "One more thing.")  # unread again
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert 'Messages <span class="badge badge--count">1<' in page

    client.force_login(engineer)
    page = client.get(reverse("hiring:inbox")).content.decode()
    assert ">Messages</a>" in page


# The conversation -------------------------------------------------------------------------


def test_the_thread_shows_lines_oldest_first_with_events_set_apart(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    say(thread_outreach, engineer, "engineer", "First from me")
    say(thread_outreach, owner, "company", "Then the company")
    client.force_login(engineer)

    page = client.get(thread_url(thread_outreach.thread)).content.decode()

    invited = page.index("invited you to talk about")
    assert invited < page.index("First from me") < page.index("Then the company")
    assert 'class="thread-event"' in page[page.rindex("<li", 0, invited) : invited]


def test_opening_the_thread_marks_it_read_for_that_side_only(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    say(thread_outreach, owner, "company", "Any questions?")
    say(thread_outreach, engineer, "engineer", "One question.")
    thread = Thread.objects.get(pk=thread_outreach.thread_id)
    say(thread_outreach, owner, "company", "Go ahead.")
    thread.refresh_from_db()
    assert thread.unread_for_engineer

    client.force_login(engineer)
    client.get(thread_url(thread))

    thread.refresh_from_db()
    assert not thread.unread_for_engineer
    assert thread.company_read_at is not None and thread.company_read_at < thread.engineer_read_at


def test_messages_are_escaped_with_links_made_clickable_and_line_breaks_kept(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    say(
        thread_outreach,
        owner,
        "company",
        '<script>alert("x")</script>\nSee https://example.com/brief?a=1&b=2.\n'
        'Also javascript:alert(1) and <a href="javascript:alert(2)">this</a>',
    )
    client.force_login(engineer)

    page = client.get(thread_url(thread_outreach.thread)).content.decode()

    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>" in page
    assert (
        '<a href="https://example.com/brief?a=1&amp;b=2" rel="nofollow noopener">'
        "https://example.com/brief?a=1&amp;b=2</a>." in page
    )
    assert 'href="javascript' not in page
    assert "&lt;a href=&quot;javascript:alert(2)&quot;&gt;this&lt;/a&gt;" in page


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("plain & simple", "plain &amp; simple"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("JAVASCRIPT://http.example", "JAVASCRIPT://http.example"),
        ("data:text/html,<b>", "data:text/html,&lt;b&gt;"),
        ("ftp://files.example", "ftp://files.example"),
        ("just https:// alone", "just https:// alone"),
        (
            'http://a.example/"onmouseover="alert(1)',
            '<a href="http://a.example/" rel="nofollow noopener">http://a.example/</a>'
            "&quot;onmouseover=&quot;alert(1)",
        ),
        (
            "(see https://a.example/x)",
            '(see <a href="https://a.example/x" rel="nofollow noopener">https://a.example/x</a>)',
        ),
        ("one\r\ntwo", "one<br>\ntwo"),
    ],
)
def test_linkify_escapes_first_and_links_only_http_addresses(text: str, html: str) -> None:
    assert linkify(text) == html


def test_a_reply_without_javascript_is_saved_and_the_page_comes_back_at_it(
    client: Client, thread_outreach: Outreach, teammate: User
) -> None:
    client.force_login(teammate)

    response = client.post(thread_url(thread_outreach.thread), {"body": "  Welcome aboard.  "})

    message = Message.objects.get(side="company")
    assert message.body == "Welcome aboard."
    assert message.author == teammate
    assert response.status_code == 302
    assert response["Location"] == f"{thread_url(thread_outreach.thread)}#message-{message.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Welcome aboard." in page


def test_a_reply_with_htmx_appends_the_message_and_empties_the_form(
    client: Client, thread_outreach: Outreach, engineer: User
) -> None:
    client.force_login(engineer)

    response = client.post(
        thread_url(thread_outreach.thread), {"body": "Sounds good"}, headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend:#thread-messages"' in page
    assert "Sounds good" in page
    assert 'id="reply-form"' in page
    assert "Message sent." in page
    assert "<html" not in page
    assert Message.objects.filter(side="engineer", body="Sounds good").count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_an_empty_message_is_refused_with_a_400_and_nothing_saved(
    client: Client, thread_outreach: Outreach, engineer: User, htmx: bool
) -> None:
    client.force_login(engineer)
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.post(thread_url(thread_outreach.thread), {"body": "   "}, headers=headers)

    assert response.status_code == 400
    assert "Write a message first: it was empty." in response.content.decode()
    assert not Message.objects.filter(side="engineer").exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_message_of_5001_characters_is_refused_and_what_was_typed_is_kept(
    client: Client, thread_outreach: Outreach, engineer: User, htmx: bool
) -> None:
    client.force_login(engineer)
    typed = "word " * 1000 + "x"  # 5,001 characters
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.post(thread_url(thread_outreach.thread), {"body": typed}, headers=headers)

    page = response.content.decode()
    assert response.status_code == 400
    assert "at most 5,000 characters; this one has 5001" in page
    assert typed in page
    assert not Message.objects.filter(side="engineer").exists()


def test_a_message_of_exactly_5000_characters_is_sent(
    client: Client, thread_outreach: Outreach, engineer: User
) -> None:
    client.force_login(engineer)
    response = client.post(thread_url(thread_outreach.thread), {"body": "y" * 5000})
    assert response.status_code == 302
    assert len(Message.objects.get(side="engineer").body) == 5000


def test_a_double_submit_of_the_same_text_makes_one_message(
    client: Client, thread_outreach: Outreach, engineer: User
) -> None:
    client.force_login(engineer)
    url = thread_url(thread_outreach.thread)

    first = client.post(url, {"body": "Yes, Thursday works."})
    second = client.post(url, {"body": "Yes, Thursday works."})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Message.objects.filter(side="engineer").count() == 1
    # The same words later on are a new message, not a repeat.
    Message.objects.filter(side="engineer").update(
        created_at=Message.objects.get(side="engineer").created_at.replace(year=2020)
    )
    client.post(url, {"body": "Yes, Thursday works."})
    assert Message.objects.filter(side="engineer").count() == 2


def test_the_engineer_never_sees_internal_stages_or_the_teams_reviews(
    client: Client, owner: User, engineer: User
) -> None:
    profile = ProfileFactory(user=engineer, status="approved")
    candidacy = candidacy_in(
        BriefFactory(company=owner.membership.company, created_by=owner), profile
    )
    review_save(candidacy=candidacy, author=owner, rating=-2, note="Weak on SQL, strong no")
    outreach = outreach_sent(candidacy, sender=owner)
    services.outreach_accept(outreach=outreach, user=engineer)
    candidacy.refresh_from_db()
    candidacy_move(candidacy=candidacy, to=Stage.ASSESSMENT, by=owner, expected=Stage.INTERESTED)
    client.force_login(engineer)

    page = client.get(thread_url(outreach.thread)).content.decode()

    assert "accepted the outreach" in page
    for hidden in ("Weak on SQL", "Strong no", "Assessment", "Interested", "Contacted", "Sourced"):
        assert hidden not in page
    assert "In conversation" in page


def test_the_engineer_sees_what_they_are_discussing_with_a_plain_status(
    client: Client, thread_outreach: Outreach, engineer: User
) -> None:
    client.force_login(engineer)

    page = client.get(thread_url(thread_outreach.thread)).content.decode()

    assert "What you&#x27;re discussing" in page or "What you're discussing" in page
    assert reverse("hiring:opportunity", args=[thread_outreach.pk]) in page
    assert thread_outreach.brief.title in page
    assert "Invited" in page


def test_the_company_sees_contact_details_only_after_the_engineer_accepts(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    client.force_login(owner)
    page = client.get(thread_url(thread_outreach.thread)).content.decode()
    assert engineer.email not in page
    assert "stay private until they accept" in page

    services.outreach_accept(outreach=thread_outreach, user=engineer)
    page = client.get(thread_url(thread_outreach.thread)).content.decode()
    assert f'href="mailto:{engineer.email}"' in page

    client.force_login(engineer)
    assert "Contact details" not in client.get(thread_url(thread_outreach.thread)).content.decode()


# Reports ---------------------------------------------------------------------------------


def report_url(thread: Thread, message: Message) -> str:
    return reverse("hiring:report_message", args=[thread.pk, message.pk])


def test_the_engineer_reports_a_message_and_is_thanked(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    rude = say(thread_outreach, owner, "company", "Something abusive")
    client.force_login(engineer)
    page = client.get(thread_url(thread_outreach.thread)).content.decode()
    assert report_url(thread_outreach.thread, rude) in page

    response = client.post(
        report_url(thread_outreach.thread, rude), {"note": "Insulting"}, follow=True
    )

    assert response.status_code == 200
    assert "Thank you for telling us" in response.content.decode()
    report = Report.objects.get()
    assert (report.message, report.company, report.reporter) == (
        rude,
        owner.membership.company,
        engineer,
    )
    assert report.note == "Insulting"
    assert report.status == Report.Status.OPEN
    # Reporting it again keeps the one report.
    client.post(report_url(thread_outreach.thread, rude), {"note": ""})
    assert Report.objects.count() == 1


def test_a_message_of_another_thread_cannot_be_reported_through_this_one(
    client: Client, thread_outreach: Outreach, engineer: User
) -> None:
    elsewhere = outreach_sent()
    theirs = say(elsewhere, elsewhere.sender, "company", "Not yours")
    mine = say(thread_outreach, engineer, "engineer", "My own words")
    event = Message.objects.filter(thread=thread_outreach.thread, side="system").first()
    assert event is not None
    client.force_login(engineer)

    for message in (theirs, mine, event):
        response = client.post(report_url(thread_outreach.thread, message), {"note": ""})
        assert response.status_code == 404
    assert client.post(report_url(elsewhere.thread, theirs)).status_code == 404
    assert not Report.objects.exists()


def test_only_the_engineer_can_report_and_only_by_post(
    client: Client, thread_outreach: Outreach, owner: User, teammate: User, engineer: User
) -> None:
    rude = say(thread_outreach, owner, "company", "Something")
    client.force_login(teammate)
    assert client.post(report_url(thread_outreach.thread, rude)).status_code == 403
    client.force_login(engineer)
    assert client.get(report_url(thread_outreach.thread, rude)).status_code == 405
    assert not Report.objects.exists()


def test_a_report_note_over_2000_characters_is_refused(
    client: Client, thread_outreach: Outreach, owner: User, engineer: User
) -> None:
    rude = say(thread_outreach, owner, "company", "Something")
    client.force_login(engineer)

    response = client.post(report_url(thread_outreach.thread, rude), {"note": "n" * 2001})

    assert response.status_code == 400
    assert "under 2,000 characters" in response.content.decode()
    assert not Report.objects.exists()


def test_an_engineer_without_a_thread_with_the_company_gets_404_on_its_ids(
    client: Client, thread_outreach: Outreach, owner: User
) -> None:
    rude = say(thread_outreach, owner, "company", "Something")
    client.force_login(EngineerFactory())
    assert client.post(report_url(thread_outreach.thread, rude)).status_code == 404


def test_an_engineer_who_blocked_the_company_gets_no_more_messages_from_it(
    client: Client, owner: User, thread_outreach: Outreach
) -> None:
    engineer = thread_outreach.profile.user
    services.outreach_decline(outreach=thread_outreach, user=engineer, reason="project", block=True)
    client.force_login(owner)

    response = client.post(
        reverse("hiring:thread", args=[thread_outreach.thread.pk]), {"body": "Please reconsider"}
    )

    assert response.status_code == 403
    assert "asked not to hear from your company" in response.content.decode()
    assert not Message.objects.filter(body="Please reconsider").exists()

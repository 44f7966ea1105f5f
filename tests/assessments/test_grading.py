"""Grading: who may grade, the form's rules, final submission, the weighted score, the
graders list, and the blind and anonymous rules on every page that shows grades."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from screening.models import Assessment, Grade
from screening.selectors import assessments as selectors
from screening.services import assessments as services
from tests.assessments.conftest import emails, grade_post, login, url
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return unescape(response.content.decode())


def grade(
    client: Client, user: User, assessment: Assessment, scores: list[int], **extra: str
) -> Any:
    return login(client, user).post(
        url("assessment_grade", assessment.pk), grade_post(assessment, scores, **extra)
    )


def test_only_its_graders_reach_the_grading_page(
    client: Client, owner: User, outsider: User, engineer: User, submitted: Assessment
) -> None:
    bystander = MembershipFactory(company=owner.membership.company).user
    for user in (bystander, outsider, engineer):
        assert login(client, user).get(url("assessment_grade", submitted.pk)).status_code == 404
        assert grade(client, user, submitted, [3, 3]).status_code == 404
    assert not Grade.objects.filter(submitted_at__isnull=False).exists()


def test_before_the_work_is_in_the_page_says_it_is_waiting(
    client: Client, owner: User, sent: Assessment
) -> None:
    page = text(login(client, owner).get(url("assessment_grade", sent.pk)))

    assert "Nothing to grade yet" in page
    assert 'name="recommendation"' not in page
    response = grade(client, owner, sent, [3, 3])
    assert response.status_code == 409
    assert not Grade.objects.filter(submitted_at__isnull=False).exists()


def test_the_form_shows_each_level_and_no_middle(
    client: Client, owner: User, submitted: Assessment
) -> None:
    page = text(login(client, owner).get(url("assessment_grade", submitted.pk)))

    key = submitted.rubric[0]["key"]
    assert page.count(f'name="score_{key}"') == 4
    assert "1 · Weak: Does not run" in page
    assert "4 · Excellent: Works, edge cases too" in page
    assert "https://github.com/sana/ledger" in page
    for label in ("Strong no", "No", "Yes", "Strong yes"):
        assert f"\n {label}</label>" in page


def test_a_grade_is_saved_once_and_is_final(
    client: Client, owner: User, submitted: Assessment
) -> None:
    response = grade(client, owner, submitted, [3, 4], recommendation="2")

    assert response.status_code == 302
    mine = Grade.objects.get(grader=owner)
    key1, key2 = (c["key"] for c in submitted.rubric)
    assert mine.scores == {
        key1: {"score": 3, "evidence": "Saw it in correctness."},
        key2: {"score": 4, "evidence": "Saw it in tests."},
    }
    assert mine.recommendation == 2
    assert mine.submitted_at is not None
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED  # the teammate has not graded

    second = grade(client, owner, submitted, [1, 1])
    assert second.status_code == 409
    assert "final" in text(second)
    mine.refresh_from_db()
    assert mine.scores[key1]["score"] == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": "5"}, "there is no middle and nothing outside it"),
        ({"score": "0"}, "there is no middle and nothing outside it"),
        ({"score": "2.5"}, "there is no middle and nothing outside it"),
        ({"score": ""}, "Score “Correctness” from 1 to 4."),
        ({"evidence": ""}, "Write the evidence behind your score for “Correctness”."),
        ({"evidence": "   "}, "Write the evidence behind your score for “Correctness”."),
        ({"evidence": "x" * 501}, "at most 500 characters"),
        ({"recommendation": "0"}, "Select a valid choice"),
        ({"unknown": "3"}, "criteria this rubric does not have"),
    ],
)
def test_bad_grades_are_refused_and_nothing_saved(
    client: Client, owner: User, submitted: Assessment, change: dict[str, str], message: str
) -> None:
    key = submitted.rubric[0]["key"]
    data = grade_post(submitted, [3, 3])
    if "score" in change:
        data[f"score_{key}"] = change["score"]
    if "evidence" in change:
        data[f"evidence_{key}"] = change["evidence"]
    if "recommendation" in change:
        data["recommendation"] = change["recommendation"]
    if "unknown" in change:
        data["score_c999999"] = "3"
        data["evidence_c999999"] = "Made up."

    response = login(client, owner).post(url("assessment_grade", submitted.pk), data)

    assert response.status_code == 400
    assert message in text(response)
    assert not Grade.objects.filter(submitted_at__isnull=False).exists()


def test_the_service_refuses_scores_outside_the_rubric(owner: User, submitted: Assessment) -> None:
    key1, key2 = (c["key"] for c in submitted.rubric)
    good = {key1: {"score": 3, "evidence": "a"}, key2: {"score": 3, "evidence": "b"}}
    for scores in (
        good | {key1: {"score": 7, "evidence": "a"}},
        good | {"zzz": {"score": 2, "evidence": "c"}},
        {key1: good[key1]},
        good | {key2: {"score": 2, "evidence": ""}},
    ):
        with pytest.raises(services.Refused):
            services.grade_submit(
                assessment=submitted, grader=owner, scores=scores, recommendation=1
            )
    with pytest.raises(services.Refused):
        services.grade_submit(assessment=submitted, grader=owner, scores=good, recommendation=0)
    assert not Grade.objects.filter(submitted_at__isnull=False).exists()


def test_the_last_grade_closes_it_and_tells_the_sender_the_weighted_score(
    client: Client, owner: User, teammate: User, submitted: Assessment
) -> None:
    grade(client, owner, submitted, [3, 4])  # 0.6 × 3 + 0.4 × 4 = 3.4
    assert not emails("assessment_graded")

    grade(client, teammate, submitted, [3, 3])  # 3.0

    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.GRADED
    assert submitted.closed_at is not None
    (told,) = emails("assessment_graded")
    assert told.to == owner.email
    assert "3.2 of 4" in told.subject
    page = text(client.get(url("assessment", submitted.pk)))
    assert "3.2 of 4" in page
    assert "3.4 of 4" in page and "3.0 of 4" in page
    assert "Saw it in tests." in page


# Blind grading: one rule (selectors.visible_grades), on every page --------------------------


@pytest.fixture
def one_graded(client: Client, owner: User, submitted: Assessment) -> Assessment:
    """The owner graded (with a note nobody else may read yet); the teammate has not."""
    data = grade_post(submitted, [4, 4])
    data[f"evidence_{submitted.rubric[0]['key']}"] = "SECRET-EVIDENCE of the owner"
    login(client, owner).post(url("assessment_grade", submitted.pk), data)
    return submitted


def test_a_grader_who_has_not_submitted_sees_no_other_grade_by_any_url(
    client: Client, teammate: User, one_graded: Assessment
) -> None:
    login(client, teammate)
    pages = [
        url("assessment_grade", one_graded.pk),
        url("assessment", one_graded.pk),
        url("candidacy", one_graded.candidacy_id),
    ]
    for page in pages:
        body = text(client.get(page))
        assert "SECRET-EVIDENCE" not in body, page
        assert "4.0 of 4" not in body, page
        assert "Strong yes" not in body or page.endswith("/grade/"), page  # the form's choice
    assert "the other graders' scores stay hidden" in text(client.get(pages[1]))

    grade(client, teammate, one_graded, [1, 1])

    for page in pages[1:]:
        body = text(client.get(page))
        assert "SECRET-EVIDENCE" in body, page
        assert "2.5 of 4" in body, page  # (4.0 + 1.0) / 2
    assert "SECRET-EVIDENCE" in text(client.get(pages[0]))


def test_a_teammate_who_does_not_grade_sees_submitted_cards(
    client: Client, owner: User, one_graded: Assessment
) -> None:
    bystander = MembershipFactory(company=owner.membership.company).user

    for page in (url("assessment", one_graded.pk), url("candidacy", one_graded.candidacy_id)):
        body = text(login(client, bystander).get(page))
        assert "SECRET-EVIDENCE" in body
        assert "4.0 of 4" in body


def test_visible_grades_is_the_rule(
    owner: User, teammate: User, engineer: User, outsider: User, one_graded: Assessment
) -> None:
    bystander = MembershipFactory(company=owner.membership.company).user

    def seen(user: User) -> list[int]:
        return [g.grader_id for g in selectors.visible_grades(one_graded, user)]

    assert seen(teammate) == []
    assert seen(owner) == [owner.pk]
    assert seen(bystander) == [owner.pk]
    assert seen(engineer) == []


# Anonymous grading ------------------------------------------------------------------------


def test_anonymous_grading_hides_the_name_and_profile_until_the_grader_submits(
    client: Client, interested: Any, send: Any, engineer: User, grader: User
) -> None:
    assessment = send(interested, anonymous=True, graders=[grader])
    services.assessment_submit(assessment=assessment, user=engineer, url="https://x.example/w")
    profile_link = url("candidacy", interested.pk)
    login(client, grader)

    for page in (url("assessment_grade", assessment.pk), url("assessment", assessment.pk)):
        body = text(client.get(page))
        assert "Sana Javed" not in body, page
        assert profile_link not in body, page
        assert f"/profiles/{interested.profile_id}" not in body, page
        assert f"Candidate A-{assessment.pk}" in body, page

    grade(client, grader, assessment, [2, 2])

    body = text(client.get(url("assessment_grade", assessment.pk)))
    assert "Sana Javed" in body


# Graders ----------------------------------------------------------------------------------


def test_graders_can_be_added_and_removed_until_they_grade(
    client: Client, owner: User, teammate: User, grader: User, submitted: Assessment
) -> None:
    grade(client, owner, submitted, [3, 3])
    login(client, owner)

    # Keep the teammate, add the third grader; the owner graded already, so stays anyway.
    response = client.post(
        url("assessment_graders", submitted.pk), {"graders": [teammate.pk, grader.pk]}
    )

    assert response.status_code == 302
    assert sorted(Grade.objects.values_list("grader_id", flat=True)) == sorted(
        [owner.pk, teammate.pk, grader.pk]
    )
    assert [e.to for e in emails("assessment_grader") if e.to == grader.email] == [grader.email]

    # Dropping the two who have not graded leaves the owner, who has: it is graded.
    client.post(url("assessment_graders", submitted.pk), {"graders": []})
    assert list(Grade.objects.values_list("grader_id", flat=True)) == [owner.pk]
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.GRADED
    assert len(emails("assessment_graded")) == 1


def test_graders_from_elsewhere_are_refused(
    client: Client, owner: User, outsider: User, sent: Assessment
) -> None:
    response = login(client, owner).post(
        url("assessment_graders", sent.pk), {"graders": [outsider.pk]}
    )

    assert response.status_code == 400
    assert "Graders must be members of your team." in text(response)
    assert Grade.objects.filter(grader=outsider).count() == 0
    assert client.post(url("assessment_graders", sent.pk), {"graders": []}).status_code == 400


def test_another_companys_assessment_is_not_found(
    client: Client, outsider: User, engineer: User, sent: Assessment
) -> None:
    for user in (outsider, engineer):
        login(client, user)
        for name in ("assessment", "assessment_grade"):
            assert client.get(url(name, sent.pk)).status_code == 404
        for name in ("assessment_graders", "assessment_extension_answer", "assessment_withdraw"):
            assert (
                client.post(url(name, sent.pk), {"note": "x", "answer": "grant"}).status_code == 404
            )
    sent.refresh_from_db()
    assert sent.status == Assessment.Status.SENT

"""Assessment templates: the list, writing one with its rubric, editing, archiving, and
everything that must be refused (weights not adding up, pay without an amount, another
company's template)."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from screening.models import AssessmentTemplate, RubricCriterion
from tests.assessments.conftest import RUBRIC, login, make_template, template_post, url

pytestmark = pytest.mark.django_db

LIST = reverse("screening:assessment_templates")
NEW = reverse("screening:assessment_template_new")


def test_it_explains_how_to_start_when_there_are_no_templates(client: Client, owner: User) -> None:
    page = unescape(login(client, owner).get(LIST).content.decode())

    assert "No assessment templates yet" in page
    assert "Send an assessment" in page
    assert NEW in page


def test_it_saves_a_template_with_its_rubric_in_order(client: Client, owner: User) -> None:
    response = login(client, owner).post(NEW, template_post())

    assert response.status_code == 302
    template = AssessmentTemplate.objects.get()
    assert template.company == owner.membership.company
    assert (template.title, template.time_box_hours, template.paid, template.amount) == (
        "Ledger API",
        4,
        True,
        100,
    )
    assert [(c.position, c.name, c.weight, c.level_4) for c in template.criteria.all()] == [
        (0, "Correctness", 60, "Works, edge cases too"),
        (1, "Tests", 40, "Thorough and readable"),
    ]
    page = unescape(client.get(LIST).content.decode())
    assert "Ledger API" in page
    assert "paid USD 100" in page


def test_the_new_form_offers_blank_rubric_rows(client: Client, owner: User) -> None:
    page = login(client, owner).get(NEW).content.decode()

    assert 'name="criteria-TOTAL_FORMS" value="5"' in page
    assert 'name="criteria-4-level_4"' in page


def test_blank_rows_are_skipped(client: Client, owner: User) -> None:
    blank = dict.fromkeys(RUBRIC[0], "")
    response = login(client, owner).post(NEW, template_post(criteria=[*RUBRIC, blank, blank]))

    assert response.status_code == 302
    assert RubricCriterion.objects.count() == 2


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (
            [RUBRIC[0] | {"weight": 50}, RUBRIC[1]],
            "The criteria's weights add up to 90%; they must add up to exactly 100%.",
        ),
        ([RUBRIC[0] | {"weight": 70}, RUBRIC[1]], "add up to 110%"),
        ([], "Add at least one criterion to the rubric."),
        ([RUBRIC[0] | {"weight": 100, "level_3": ""}], "This field is required."),
        ([RUBRIC[0] | {"weight": 0}, RUBRIC[1] | {"weight": 100}], "greater than or equal to 1"),
    ],
)
def test_a_rubric_that_does_not_add_up_is_refused_and_nothing_saved(
    client: Client, owner: User, criteria: list[dict[str, object]], message: str
) -> None:
    response = login(client, owner).post(NEW, template_post(criteria=criteria))

    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not AssessmentTemplate.objects.exists()
    assert not RubricCriterion.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": ""}, "Say how much the assessment pays."),
        ({"amount": "0"}, "Give an amount above zero."),
        ({"paid": None, "amount": "50"}, "You gave an amount but left"),
        ({"time_box_hours": "41"}, "less than or equal to 40"),
        ({"time_box_hours": "0"}, "greater than or equal to 1"),
        ({"deadline_days": "31"}, "less than or equal to 30"),
        ({"title": ""}, "This field is required."),
        ({"currency": "EUR"}, "Select a valid choice."),
    ],
)
def test_bad_terms_are_refused_and_nothing_saved(
    client: Client, owner: User, fields: dict[str, object], message: str
) -> None:
    response = login(client, owner).post(NEW, template_post(fields=fields))

    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not AssessmentTemplate.objects.exists()


def test_a_missing_management_form_is_a_400_not_a_500(client: Client, owner: User) -> None:
    data = {k: v for k, v in template_post().items() if "FORMS" not in k}

    response = login(client, owner).post(NEW, data)

    assert response.status_code == 400
    assert not AssessmentTemplate.objects.exists()


def test_an_unpaid_template_keeps_no_amount(client: Client, owner: User) -> None:
    response = login(client, owner).post(NEW, template_post(fields={"paid": None, "amount": None}))

    assert response.status_code == 302
    template = AssessmentTemplate.objects.get()
    assert (template.paid, template.amount) == (False, None)


def test_editing_replaces_the_rubric(client: Client, owner: User) -> None:
    template = make_template(owner.membership.company, owner)
    page = login(client, owner).get(url("assessment_template_edit", template.pk)).content.decode()
    assert 'value="Correctness"' in page

    data = template_post(
        fields={"title": "Ledger API v2"},
        criteria=[RUBRIC[0] | {"name": "Design", "weight": 100}],
    )
    response = client.post(url("assessment_template_edit", template.pk), data)

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.title == "Ledger API v2"
    assert [(c.name, c.weight) for c in template.criteria.all()] == [("Design", 100)]


def test_a_bad_edit_changes_nothing(client: Client, owner: User) -> None:
    template = make_template(owner.membership.company, owner)
    data = template_post(fields={"title": "Changed"}, criteria=[RUBRIC[0] | {"weight": 10}])

    response = login(client, owner).post(url("assessment_template_edit", template.pk), data)

    assert response.status_code == 400
    template.refresh_from_db()
    assert template.title == "Ledger API"
    assert [c.weight for c in template.criteria.all()] == [60, 40]


def test_archiving_and_restoring(client: Client, owner: User, teammate: User) -> None:
    template = make_template(owner.membership.company, owner)
    archive = url("assessment_template_archive", template.pk)

    assert login(client, teammate).post(archive).status_code == 302
    template.refresh_from_db()
    assert template.archived_at is not None
    assert client.post(archive).status_code == 409
    page = unescape(client.get(LIST).content.decode())
    assert "Archived templates (1)" in page

    assert client.post(archive, {"restore": "1"}).status_code == 302
    template.refresh_from_db()
    assert template.archived_at is None


def test_another_companys_template_is_not_found(
    client: Client, owner: User, outsider: User
) -> None:
    template = make_template(owner.membership.company, owner)
    login(client, outsider)

    assert client.get(url("assessment_template_edit", template.pk)).status_code == 404
    assert (
        client.post(url("assessment_template_edit", template.pk), template_post()).status_code
        == 404
    )
    assert client.post(url("assessment_template_archive", template.pk)).status_code == 404
    assert "Ledger API" not in client.get(LIST).content.decode()
    template.refresh_from_db()
    assert template.archived_at is None


def test_engineers_get_no_template_pages(client: Client, owner: User, engineer: User) -> None:
    template = make_template(owner.membership.company, owner)
    login(client, engineer)

    assert client.get(url("assessment_template_edit", template.pk)).status_code == 404
    assert client.get(LIST).status_code == 403  # a page for hiring teams (accounts' rule)
    assert client.post(NEW, template_post()).status_code == 403
    assert AssessmentTemplate.objects.count() == 1


def test_a_removed_criterion_does_not_count_towards_100(client: Client, owner: User) -> None:
    removed = RUBRIC[1] | {"level_2": "", "DELETE": "on"}  # half filled, then removed

    response = login(client, owner).post(NEW, template_post(criteria=[RUBRIC[0], removed]))

    assert response.status_code == 400
    assert "add up to 60%" in unescape(response.content.decode())
    assert not AssessmentTemplate.objects.exists()


def test_more_than_twelve_criteria_are_refused(client: Client, owner: User) -> None:
    rows = [RUBRIC[0] | {"name": f"C{n}", "weight": 5} for n in range(13)]

    response = login(client, owner).post(NEW, template_post(criteria=rows))

    assert response.status_code == 400
    assert not AssessmentTemplate.objects.exists()

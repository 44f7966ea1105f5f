"""Message templates: shared by the team, checked placeholders, names unique per company."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hiring.models import MessageTemplate
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("hiring:template_list")


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _template(user: Any, name: str = "First contact", body: str = "Hi {first_name}") -> Any:
    return MessageTemplate.objects.create(
        company=user.membership.company, name=name, body=body, created_by=user
    )


def test_a_template_written_by_one_teammate_is_there_for_the_other(
    client: Client, owner: Any, teammate: Any
):
    client.force_login(owner)
    response = client.post(
        LIST, {"name": "First contact", "body": "Hi {first_name}, about {brief_title}."}
    )
    assert response.status_code == 302

    client.force_login(teammate)
    page = _text(client.get(LIST))

    assert "First contact" in page
    assert "Hi {first_name}, about {brief_title}." in page
    assert "written by Owner Person" in page
    template = MessageTemplate.objects.get()
    assert template.company == owner.membership.company


def test_the_page_explains_the_placeholders_and_the_empty_state(client: Client, owner: Any):
    client.force_login(owner)

    page = _text(client.get(LIST))

    for placeholder in ("{first_name}", "{brief_title}", "{company_name}"):
        assert placeholder in page
    assert "No templates yet" in page


def test_an_unknown_placeholder_is_refused(client: Client, owner: Any):
    client.force_login(owner)

    response = client.post(LIST, {"name": "Oops", "body": "Hi {firstname}, from {company_name}"})

    assert response.status_code == 400
    assert "Karigar cannot fill in {firstname}." in _text(response)
    assert not MessageTemplate.objects.exists()


def test_names_are_unique_within_a_company_only(client: Client, owner: Any, teammate: Any):
    _template(owner)
    other = EmployerFactory()
    _template(other)  # another company may use the same name
    client.force_login(teammate)

    response = client.post(LIST, {"name": "first contact", "body": "Hello"})

    assert response.status_code == 400
    assert "Your team already has a template called “first contact”" in _text(response)
    assert MessageTemplate.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "Empty", "body": ""}, "This field is required."),
        ({"name": "", "body": "Hello"}, "This field is required."),
        ({"name": "Long", "body": "x" * 5001}, "at most 5000 characters"),
    ],
)
def test_empty_or_too_long_templates_are_refused(
    client: Client, owner: Any, data: dict[str, str], error: str
):
    client.force_login(owner)

    response = client.post(LIST, data)

    assert response.status_code == 400
    assert error in _text(response)
    assert not MessageTemplate.objects.exists()


def test_a_template_can_be_edited_and_deleted(client: Client, owner: Any, teammate: Any):
    template = _template(owner)
    _template(owner, name="Follow-up")
    client.force_login(teammate)
    edit = reverse("hiring:template_edit", args=[template.pk])

    assert "Edit “First contact”" in _text(client.get(edit))
    clash = client.post(edit, {"name": "Follow-up", "body": "Hi"})
    saved = client.post(edit, {"name": "First note", "body": "Hello {first_name}"})
    deleted = client.post(reverse("hiring:template_delete", args=[template.pk]))

    assert clash.status_code == 400
    assert "already has a template called “Follow-up”" in _text(clash)
    assert saved.status_code == 302
    assert deleted.status_code == 302
    assert list(MessageTemplate.objects.values_list("name", flat=True)) == ["Follow-up"]


def test_an_edit_with_an_unknown_placeholder_keeps_the_old_text(client: Client, owner: Any):
    template = _template(owner)
    client.force_login(owner)

    response = client.post(
        reverse("hiring:template_edit", args=[template.pk]), {"name": "X", "body": "{salary}"}
    )

    assert response.status_code == 400
    template.refresh_from_db()
    assert (template.name, template.body) == ("First contact", "Hi {first_name}")


def test_another_companys_template_is_a_404(client: Client, owner: Any, outsider: Any):
    template = _template(owner)
    client.force_login(outsider)

    assert client.get(reverse("hiring:template_edit", args=[template.pk])).status_code == 404
    edit = client.post(reverse("hiring:template_edit", args=[template.pk]), {"name": "Mine"})
    delete = client.post(reverse("hiring:template_delete", args=[template.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert "First contact" not in _text(client.get(LIST))
    template.refresh_from_db()
    assert template.name == "First contact"


def test_engineers_have_no_templates(client: Client, owner: Any, engineer: Any):
    template = _template(owner)
    client.force_login(engineer)

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("hiring:template_edit", args=[template.pk])).status_code == 404

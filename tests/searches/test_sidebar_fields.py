"""The filter sidebar's fields are written in Python (searches.presenters.field_html):
the markup must be what includes/field.html writes for the same bound field."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from candidates.models import Profile
from candidates.selectors import skill_taxonomy
from searches.filters import ProfileFilter
from searches.presenters import field_html

pytestmark = pytest.mark.django_db

FIELDS = [
    "q",
    "min_years",
    "seniority",
    "engagement",
    "max_rate",
    "available_by",
    "overlap",
    "sort",
]
QUERIES = [
    "",
    "q=payments+%26+%3Cledgers%3E&min_years=4&seniority=senior&engagement=contract"
    "&max_rate=25.5&available_by=2027-03-01&overlap=3&sort=rate",
    "q=" + "x" * 201 + "&min_years=-1&seniority=wizard&engagement=gig&max_rate=abc"
    "&available_by=someday&overlap=13&sort=best",
    'q="quoted"+words&max_rate=0.5&sort=experience&from_brief=true',
]


def _squeezed(html: str) -> str:
    """The markup with the template's indentation and line breaks between tags removed."""
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("query", QUERIES)
def test_each_sidebar_field_is_the_markup_the_field_template_writes(query: str) -> None:
    taxonomy = skill_taxonomy()
    form = ProfileFilter(QueryDict(query), queryset=Profile.objects.none(), taxonomy=taxonomy).form
    form.is_valid()
    for name in FIELDS:
        by_template = render_to_string(
            "includes/field.html", {"field": form[name], "no_optional": True}
        )

        assert _squeezed(field_html(form[name])) == _squeezed(by_template), name


def test_the_invalid_query_shows_each_fields_error_beside_it() -> None:
    form = ProfileFilter(QueryDict(QUERIES[2]), queryset=Profile.objects.none()).form
    assert not form.is_valid()
    for name in FIELDS:
        html = field_html(form[name])
        assert f'id="id_{name}_error"' in html and 'aria-invalid="true"' in html, name


def test_the_sidebar_fields_are_written_without_the_template_engine() -> None:
    form = ProfileFilter(QueryDict(QUERIES[1]), queryset=Profile.objects.none()).form
    form.is_valid()
    with mock.patch("django.template.loader.render_to_string", side_effect=AssertionError):
        for name in FIELDS:
            field_html(form[name])


def test_the_hidden_field_is_written_by_the_template() -> None:
    form = ProfileFilter(QueryDict(QUERIES[3]), queryset=Profile.objects.none()).form
    assert field_html(form["from_brief"]).strip() == str(form["from_brief"])


def test_each_filter_form_gets_its_own_skills_and_messages_from_the_one_form_class() -> None:
    """ProfileFilter builds its form class once: what one request sets on its form (the
    skills of its taxonomy, the wording of errors) must not reach another's."""
    taxonomy = skill_taxonomy()
    first = ProfileFilter(QueryDict(""), queryset=Profile.objects.none(), taxonomy=taxonomy[:2])
    second = ProfileFilter(QueryDict(""), queryset=Profile.objects.none(), taxonomy=taxonomy)

    assert type(first.form) is type(second.form)
    assert len(first.form.fields["skills"].choices) == 2
    assert len(second.form.fields["skills"].choices) == len(taxonomy) > 2
    first.form.fields["max_rate"].error_messages["min_value"] = "changed for one request"
    assert second.form.fields["max_rate"].error_messages["min_value"] == (
        "The highest rate must be at least USD 1 an hour."
    )
    bad = ProfileFilter(
        QueryDict("max_rate=0.5"), queryset=Profile.objects.none(), taxonomy=taxonomy
    )
    assert not bad.is_valid()
    assert bad.form.errors["max_rate"] == ["The highest rate must be at least USD 1 an hour."]


def test_each_filterset_has_filters_of_its_own() -> None:
    """The filters are copied for each filterset without their arguments: each copy
    knows its own filterset, and the class's filters stay unbound."""
    first = ProfileFilter(QueryDict(""), queryset=Profile.objects.none())
    second = ProfileFilter(QueryDict("q=api"), queryset=Profile.objects.none())

    assert set(first.filters) == set(second.filters) == set(ProfileFilter.base_filters)
    for name, filter_ in first.filters.items():
        assert filter_ is not second.filters[name] is not ProfileFilter.base_filters[name]
        assert filter_.parent is first and second.filters[name].parent is second
        assert getattr(ProfileFilter.base_filters[name], "parent", None) is None
    assert second.is_valid() and second.form.cleaned_data["q"] == "api"

"""The filter sidebar: django-filter parses and validates, the engine searches."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.http import QueryDict

from candidates.models import Profile
from candidates.selectors import skill_taxonomy
from searches.engine import Criteria, Must, Sort

MAX_QUERY_LENGTH = 200
CENT = Decimal("0.01")


class SkillSlugsField(forms.MultipleChoiceField):
    default_error_messages = {
        "invalid_choice": "There is no skill called “%(value)s” on Karigar. Pick one from the list."
    }


class SkillSlugsFilter(django_filters.MultipleChoiceFilter):
    field_class = SkillSlugsField


class _Filters(dict):  # type: ignore[type-arg]
    """A FilterSet's filters, copied for each instance without copying their arguments.

    django-filter deep-copies every filter for each request, so that it can set the
    model and its filterset on the copies; that copied every label, choice and widget
    too (0.5 ms a page). Nothing changes those, so the copies share them."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {name: copy.copy(filter_) for name, filter_ in self.items()}


class ProfileFilter(django_filters.FilterSet):
    """Search parameters as they appear in the URL; every one is optional."""

    q = django_filters.CharFilter(
        label="Words to look for",
        max_length=MAX_QUERY_LENGTH,
        method="ignore",
        help_text="Searched in headlines, bios and portfolios.",
    )
    skills = SkillSlugsFilter(label="Must know", method="ignore")
    min_years = django_filters.NumberFilter(
        label="At least this many years", min_value=0, max_value=50, method="ignore"
    )
    # Labels are given: django-filter would look them up on model fields of these names.
    seniority = django_filters.ChoiceFilter(
        label="Seniority",
        choices=Profile.Seniority.choices,
        empty_label="Any seniority",
        method="ignore",
    )
    engagement = django_filters.ChoiceFilter(
        label="Engagement",
        choices=Profile.Engagement.choices,
        empty_label="Any engagement",
        method="ignore",
    )
    max_rate = django_filters.NumberFilter(
        label="Highest rate (USD an hour)",
        min_value=Decimal("1"),
        max_value=Decimal("1000"),
        method="ignore",
    )
    available_by = django_filters.DateFilter(
        label="Available by", method="ignore", widget=forms.DateInput(attrs={"type": "date"})
    )
    overlap = django_filters.NumberFilter(
        label="Overlap with your day (hours)", min_value=0, max_value=12, method="ignore"
    )
    sort = django_filters.ChoiceFilter(
        choices=Sort.CHOICES, empty_label=None, method="ignore", label="Sort by"
    )
    page = django_filters.NumberFilter(
        min_value=1, max_value=100_000, method="ignore", widget=forms.HiddenInput
    )
    # Set on a brief's results page once the sidebar shows the brief's own criteria:
    # its fields then stand in for the brief's, so clearing one loosens the search.
    from_brief = django_filters.BooleanFilter(method="ignore", widget=forms.HiddenInput)

    class Meta:
        model = Profile
        fields: list[str] = []

    def __init__(
        self, *args: Any, taxonomy: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.taxonomy = skill_taxonomy() if taxonomy is None else taxonomy
        self.form.fields["skills"].choices = [(s["slug"], s["name"]) for s in self.taxonomy]
        for name in ("min_years", "overlap"):
            self.form.fields[name].decimal_places = 0
        self.form.fields["min_years"].error_messages["min_value"] = "Years cannot be negative."
        self.form.fields["max_rate"].error_messages["min_value"] = (
            "The highest rate must be at least USD 1 an hour."
        )
        self.form.fields["q"].error_messages["max_length"] = (
            f"Search words can be at most {MAX_QUERY_LENGTH} characters."
        )

    def get_form_class(self) -> type[forms.Form]:
        # django-filter builds a new form class, with a new field per filter, for every
        # request; its fields never change, so it is built once (each form still
        # copies them, and __init__ adjusts only the copies).
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def ignore(self, queryset: Any, name: str, value: Any) -> Any:
        # The engine builds its own SQL from to_criteria(); the FilterSet only validates.
        return queryset

    @staticmethod
    def data_from_brief(criteria: Criteria, taxonomy: list[dict[str, Any]]) -> QueryDict:
        """The sidebar's fields filled in from a brief's criteria, as URL data."""
        slugs = {s["id"]: s["slug"] for s in taxonomy}
        data = QueryDict(mutable=True)
        data.update({"from_brief": "true", "sort": criteria.sort})
        data.setlist("skills", [slugs[m.skill_id] for m in criteria.must if m.skill_id in slugs])
        if criteria.text:
            data["q"] = criteria.text[:MAX_QUERY_LENGTH]
        if criteria.min_years is not None:
            data["min_years"] = str(criteria.min_years)
        data["seniority"] = criteria.seniority
        data["engagement"] = criteria.engagement
        rate = criteria.max_rate_usd
        if rate is not None and Decimal("1") <= rate <= Decimal("1000"):
            data["max_rate"] = f"{rate.quantize(CENT):f}".rstrip("0").rstrip(".")
        if criteria.available_by is not None:
            data["available_by"] = criteria.available_by.isoformat()
        if criteria.min_overlap_hours is not None:
            data["overlap"] = str(criteria.min_overlap_hours)
        data._mutable = False
        return data

    def to_criteria(self, base: Criteria | None = None) -> Criteria:
        """The brief's criteria (if any) refined by what the sidebar asks for.

        When the sidebar started from the brief (``from_brief``), what it shows is
        what is searched: a must-have or limit taken off the sidebar is off the search,
        and a higher rate or fewer years widen it.
        """
        data = self.form.cleaned_data
        criteria = base or Criteria()
        ids = {s["slug"]: s["id"] for s in self.taxonomy}
        if data.get("from_brief") and base is not None:
            return self._standing_in_for(base, ids)
        extra = [Must(ids[slug]) for slug in data.get("skills") or []]
        known = {m.skill_id for m in criteria.must}
        criteria.must = [*criteria.must, *(m for m in extra if m.skill_id not in known)]
        if data.get("q"):
            criteria.text = " ".join(filter(None, [criteria.text, data["q"]]))
        if data.get("min_years") is not None:
            criteria.min_years = max(int(data["min_years"]), criteria.min_years or 0)
        criteria.seniority = data.get("seniority") or criteria.seniority
        criteria.engagement = data.get("engagement") or criteria.engagement
        if data.get("max_rate") is not None:
            rate = Decimal(data["max_rate"])
            criteria.max_rate_usd = min(rate, criteria.max_rate_usd or rate)
        available_by: date | None = data.get("available_by")
        if available_by is not None:
            criteria.available_by = available_by
        if data.get("overlap") is not None:
            criteria.min_overlap_hours = int(data["overlap"])
        criteria.sort = data.get("sort") or Sort.MATCH
        return criteria

    def _standing_in_for(self, brief: Criteria, ids: dict[str, int]) -> Criteria:
        """The brief's criteria with the sidebar's fields in place of its own. A value the
        sidebar shows unchanged keeps the brief's (a warmed ranking is found again)."""
        data = self.form.cleaned_data
        chosen = [ids[slug] for slug in data.get("skills") or []]
        kept = [m for m in brief.must if m.skill_id in chosen]
        known = {m.skill_id for m in kept}
        brief.must = kept + [Must(skill_id) for skill_id in chosen if skill_id not in known]
        brief.text = data.get("q") or ""
        years = data.get("min_years")
        brief.min_years = None if years is None else int(years)
        brief.seniority = data.get("seniority") or ""
        brief.engagement = data.get("engagement") or ""
        rate = data.get("max_rate")
        if rate is None:
            brief.max_rate_usd = None
        elif brief.max_rate_usd is None or Decimal(rate) != brief.max_rate_usd.quantize(CENT):
            brief.max_rate_usd = Decimal(rate)
        brief.available_by = data.get("available_by")
        overlap = data.get("overlap")
        brief.min_overlap_hours = None if overlap is None else int(overlap)
        brief.sort = data.get("sort") or Sort.MATCH
        return brief

    @property
    def page_number(self) -> int:
        return int(self.form.cleaned_data.get("page") or 1)


ProfileFilter.base_filters = _Filters(ProfileFilter.base_filters)

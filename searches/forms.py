"""Validation of what employers type into a brief. Forms validate; services save."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from candidates.forms import DateInput
from candidates.models import Skill
from searches.models import Brief, BriefSkill, ShortlistEntry

MAX_MUST_YEARS = 30


class SkillMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:  # type: ignore[override]
        return obj.name


def _grouped(skills: list[Skill]) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for skill in sorted(skills, key=lambda s: (s.category, s.name)):
        groups.setdefault(skill.get_category_display(), []).append((skill.pk, skill.name))
    return list(groups.items())


def parse_must(text: str, skills: list[Skill]) -> list[tuple[Skill, int | None]]:
    """ "Python:3, Django" → [(Python, 3), (Django, None)]; ValueError with a message to show."""
    by_name: dict[str, Skill] = {}
    for skill in skills:
        by_name[skill.name.lower()] = skill
        for alias in skill.aliases:
            by_name.setdefault(alias.lower(), skill)
    parsed: list[tuple[Skill, int | None]] = []
    problems: list[str] = []
    seen: set[int] = set()
    for raw in re.split(r"[,\n;]+", text):
        item = raw.strip()
        if not item:
            continue
        name, _, years_text = item.partition(":")
        name, years_text = name.strip(), years_text.strip()
        found = by_name.get(name.lower())
        if found is None:
            problems.append(f'"{name}" is not a skill we know. Check the spelling.')
            continue
        skill = found
        years: int | None = None
        if years_text:
            if not years_text.isdigit() or not 1 <= int(years_text) <= MAX_MUST_YEARS:
                problems.append(
                    f"Years for {skill.name} must be a whole number from 1 to {MAX_MUST_YEARS}."
                )
                continue
            years = int(years_text)
        if skill.pk in seen:
            problems.append(f"{skill.name} is listed twice.")
            continue
        seen.add(skill.pk)
        parsed.append((skill, years))
    if problems:
        raise forms.ValidationError(problems)
    return parsed


def must_as_text(entries: list[tuple[str, int | None]]) -> str:
    return ", ".join(f"{name}:{years}" if years else name for name, years in entries)


class BriefForm(forms.ModelForm):
    """A brief's fields, its must-have skills as text and its nice-to-haves as checkboxes.

    After ``is_valid()``, ``cleaned_data["must"]`` is a list of (Skill, min years or None)
    and ``cleaned_data["nice"]`` a list of skills.
    """

    must = forms.CharField(
        label="Must-have skills",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Separate skills with commas. Add a colon and a number for a minimum number of "
            "years, e.g. <kbd>Python:3, Django, PostgreSQL:2</kbd>. Only engineers with every "
            "one of them will match."
        ),
    )
    nice = SkillMultipleChoiceField(
        label="Nice-to-have skills",
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Engineers with these rank higher; they are not required.",
    )

    class Meta:
        model = Brief
        fields = list(Brief.EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": DateInput,
        }
        labels = {"hours_per_week": "Hours a week"}
        help_texts = {
            "title": "A short name your team will recognise, e.g. 'Payments API, 3 months'.",
            "description": "What the engineer will build, with whom, and for how long.",
            "max_hourly_usd": "Fill in either budget, or both. Leave both empty for any rate.",
            "min_overlap_hours": (
                "Hours a day the engineer's working day must share with your company's, "
                "from 0 to 12. Daylight saving is taken into account."
            ),
            "start_date": "Engineers must be free to start by this date.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skills = list(Skill.objects.all())
        self.fields["nice"].choices = _grouped(self.skills)  # type: ignore[attr-defined]
        for name, low, high in [
            ("min_years", "0", "40"),
            ("hours_per_week", "1", "80"),
            ("min_overlap_hours", "0", "12"),
        ]:
            self.fields[name].widget.attrs.update({"min": low, "max": high})
        for name in ("max_hourly_usd", "max_monthly_pkr"):
            self.fields[name].widget.attrs.update({"min": "1"})
        if self.instance.pk and not self.is_bound:
            current = list(self.instance.skills.select_related("skill").order_by("skill__name"))
            self.initial["must"] = must_as_text(
                [(s.skill.name, s.min_years) for s in current if s.kind == BriefSkill.Kind.MUST]
            )
            self.initial["nice"] = [s.skill_id for s in current if s.kind == BriefSkill.Kind.NICE]

    def clean_must(self) -> list[tuple[Skill, int | None]]:
        return parse_must(self.cleaned_data.get("must", ""), self.skills)

    def clean_start_date(self) -> Any:
        start = self.cleaned_data.get("start_date")
        # An existing brief keeps its start date even once that day has passed.
        unchanged = self.instance.pk and start == self.instance.start_date
        if start is not None and start < timezone.localdate() and not unchanged:
            raise forms.ValidationError("The start date cannot be in the past.")
        return start

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        must = cleaned.get("must") or []
        nice = cleaned.get("nice") or []
        both = sorted({skill.name for skill, _ in must} & {skill.name for skill in nice})
        if both:
            self.add_error(
                "nice",
                f"{', '.join(both)} {'is' if len(both) == 1 else 'are'} already a must-have; "
                "a skill cannot be both.",
            )
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Private note",
        required=False,
        max_length=ShortlistEntry._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only your team sees it.",
    )

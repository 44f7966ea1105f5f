"""Validation of what engineers type into their profile. Forms validate; services save."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from accounts.links import WebURLField
from accounts.models import User, Weekend
from candidates.models import Job, PortfolioItem, Profile, ProfileSkill, Skill

MAX_RESUME_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


def web_url_field(label: str) -> forms.URLField:
    return WebURLField(label=label, required=False, assume_scheme="https", max_length=200)


class AboutForm(forms.ModelForm):
    """Everything about the engineer that is one value each."""

    engagement_types = forms.MultipleChoiceField(
        label="Kinds of engagement you want",
        choices=Profile.Engagement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    github_url = web_url_field("GitHub")
    linkedin_url = web_url_field("LinkedIn")
    website_url = web_url_field("Personal site")
    phone = forms.CharField(
        required=False,
        max_length=32,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 \-()]{6,30}$",
                "Enter a phone number of digits, e.g. +92 300 1234567.",
            )
        ],
        help_text="Shown only to companies whose message you accept.",
    )

    class Meta:
        model = Profile
        fields = [
            "headline",
            "bio",
            "city",
            "time_zone",
            "work_starts",
            "work_ends",
            "weekend",
            "years_experience",
            "seniority",
            "engagement_types",
            "hours_per_week",
            "availability",
            "available_from",
            "hourly_rate_usd",
            "monthly_rate_pkr",
            "english",
            "github_url",
            "linkedin_url",
            "website_url",
            "phone",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6}),
            "work_starts": TimeInput,
            "work_ends": TimeInput,
            "available_from": DateInput,
        }
        help_texts = {
            "headline": "One line employers see first, e.g. 'Django engineer for payments'.",
            "bio": "What you have built, for whom, and how you like to work.",
            "hourly_rate_usd": "Fill in either rate, or both.",
            "years_experience": "Total years working as a software engineer.",
            "weekend": "Companies never offer you interview times on these days.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out of a post (an older form): the days off stay as they were.
        self.fields["weekend"].required = False

    def clean_weekend(self) -> str:
        return self.cleaned_data.get("weekend") or self.instance.weekend or Weekend.SAT_SUN

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("availability") == Profile.Availability.FROM_DATE:
            start = cleaned.get("available_from")
            if start is None and "available_from" not in self.errors:
                self.add_error("available_from", "Enter the date you can start.")
            elif start is not None and start < timezone.localdate():
                self.add_error("available_from", "The start date cannot be in the past.")
        elif "available_from" in cleaned:
            cleaned["available_from"] = None
        starts, ends = cleaned.get("work_starts"), cleaned.get("work_ends")
        if starts is not None and starts == ends:
            self.add_error("work_ends", "The working day must start and end at different times.")
        return cleaned


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Skill) -> str:  # type: ignore[override]
        return obj.name


def grouped_skill_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for skill in Skill.objects.order_by("category", "name"):
        groups.setdefault(skill.get_category_display(), []).append((skill.pk, skill.name))
    return [("", "Choose a skill"), *groups.items()]


class SkillForm(forms.ModelForm):
    skill = SkillChoiceField(queryset=Skill.objects.all(), empty_label="Choose a skill")

    class Meta:
        model = ProfileSkill
        fields = ["skill", "years", "level"]
        labels = {"years": "Years using it", "level": "Level"}

    def __init__(self, *args: Any, profile: Profile | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = grouped_skill_choices()  # type: ignore[attr-defined]
        self.fields["years"].widget.attrs.update({"min": "0", "max": "50", "step": "0.5"})
        if profile is not None:
            # Assigned now so the form's uniqueness check knows whose skill this is.
            self.instance.profile = profile

    def validate_unique(self) -> None:
        # Adding a skill that is already listed updates it (see candidates.services.skill_set).
        pass


class PortfolioForm(forms.ModelForm):
    url = web_url_field("Link")
    repo_url = web_url_field("Code repository")
    skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Skills used",
    )

    class Meta:
        model = PortfolioItem
        fields = ["title", "description", "url", "repo_url", "skills", "year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"description": "Your part in it: what you designed, built or fixed."}

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError("The year cannot be in the future.")
        return year


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = ["employer", "title", "started", "ended", "description"]
        widgets = {
            "started": DateInput,
            "ended": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        started, ended = cleaned.get("started"), cleaned.get("ended")
        today = timezone.localdate()
        if started and started > today:
            self.add_error("started", "The start date cannot be in the future.")
        if started and ended and ended < started:
            self.add_error("ended", "The end date must come after the start date.")
        if ended and ended > today:
            self.add_error("ended", "The end date cannot be in the future; leave it empty instead.")
        return cleaned


class ResumeForm(forms.Form):
    resume = forms.FileField(label="Resume (PDF, up to 5 MB)")

    def clean_resume(self) -> Any:
        upload = self.cleaned_data["resume"]
        if upload.size > MAX_RESUME_BYTES:
            megabytes = upload.size / (1024 * 1024)
            raise forms.ValidationError(
                f"That file is {megabytes:.1f} MB; the limit is 5 MB. Try a smaller PDF."
            )
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            # Checked by the file's bytes, not its name or the browser's claim.
            raise forms.ValidationError("That file is not a PDF. Upload your resume as a PDF.")
        return upload


# Blocking. Neither form looks companies up: what an engineer types gets the same
# answer whether or not a company by that name or domain uses Karigar.

DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# Public mail services: a block on one would hide the profile from nearly everyone.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "gmail.com",
        "gmx.com",
        "gmx.net",
        "googlemail.com",
        "hey.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "mac.com",
        "msn.com",
        "outlook.com",
        "pm.me",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "rocketmail.com",
        "tutanota.com",
        "yahoo.co.uk",
        "yahoo.com",
        "yandex.com",
        "ymail.com",
        "zoho.com",
    }
)


def domain_key(text: str) -> str:
    """``someone@Acme.com``, ``@acme.com``, ``https://www.acme.com/jobs``: ``acme.com``.

    Raises ValidationError with a message for the engineer when it is no domain."""
    text = text.strip().lower()
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)  # a web address's scheme
    text = text.split("/", 1)[0].split("?", 1)[0].strip().rstrip(".")
    text = text.removeprefix("www.")
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        text = ""
    labels = text.split(".")
    if (
        len(text) > 253
        or len(labels) < 2
        or not all(DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise forms.ValidationError(
            "Enter an email domain such as acme.com: the part of your colleagues' "
            "email addresses after the @."
        )
    return text


class BlockNameForm(forms.Form):
    """Hide the profile from every company with this name."""

    name = forms.CharField(
        label="Company name",
        max_length=120,
        help_text="Capitals and extra spaces do not matter.",
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not any(ch.isalnum() for ch in name):
            raise forms.ValidationError("Enter the company's name, with letters or digits.")
        return name


class BlockDomainForm(forms.Form):
    """Hide the profile from every company with a member on this email domain."""

    domain = forms.CharField(
        label="Email domain",
        max_length=254,
        help_text="The part of your colleagues' email addresses after the @, e.g. acme.com.",
    )

    def clean_domain(self) -> str:
        domain = domain_key(self.cleaned_data["domain"])
        if domain in PUBLIC_MAIL_DOMAINS:
            raise forms.ValidationError(
                f"{domain} is a public email service that people at many companies use: "
                "blocking it would hide your profile from most employers. Block your "
                "employer's own domain or its name instead."
            )
        return domain


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password


class RequestChangesForm(forms.Form):
    """Staff: what the engineer should change before approval."""

    note = forms.CharField(
        label="What should the engineer change?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )

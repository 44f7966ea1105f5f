from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms
from django.db import transaction
from django.http import HttpRequest

from accounts import services
from accounts.models import TIME_ZONE_CHOICES, Company, Invitation, Membership, User, Weekend

INVITATION_SESSION_KEY = "karigar_invitation"


class TimeInput(forms.TimeInput):
    input_type = "time"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up plus who the person is and, for employers, their company."""

    full_name = forms.CharField(label="Your name", max_length=150)
    role = forms.ChoiceField(
        label="I am",
        choices=[
            (User.Role.EMPLOYER, "Hiring backend engineers"),
            (User.Role.ENGINEER, "A backend engineer looking for work"),
        ],
        widget=forms.RadioSelect,
    )
    company_name = forms.CharField(label="Company name", max_length=120, required=False)
    company_website = forms.URLField(label="Company website", required=False, assume_scheme="https")
    company_city = forms.CharField(label="City", max_length=80, initial="Lahore", required=False)
    company_time_zone = forms.ChoiceField(
        label="Time zone", choices=TIME_ZONE_CHOICES, initial="Asia/Karachi", required=False
    )
    work_starts = forms.TimeField(
        label="Working day starts", initial="09:00", widget=TimeInput, required=False
    )
    work_ends = forms.TimeField(
        label="Working day ends", initial="18:00", widget=TimeInput, required=False
    )

    company_fields = (
        "company_name",
        "company_website",
        "company_city",
        "company_time_zone",
        "work_starts",
        "work_ends",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = self._pending_invitation()
        if self.invitation is not None:
            # An invited teammate joins an existing company: no role or company to pick.
            for name in ("role", *self.company_fields):
                del self.fields[name]
            self.fields["email"].initial = self.invitation.email

    def _pending_invitation(self) -> Invitation | None:
        request: HttpRequest | None = allauth_context.request
        if request is None or not hasattr(request, "session"):
            return None
        token = request.session.get(INVITATION_SESSION_KEY)
        if not token:
            return None
        return Invitation.objects.pending().select_related("company").filter(token=token).first()

    @property
    def chosen_role(self) -> str:
        if self.invitation is not None:
            return User.Role.EMPLOYER
        return self.cleaned_data.get("role", "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.chosen_role == User.Role.EMPLOYER and self.invitation is None:
            if not cleaned.get("company_name", "").strip():
                self.add_error("company_name", "Tell us your company's name.")
            starts, ends = cleaned.get("work_starts"), cleaned.get("work_ends")
            if starts is None and "work_starts" not in self.errors:
                self.add_error("work_starts", "Enter when your working day starts.")
            if ends is None and "work_ends" not in self.errors:
                self.add_error("work_ends", "Enter when your working day ends.")
            if starts is not None and starts == ends:
                self.add_error(
                    "work_ends", "The working day must start and end at different times."
                )
        return cleaned

    def save(self, request: HttpRequest) -> User:
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request: HttpRequest, user: User) -> None:  # type: ignore[override]
        if user.is_employer and self.invitation is None:
            data = self.cleaned_data
            services.company_create(
                owner=user,
                name=data["company_name"].strip(),
                website=data["company_website"],
                city=data["company_city"].strip() or "Lahore",
                time_zone=data["company_time_zone"] or "Asia/Karachi",
                work_starts=data["work_starts"],
                work_ends=data["work_ends"],
            )


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name", "website", "city", "time_zone", "work_starts", "work_ends", "weekend"]
        widgets = {"work_starts": TimeInput, "work_ends": TimeInput}
        help_texts = {"weekend": "Interview times are never offered on these days."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out of a post (an older form): the weekend stays as it was.
        self.fields["weekend"].required = False

    def clean_weekend(self) -> str:
        return self.cleaned_data.get("weekend") or self.instance.weekend or Weekend.SAT_SUN


class WorkingHoursForm(forms.ModelForm):
    """A teammate's own working day. Each part left empty is the company's."""

    class Meta:
        model = Membership
        fields = ["time_zone", "work_starts", "work_ends", "weekend"]
        widgets = {"work_starts": TimeInput, "work_ends": TimeInput}
        labels = {
            "time_zone": "Your time zone",
            "work_starts": "Your working day starts",
            "work_ends": "Your working day ends",
            "weekend": "Your weekend",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        company = self.instance.company
        same_zone = f"As the company ({company.get_time_zone_display()})"
        same_weekend = f"As the company ({company.get_weekend_display()})"
        zone = self.fields["time_zone"]
        zone.choices = [("", same_zone), *TIME_ZONE_CHOICES]  # type: ignore[attr-defined]
        weekend = self.fields["weekend"]
        weekend.choices = [("", same_weekend), *Weekend.choices]  # type: ignore[attr-defined]
        hours = f"{company.work_starts:%H:%M} to {company.work_ends:%H:%M}"
        self.fields[
            "work_starts"
        ].help_text = f"Leave both times empty to use the company's, {hours}."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("work_starts"), cleaned.get("work_ends")
        if "work_starts" in self.errors or "work_ends" in self.errors:
            return cleaned
        if (starts is None) != (ends is None):
            missing = "work_ends" if ends is None else "work_starts"
            self.add_error(
                missing, "Give both the start and the end of your day, or leave both empty."
            )
        elif starts is not None and starts == ends:
            self.add_error("work_ends", "The working day must start and end at different times.")
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Teammate's email", max_length=254)

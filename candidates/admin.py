"""Staff moderation: the skill taxonomy, engineer profiles and the review queue.

Profiles are read-only here: staff judge what engineers wrote and act on it
(approve, request changes, suspend) through admin actions that call
candidates.services, so every decision sends its email and keeps the
search columns in step. The actions work from the list and from a profile's
own page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.contrib.auth import get_permission_codename
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.money import format_money
from candidates import selectors, services
from candidates.forms import RequestChangesForm
from candidates.models import Job, PortfolioItem, Profile, ProfileReview, ProfileSkill, Skill

BOTH_PLACES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
# An intermediate page lists every selected row; past this many, staff narrow the list first.
MAX_ACTION_ROWS = 500


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _intermediate_context(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any], **extra: Any
) -> dict[str, Any]:
    opts = model_admin.opts
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        **extra,
    }


# Skills -------------------------------------------------------------------


class SkillAdminForm(forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["name", "slug", "category", "aliases"]

    def clean_aliases(self) -> list[str]:
        # Lookups compare aliases in lower case (SkillQuerySet.matching).
        aliases = self.cleaned_data.get("aliases") or []
        return sorted({alias.strip().lower() for alias in aliases if alias.strip()})


class SkillMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        label="Merge into",
        help_text="Profiles, portfolio items and names of the selected skills move to this one.",
    )

    def __init__(self, *args: Any, sources: QuerySet[Skill], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = sources

    def clean_target(self) -> Skill:
        target: Skill = self.cleaned_data["target"]
        if not self.sources.exclude(pk=target.pk).exists():
            raise forms.ValidationError("Choose a skill other than the one you selected.")
        return target


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    form = SkillAdminForm
    # No count of profiles per skill here: over a million profiles it takes seconds.
    # The merge page counts the few skills selected.
    list_display = ["name", "category", "alias_list"]
    list_filter = ["category"]
    search_fields = ["name", "aliases"]
    ordering = ["category", "name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_skills"]

    @admin.display(description="aliases")
    def alias_list(self, skill: Skill) -> str:
        return ", ".join(skill.aliases)

    @admin.action(description="Merge into another skill…", permissions=["change"])
    def merge_skills(
        self, request: HttpRequest, queryset: QuerySet[Skill]
    ) -> TemplateResponse | None:
        form = SkillMergeForm(request.POST if "apply" in request.POST else None, sources=queryset)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            sources = list(queryset.exclude(pk=target.pk))
            moved = (
                ProfileSkill.objects.filter(skill__in=sources)
                .values("profile_id")
                .distinct()
                .count()
            )
            try:
                with transaction.atomic():
                    for source in sources:
                        services.skill_merge(source=source, target=target)
            except ProtectedError as error:
                # A row of another app that the merge does not know would keep the skill.
                users = sorted(
                    {str(row._meta.verbose_name_plural) for row in error.protected_objects}
                )
                self.message_user(
                    request,
                    f"Nothing was merged: {', '.join(users)} still refer to these skills.",
                    messages.ERROR,
                )
                return None
            names = ", ".join(source.name for source in sources)
            self.message_user(
                request,
                f"Merged {names} into {target.name}; {_plural(moved, 'profile')} moved.",
                messages.SUCCESS,
            )
            return None
        # skill_ids has a GIN index, so each count stays quick on a large table.
        usage = [
            (skill, Profile.objects.filter(skill_ids__contains=[skill.pk]).count())
            for skill in queryset
        ]
        context = _intermediate_context(
            self,
            request,
            queryset,
            title="Merge skills",
            form=form,
            action="merge_skills",
            usage=usage,
        )
        return TemplateResponse(request, "admin/candidates/skill/merge.html", context)


# Profiles -----------------------------------------------------------------


class SkillListFilter(admin.SimpleListFilter):
    title = "skill"
    parameter_name = "skill"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        return list(Skill.objects.order_by("name").values_list("slug", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.value():
            return queryset
        skill = Skill.objects.filter(slug=self.value()).first()
        if skill is None:
            return queryset.none()
        # skill_ids carries a GIN index; the join table would not scale to a million profiles.
        return queryset.filter(skill_ids__contains=[skill.pk])


class CityFilter(admin.SimpleListFilter):
    """The cities most engineers give, and the rest; a DISTINCT over every profile is slow."""

    title = "city"
    parameter_name = "city"
    cities = ["Lahore", "Karachi", "Islamabad", "Dubai", "London", "Toronto"]
    elsewhere = "elsewhere"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[str, str]]:
        return [(city, city) for city in self.cities] + [(self.elsewhere, "Elsewhere")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        if value == self.elsewhere:
            for city in self.cities:
                queryset = queryset.exclude(city__iexact=city)
            return queryset
        return queryset.filter(city__iexact=value)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProfileSkillInline(ReadOnlyInline):
    model = ProfileSkill
    fields = ["skill", "years", "level"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProfileSkill]:
        return super().get_queryset(request).select_related("skill")


class PortfolioItemInline(ReadOnlyInline):
    model = PortfolioItem
    fields = ["title", "description", "url", "repo_url", "year"]


class JobInline(ReadOnlyInline):
    model = Job
    fields = ["employer", "title", "started", "ended", "description"]


# Rates read in the admin as they do on the site ("USD 35 an hour"), not "35.00".
_MONEY_FIELDS = {"hourly_rate_usd": "USD/hour", "monthly_rate_pkr": "PKR/month"}


def _show(value: Any, name: str = "") -> str:
    if value in (None, "", [], {}):
        return "—"
    if name in _MONEY_FIELDS:
        return format_money(value, _MONEY_FIELDS[name])
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _field_label(name: str) -> str:
    # skills, portfolio and jobs are related lists, not fields of the profile.
    field = Profile._meta.get_field(name)
    label = getattr(field, "verbose_name", None) or name.replace("_", " ")
    return str(label).capitalize()


Decision = Callable[[Profile], None]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["engineer", "headline", "status", "city", "submitted_at", "approved_at"]
    list_filter = ["status", CityFilter, SkillListFilter]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name", "headline"]
    ordering = ["-pk"]
    show_full_result_count = False
    inlines = [ProfileSkillInline, PortfolioItemInline, JobInline]
    actions = ["approve", "request_changes", "suspend"]
    readonly_fields = [
        "user",
        "status",
        "staff_note",
        "submitted_at",
        "approved_at",
        "changes_since_approval",
        "resume_link",
        "created_at",
        "updated_at",
        "hourly_rate",
        "monthly_rate",
    ]
    fieldsets = [
        (
            "Review",
            {
                "fields": [
                    "user",
                    "status",
                    "staff_note",
                    "submitted_at",
                    "approved_at",
                    "changes_since_approval",
                ]
            },
        ),
        (
            "Profile",
            {
                "fields": [
                    "headline",
                    "bio",
                    ("city", "time_zone"),
                    ("work_starts", "work_ends"),
                    ("years_experience", "seniority"),
                    ("engagement_types", "hours_per_week"),
                    ("availability", "available_from"),
                    ("hourly_rate", "monthly_rate"),
                    "english",
                ]
            },
        ),
        (
            "Links and contact",
            {"fields": ["github_url", "linkedin_url", "website_url", "phone", "resume_link"]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    # Staff judge profiles; they do not rewrite them. Decisions go through the actions.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    @admin.display(description="engineer", ordering="user__full_name")
    def engineer(self, profile: Profile) -> SafeString:
        return format_html(
            "{}<br><small>{}</small>", profile.user.full_name or "—", profile.user.email
        )

    @admin.display(description="hourly rate")
    def hourly_rate(self, profile: Profile) -> str:
        return format_money(profile.hourly_rate_usd, "USD/hour") or "—"

    @admin.display(description="monthly rate")
    def monthly_rate(self, profile: Profile) -> str:
        return format_money(profile.monthly_rate_pkr, "PKR/month") or "—"

    @admin.display(description="resume")
    def resume_link(self, profile: Profile) -> SafeString | str:
        if not profile.resume:
            return "—"
        url = reverse("candidates:resume_download", args=[profile.pk])
        return format_html('<a href="{}">Download the PDF</a>', url)

    @admin.display(description="changes since approval")
    def changes_since_approval(self, profile: Profile) -> SafeString | str:
        if not profile.approved_snapshot:
            return "Not approved yet."
        changes = selectors.changes_since_approval(profile)
        if not changes:
            return "None: the profile is as staff approved it."
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (_field_label(name), _show(before, name), _show(now, name))
                for name, before, now in changes
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>Field</th><th scope='col'>Approved</th>"
            "<th scope='col'>Now</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    # Actions ---------------------------------------------------------------

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[Profile],
        *,
        allowed: set[str],
        decision: Decision,
        done_text: str,
        skipped_text: str,
    ) -> HttpResponse | None:
        if self._too_many(request, queryset):
            return None
        done = skipped = 0
        for profile in queryset.select_related("user"):
            if profile.status in allowed:
                decision(profile)
                done += 1
            else:
                skipped += 1
        message = f"{done_text} {_plural(done, 'profile')}."
        if skipped:
            message += f" Skipped {skipped} {skipped_text}."
        self.message_user(request, message, messages.SUCCESS if done else messages.WARNING)
        return self._after_decision(request)

    def _too_many(self, request: HttpRequest, queryset: QuerySet[Profile]) -> bool:
        if queryset.count() <= MAX_ACTION_ROWS:
            return False
        self.message_user(
            request,
            f"Select at most {MAX_ACTION_ROWS} profiles at a time; filter the list first.",
            messages.ERROR,
        )
        return True

    def _after_decision(self, request: HttpRequest) -> HttpResponse | None:
        """Where staff land after deciding. None: back where they came from."""
        return None

    @admin.action(
        description="Approve selected profiles", permissions=["moderate"], location=BOTH_PLACES
    )
    def approve(self, request: HttpRequest, queryset: QuerySet[Profile]) -> HttpResponse | None:
        return self._decide(
            request,
            queryset,
            allowed={
                Profile.Status.SUBMITTED,
                Profile.Status.CHANGES_REQUESTED,
                Profile.Status.SUSPENDED,
            },
            decision=lambda profile: services.profile_approve(profile=profile),
            done_text="Approved",
            skipped_text="that were already approved or never submitted",
        )

    @admin.action(
        description="Suspend selected profiles", permissions=["moderate"], location=BOTH_PLACES
    )
    def suspend(self, request: HttpRequest, queryset: QuerySet[Profile]) -> HttpResponse | None:
        return self._decide(
            request,
            queryset,
            allowed={status for status in Profile.Status if status != Profile.Status.SUSPENDED},
            decision=lambda profile: services.profile_suspend(profile=profile),
            done_text="Suspended",
            skipped_text="that were already suspended",
        )

    @admin.action(description="Request changes…", permissions=["moderate"], location=BOTH_PLACES)
    def request_changes(
        self, request: HttpRequest, queryset: QuerySet[Profile]
    ) -> HttpResponse | None:
        if self._too_many(request, queryset):
            return None
        form = RequestChangesForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            note = form.cleaned_data["note"]
            return self._decide(
                request,
                queryset,
                allowed={Profile.Status.SUBMITTED, Profile.Status.APPROVED},
                decision=lambda profile: services.profile_request_changes(
                    profile=profile, note=note
                ),
                done_text="Asked for changes to",
                skipped_text="that were neither submitted nor approved",
            )
        context = _intermediate_context(
            self,
            request,
            queryset.select_related("user"),
            title="Request changes",
            form=form,
            action="request_changes",
        )
        return TemplateResponse(request, "admin/candidates/profile/request_changes.html", context)


@admin.register(ProfileReview)
class ProfileReviewAdmin(ProfileAdmin):
    """Submitted profiles, oldest first: the next one to review is at the top."""

    list_display = ["engineer", "headline", "city", "seniority", "submitted_at"]
    list_filter = [CityFilter, "seniority", SkillListFilter]
    ordering = ["submitted_at", "pk"]
    show_full_result_count = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Profile]:
        return super().get_queryset(request).filter(status=Profile.Status.SUBMITTED)

    def _after_decision(self, request: HttpRequest) -> HttpResponse | None:
        # A decided profile leaves the queue, so its page would be gone: show the queue.
        match = request.resolver_match
        if match is not None and match.url_name and match.url_name.endswith("_change"):
            return HttpResponseRedirect(reverse("admin:candidates_profilereview_changelist"))
        return None


def _with_queue_size(
    get_app_list: Callable[..., list[dict[str, Any]]],
) -> Callable[..., list[dict[str, Any]]]:
    """Show how many profiles wait for review next to the queue's name in the admin."""

    def app_list(request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = get_app_list(request, app_label)
        for app in apps:
            for entry in app["models"]:
                if entry.get("model") is ProfileReview:
                    waiting = Profile.objects.filter(status=Profile.Status.SUBMITTED).count()
                    entry["name"] = f"Profiles awaiting review ({waiting})"
        return apps

    return app_list


admin.site.get_app_list = _with_queue_size(admin.site.get_app_list)  # type: ignore[method-assign]

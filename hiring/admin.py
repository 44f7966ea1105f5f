"""Staff moderation of hiring: every outreach and thread (read-only), reports of abuse,
and holds that stop a company from sending outreach.

What companies and engineers wrote is evidence: staff read it here and never edit it.
The two decisions staff make (a report is dealt with; a company may no longer send
outreach) go through hiring.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import Company
from hiring import services
from hiring.models import (
    ConsentGrant,
    Message,
    MessageTemplate,
    Outreach,
    OutreachHold,
    Report,
    Thread,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows staff may look at but not add or change (deleting stays with superusers'
    usual permission, for erasure requests)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Outreach)
class OutreachAdmin(ReadOnlyAdmin):
    list_display = ["company", "engineer", "brief", "status", "sent_at", "follow_ups_sent"]
    list_filter = ["status", "engagement", "rate_unit", "sent_at"]
    list_select_related = ["company", "profile__user", "brief"]
    search_fields = ["company__name", "profile__user__email", "profile__user__full_name"]
    date_hierarchy = "sent_at"
    raw_id_fields = ["candidacy", "profile", "thread", "sender"]

    @admin.display(description="engineer", ordering="profile__user__full_name")
    def engineer(self, obj: Outreach) -> str:
        return obj.profile.user.display_name


class MessageInline(admin.TabularInline):
    model = Message
    fields = ["created_at", "side", "author", "body", "outreach"]
    readonly_fields = ["created_at", "side", "author", "body", "outreach"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["company", "profile", "created_at", "company_last_at", "engineer_last_at"]
    list_select_related = ["company", "profile__user"]
    search_fields = ["company__name", "profile__user__email", "profile__user__full_name"]
    inlines = [MessageInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "company", "reporter", "outreach", "message"]
    list_filter = ["status", "created_at"]
    list_select_related = ["company", "reporter", "outreach__brief", "message"]
    readonly_fields = ["reporter", "company", "outreach", "message", "note", "created_at"]
    fields = ["status", *readonly_fields]
    actions = ["mark_resolved", "stop_company"]
    # Open reports first ("open" sorts before "resolved"), newest first within each.
    ordering = ["status", "-created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Mark resolved", permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        count = services.reports_resolve(reports=queryset)
        self.message_user(request, f"Marked {count} report(s) resolved.", messages.SUCCESS)

    @admin.action(description="Stop this company from sending outreach", permissions=["change"])
    def stop_company(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        companies = Company.objects.filter(pk__in=queryset.values("company_id"))
        for company in companies:
            services.outreach_stop(
                company=company,
                by=request.user,  # type: ignore[arg-type]
                reason=f"Stopped from the reports list by {request.user}.",
            )
        names = ", ".join(c.name for c in companies)
        self.message_user(
            request,
            f"Outreach stopped for: {names}. Delete the hold under “Outreach holds” to allow "
            "it again.",
            messages.SUCCESS,
        )


@admin.register(OutreachHold)
class OutreachHoldAdmin(admin.ModelAdmin):
    """Adding a hold stops a company from sending outreach; deleting it allows it again."""

    list_display = ["company", "created_at", "created_by", "reason"]
    list_select_related = ["company", "created_by"]
    raw_id_fields = ["company"]
    readonly_fields = ["created_by", "created_at"]
    fields = ["company", "reason", "created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: OutreachHold, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "updated_at"]
    list_select_related = ["company"]
    search_fields = ["name", "company__name"]
    raw_id_fields = ["company", "created_by"]


@admin.register(ConsentGrant)
class ConsentGrantAdmin(ReadOnlyAdmin):
    list_display = ["profile", "company", "outreach", "granted_at", "withdrawn_at"]
    list_select_related = ["profile__user", "company", "outreach__brief"]
    list_filter = ["granted_at", "withdrawn_at"]


# Contract reviews (issue 12, ending and reviews) ----------------------------------------

from django.contrib.admin import helpers  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import reverse  # noqa: E402

from hiring.models import ContractReview  # noqa: E402
from hiring.reviews import services as reviews  # noqa: E402
from hiring.reviews.forms import HideForm  # noqa: E402


def _set_filter(field: str, title: str, yes: str, no: str) -> type[admin.SimpleListFilter]:
    """A yes/no filter on whether a moment ``field`` is set."""

    class SetFilter(admin.SimpleListFilter):
        parameter_name = field.removesuffix("_at")

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            return [("yes", yes), ("no", no)]

        def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
            if self.value() in ("yes", "no"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "no"})
            return queryset

    SetFilter.title = title
    return SetFilter


#: Every field of a review, all read-only: staff decide through the actions.
REVIEW_GROUPS: list[tuple[str | None, tuple[str, ...]]] = [
    (None, ("contract", "side", "author", "company", "profile", "created_at")),
    (
        "Scores",
        (
            "stars",
            "quality",
            "communication",
            "reliability",
            "time_zones",
            "clarity",
            "responsiveness",
            "paying_on_time",
        ),
    ),
    ("What they wrote", ("public_text", "private_note", "published_at")),
    ("Reply", ("reply_text", "replied_at", "replied_by")),
    ("Report", ("reported_at", "reported_by", "report_note")),
    ("Hidden by staff", ("hidden_at", "hidden_by", "hidden_note")),
]
REVIEW_FIELDS = [name for _, names in REVIEW_GROUPS for name in names]


@admin.register(ContractReview)
class ContractReviewAdmin(admin.ModelAdmin):
    """Reviews after a contract, with the private note to staff. What people wrote is
    evidence and never edited here; staff hide a review (with a note) or show it again."""

    list_display = [
        "review",
        "about",
        "stars",
        "note_to_staff",
        "published_at",
        "reported_at",
        "hidden_at",
    ]
    list_filter = [
        _set_filter("reported_at", "reported", "Reported", "Not reported"),
        _set_filter("hidden_at", "hidden", "Hidden", "Shown"),
        _set_filter("published_at", "published", "Published", "Not published yet"),
        "side",
    ]
    list_select_related = ["company", "profile__user"]
    search_fields = ["company__name", "profile__user__email", "profile__user__full_name"]
    ordering = ["-reported_at", "-pk"]
    actions = ["hide", "show"]
    fieldsets = [(title, {"fields": names}) for title, names in REVIEW_GROUPS]
    readonly_fields = REVIEW_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="review", ordering="pk")
    def review(self, obj: ContractReview) -> str:
        return f"By the {obj.get_side_display().lower()}, contract #{obj.contract_id}"

    @admin.display(description="private note to staff")
    def note_to_staff(self, obj: ContractReview) -> str:
        note = obj.private_note
        return note if len(note) <= 80 else note[:79] + "…"

    @admin.display(description="about")
    def about(self, obj: ContractReview) -> str:
        if obj.side == "company":
            return f"{obj.profile.user.display_name} (engineer)"
        return f"{obj.company.name} (company)"

    @admin.action(description="Hide selected reviews…", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[ContractReview]) -> Any:
        form = HideForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = reviews.review_hide(
                reviews=queryset,
                by=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
            )
            self.message_user(
                request,
                f"Hid {count} review(s); they are shown nowhere now. Already hidden ones "
                "keep their note.",
                messages.SUCCESS,
            )
            return None
        opts = self.opts
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": "Hide reviews",
            "queryset": queryset.select_related("company", "profile__user"),
            "form": form,
            "action": "hide",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        }
        return TemplateResponse(request, "hiring/reviews/admin_hide.html", context)

    @admin.action(description="Show selected reviews again", permissions=["change"])
    def show(self, request: HttpRequest, queryset: QuerySet[ContractReview]) -> None:
        count = reviews.review_show(reviews=queryset)
        self.message_user(request, f"Showing {count} review(s) again.", messages.SUCCESS)


# Contracts (issue 12): what both sides agreed is evidence, so staff only read it. ---------

from django.utils.html import format_html_join  # noqa: E402

from hiring.models import Contract, ContractVersion, Milestone, VersionAcceptance  # noqa: E402


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ContractVersionInline(_ReadOnlyInline):
    model = ContractVersion
    fk_name = "contract"
    fields = (
        "number",
        "title",
        "engagement",
        "rate",
        "currency",
        "start_on",
        "end_on",
        "sent_at",
        "declined_at",
        "content_hash",
    )
    readonly_fields = fields
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "company", "engineer", "status", "created_at", "started_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["company", "profile__user"]
    search_fields = ["company__name", "profile__user__email", "profile__user__full_name"]
    raw_id_fields = ["candidacy", "profile", "brief", "thread", "outreach", "current"]
    readonly_fields = ["acceptances"]
    inlines = [ContractVersionInline]

    @admin.display(description="engineer", ordering="profile__user__full_name")
    def engineer(self, obj: Contract) -> str:
        return obj.profile.user.display_name

    @admin.display(description="acceptances (every version)")
    def acceptances(self, obj: Contract) -> str:
        rows = VersionAcceptance.objects.filter(version__contract=obj).select_related(
            "version", "user"
        )
        return (
            format_html_join(
                "\n",
                "<p>Version {}: the {} ({}) on {} — hash <code>{}</code></p>",
                (
                    (
                        a.version.number,
                        a.side,
                        a.user.email if a.user else "a deleted account",
                        a.at.strftime("%Y-%m-%d %H:%M UTC"),
                        a.content_hash,
                    )
                    for a in rows
                ),
            )
            or "None yet"
        )


class MilestoneInline(_ReadOnlyInline):
    model = Milestone
    fields = (
        "position",
        "key",
        "title",
        "acceptance_criteria",
        "due_on",
        "amount",
    )
    readonly_fields = fields


class VersionAcceptanceInline(_ReadOnlyInline):
    model = VersionAcceptance
    fields = ("side", "user", "at", "content_hash")
    readonly_fields = fields


@admin.register(ContractVersion)
class ContractVersionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "number", "title", "sent_at", "declined_at"]
    list_select_related = ["contract__company", "contract__profile"]
    raw_id_fields = ["contract", "created_by", "declined_by"]
    inlines = [MilestoneInline, VersionAcceptanceInline]

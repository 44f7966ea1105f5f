from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import emails
from accounts.models import Company, Invitation, Membership, OutboundEmail, User

# The admin login goes through allauth's, which is rate-limited and knows 2FA.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Karigar staff"
admin.site.site_title = "Karigar staff"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "is_staff", "date_joined"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    actions = ["suspend", "reinstate"]

    @admin.action(description="Suspend selected accounts (they can no longer log in)")
    def suspend(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Saved one by one so that post_save receivers (an engineer's profile) follow.
        users = list(queryset.exclude(pk=request.user.pk or 0).filter(is_active=True))
        for user in users:
            user.is_active = False
            user.save(update_fields=["is_active"])
        self.message_user(request, f"Suspended {len(users)} account(s).")

    @admin.action(description="Reinstate selected accounts")
    def reinstate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = queryset.update(is_active=True)
        self.message_user(request, f"Reinstated {count} account(s).")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "time_zone", "created_at"]
    search_fields = ["name", "memberships__user__email"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "company__name"]
    list_select_related = ["company"]
    raw_id_fields = ["invited_by", "accepted_by"]
    readonly_fields = ["token"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "to",
        "subject",
        "template",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
    ]
    list_filter = ["status", "template"]
    search_fields = ["to", "subject", "key", "message_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Send failed or stuck emails again")
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        count = sum(
            emails.email_requeue(email_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        level = messages.SUCCESS if count else messages.WARNING
        self.message_user(
            request,
            f"Queued {count} email(s) again. Only failed emails and emails stuck in sending "
            f"(claimed over {settings.OUTBOX_LEASE_SECONDS // 60} minutes ago) can be sent again.",
            level,
        )

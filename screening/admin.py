"""Staff see every pipeline; the history of moves is never edited, here either."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from screening.models import Candidacy, Review, StageMove


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageMoveInline(ReadOnlyInline):
    model = StageMove
    fields = readonly_fields = (
        "at",
        "from_stage",
        "to_stage",
        "by",
        "reason",
        "note",
        "told_engineer",
    )


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = readonly_fields = ("author", "rating", "note", "updated_at")


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["profile", "brief", "company", "stage", "stage_since", "added_by"]
    list_filter = ["stage", "company"]
    list_select_related = ["profile__user", "brief", "company", "added_by"]
    search_fields = ["profile__user__full_name", "profile__user__email", "brief__title"]
    readonly_fields = [
        "company",
        "brief",
        "profile",
        "stage",
        "stage_since",
        "added_by",
        "created_at",
    ]
    inlines = [StageMoveInline, ReviewInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # engineers enter a pipeline through the product, with a history row

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a stage changes only through a move, which writes its history


@admin.register(StageMove)
class StageMoveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["candidacy", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["candidacy__profile__user", "candidacy__brief", "by"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in StageMove._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
